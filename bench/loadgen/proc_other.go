//go:build !linux

package main

import "syscall"

// dieWithParent: only Linux has a parent-death signal; elsewhere loadgen
// kills its children when it is stopped by a signal.
func dieWithParent() *syscall.SysProcAttr { return nil }
