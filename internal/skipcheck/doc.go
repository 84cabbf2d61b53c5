// Command skipcheck reads `go test -json` on its standard input, prints what
// `go test` would print without -v (each package's closing lines, the
// output of failing tests) plus every skipped test and its reason, and
// fails when a test skipped that is not on the allowlist named by its
// argument (.ci/skips-allowed.txt), or when a test failed. CI pipes its one
// test run through it, so that a skip can never grow silently:
//
//	go test -race -json ./... 2>&1 | go run ./internal/skipcheck .ci/skips-allowed.txt
package main
