// Command loadgen fills a host with loopback sockets for benchmarks: it
// starts P processes that each hold L TCP listeners on 127.0.0.1 and their
// share of E established loopback connections (both ends), prints the
// ports when all is ready, and keeps them until it is stopped.
//
//	loadgen -procs 50 -listeners 20 -conns 0
//
// Output, one line per process, then "ready":
//
//	proc PID PORT PORT ...
//	ready procs=50 listeners=1000 conns=0
//
// The processes are sleep(1) holding the sockets that loadgen opened and
// handed down (a small process: a thousand of them cost little memory).
// They die with loadgen: each is started with PR_SET_PDEATHSIG, and on
// SIGINT or SIGTERM loadgen kills and reaps them before it exits.
//
// Every socket is on 127.0.0.1; nothing leaves the host.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	procs := flag.Int("procs", 50, "processes to start")
	listeners := flag.Int("listeners", 20, "TCP listeners each process holds")
	conns := flag.Int("conns", 0, "established loopback connections in all, spread over the processes")
	addr := flag.String("addr", "127.0.0.1", "loopback address to listen on (127.0.0.0/8)")
	flag.Parse()
	if err := run(*procs, *listeners, *conns, *addr); err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %v\n", err)
		os.Exit(1)
	}
}

func run(procs, listeners, conns int, addr string) error {
	if procs < 1 || listeners < 1 || conns < 0 {
		return errors.New("-procs and -listeners must be at least 1, -conns at least 0")
	}
	if ip := net.ParseIP(addr); ip == nil || !ip.IsLoopback() || ip.To4() == nil {
		return fmt.Errorf("-addr %q: want an address in 127.0.0.0/8", addr)
	}
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		return err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	var children []*exec.Cmd
	defer func() {
		for _, c := range children {
			c.Process.Kill()
		}
		for _, c := range children {
			c.Wait()
		}
	}()
	for i := range procs {
		select {
		case s := <-sig:
			return fmt.Errorf("stopped by %v while starting", s)
		default:
		}
		share := conns / procs
		if i < conns%procs {
			share++
		}
		files, ports, err := openSockets(listeners, share, addr)
		if err != nil {
			closeAll(files)
			return fmt.Errorf("process %d: %w", i+1, err)
		}
		c := exec.Command(sleep, "infinity")
		c.ExtraFiles = files
		c.SysProcAttr = dieWithParent()
		err = c.Start()
		closeAll(files) // the child holds them now
		if err != nil {
			return fmt.Errorf("starting process %d: %w", i+1, err)
		}
		children = append(children, c)
		fmt.Printf("proc %d %s\n", c.Process.Pid, strings.Trim(fmt.Sprint(ports), "[]"))
	}
	fmt.Printf("ready procs=%d listeners=%d conns=%d\n", procs, procs*listeners, conns)
	<-sig
	return nil
}

// openSockets opens n listeners on addr and conns connections to the first
// of them (the client and the accepted end each), as files to hand down.
func openSockets(n, conns int, addr string) (files []*os.File, ports []int, err error) {
	var lns []*net.TCPListener
	defer func() {
		for _, l := range lns {
			l.Close()
		}
	}()
	for range n {
		l, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.ParseIP(addr)})
		if err != nil {
			return files, nil, err
		}
		lns = append(lns, l)
		f, err := l.File()
		if err != nil {
			return files, nil, err
		}
		files = append(files, f)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for range conns {
		c, err := net.DialTCP("tcp4", nil, lns[0].Addr().(*net.TCPAddr))
		if err != nil {
			return files, nil, err
		}
		s, err := lns[0].AcceptTCP()
		if err != nil {
			c.Close()
			return files, nil, err
		}
		for _, conn := range []*net.TCPConn{c, s} {
			f, err := conn.File()
			conn.Close()
			if err != nil {
				return files, nil, err
			}
			files = append(files, f)
		}
	}
	return files, ports, nil
}

func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}
