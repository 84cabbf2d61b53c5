// main.go holds a listener for the hostile-name test: it sets its kernel
// name (comm) to $HOSTILE_COMM, listens on each address it is given, prints
// the ports on one line and waits for its stdin to close.

package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// The name is set on the main thread: /proc/<pid>/comm is its name.
func init() { runtime.LockOSThread() }

func main() {
	name := append([]byte(os.Getenv("HOSTILE_COMM")), 0)
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_NAME, uintptr(unsafe.Pointer(&name[0])), 0); errno != 0 {
		fmt.Fprintln(os.Stderr, "prctl:", errno)
		os.Exit(1)
	}
	var ports []string
	for _, addr := range os.Args[1:] {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer ln.Close()
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		ports = append(ports, port)
	}
	fmt.Println(strings.Join(ports, " "))
	io.Copy(io.Discard, os.Stdin)
}
