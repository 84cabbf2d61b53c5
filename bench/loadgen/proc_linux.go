// proc_linux.go holds dieWithParent on Linux: the load's processes end with
// the benchmark.

package main

import "syscall"

// dieWithParent makes a child get SIGKILL when loadgen dies
// (PR_SET_PDEATHSIG), even by SIGKILL.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
