//go:build !linux

// proc_other.go holds dieWithParent where the OS has no parent-death signal.

package main

import "syscall"

// dieWithParent: only Linux has a parent-death signal; elsewhere loadgen
// kills its children when it is stopped by a signal.
func dieWithParent() *syscall.SysProcAttr { return nil }
