// readme_other_test.go holds TestMain's README-server hook where the
// README's examples are not run (they need a Linux network namespace).

//go:build !linux

package main

func serveForREADME() bool { return false }
