// helpers_test.go holds the helper processes that the end-to-end tests
// start from the test binary itself: a listener and a client.

package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// listenHelperEnv makes the test binary a listener process: it listens
// on the TCP address in the variable, says "ready", and exits when its
// stdin closes.
const listenHelperEnv = "WHYREFUSED_TEST_LISTEN"

// connectHelperEnv makes the test binary a client: it connects to the
// TCP address in the variable and prints what it saw (accepted, refused,
// timeout, or the error).
const connectHelperEnv = "WHYREFUSED_TEST_CONNECT"

// testHelper makes this process a listener or a client when the
// environment asks for one, and then never returns.
func testHelper() {
	if addr := os.Getenv(listenHelperEnv); addr != "" {
		listenHelper(addr)
	}
	if addr := os.Getenv(connectHelperEnv); addr != "" {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		switch {
		case err == nil:
			c.Close()
			fmt.Println("accepted")
		case errors.Is(err, syscall.ECONNREFUSED):
			fmt.Println("refused")
		case os.IsTimeout(err):
			fmt.Println("timeout")
		default:
			fmt.Println("error:", err)
		}
		os.Exit(0)
	}
}

// listenHelper is the listener process; it never returns.
func listenHelper(addr string) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	l.Close()
	os.Exit(0)
}
