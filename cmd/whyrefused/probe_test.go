package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/probe"
)

// probeApp is a test app whose probe reads no hosts file and dials for
// real (loopback only in these tests).
func probeApp() (*app, *bytes.Buffer, *bytes.Buffer) {
	a, out, errb := testApp(&fakeSource{snap: oneSnapshot()})
	a.probeConfig = func(timeout time.Duration) *probe.Config {
		return &probe.Config{Timeout: timeout, HostsPath: "hosts", ReadFile: func(string) ([]byte, error) { return nil, nil },
			Dialer: &net.Dialer{}, Now: time.Now, GOOS: "linux"}
	}
	return a, out, errb
}

func TestProbeBadInput(t *testing.T) {
	for _, c := range []struct {
		args  []string
		names string
	}{
		{[]string{"probe"}, "TARGET"},
		{[]string{"probe", "-4", "-6", "127.0.0.1:80"}, "-4 and -6"},
		{[]string{"probe", "--timeout", "0", "127.0.0.1:80"}, "--timeout"},
		{[]string{"probe", "--timeout", "soon", "127.0.0.1:80"}, "--timeout"},
		{[]string{"probe", "-6", "127.0.0.1:80"}, "-6"},
		{[]string{"probe", "127.0.0.1:80", "127.0.0.1:99999"}, "99999"},
	} {
		a, out, errb := probeApp()
		if code := run(c.args, a); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", c.args, code, exitUsage)
		}
		if msg := errb.String(); strings.Count(msg, "\n") != 1 || !strings.Contains(msg, c.names) {
			t.Errorf("%v: stderr %q is not one line naming %q", c.args, msg, c.names)
		}
		if out.Len() != 0 {
			t.Errorf("%v: printed before failing on bad input: %s", c.args, out)
		}
	}
}

func TestProbeLoopback(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	open := ln.Addr().String()
	closedLn, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := closedLn.Addr().String()
	closedLn.Close()

	a, out, errb := probeApp()
	if code := run([]string{"probe", open}, a); code != exitOK {
		t.Errorf("open port: exit %d: %s%s", code, out, errb)
	}
	if !strings.Contains(out.String(), "accepted") || !strings.Contains(out.String(), "verdict: ") ||
		!strings.Contains(out.String(), "this host's own") {
		t.Errorf("open port output lacks the outcome, the verdict or the check explanation:\n%s", out)
	}

	// Sockets that cannot be read: a note, and the probe's answer stands.
	a, out, errb = probeApp()
	a.source = &fakeSource{err: errors.New("permission denied")}
	if code := run([]string{"probe", open}, a); code != exitOK || !strings.Contains(errb.String(), "permission denied") ||
		!strings.Contains(out.String(), "accepted") {
		t.Errorf("unreadable sockets: exit %d, stderr %q, stdout:\n%s", code, errb, out)
	}

	a, out, _ = probeApp()
	if code := run([]string{"probe", "--json", open, closed}, a); code != exitRefused {
		t.Errorf("open and closed: exit %d, want %d", code, exitRefused)
	}
	var doc []struct {
		Target struct {
			Host string `json:"host"`
			Port int    `json:"port"`
		} `json:"target"`
		Resolution []struct{ Source, Address string } `json:"resolution"`
		Attempts   []struct {
			Address, Outcome, Error string
			Millis                  *int64 `json:"millis"`
		} `json:"attempts"`
		Verdict string `json:"verdict"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	port, _ := strconv.Atoi(closed[strings.LastIndex(closed, ":")+1:])
	refused := "ECONNREFUSED"
	if runtime.GOOS == "windows" {
		refused = "WSAECONNREFUSED" // as Winsock names it
	}
	if len(doc) != 2 || doc[0].Attempts[0].Outcome != "accepted" || doc[1].Attempts[0].Outcome != "refused" ||
		doc[1].Attempts[0].Error != refused || doc[1].Target.Port != port || doc[1].Resolution[0].Source != "literal" ||
		doc[1].Attempts[0].Millis == nil || doc[1].Verdict == "" {
		t.Errorf("unexpected JSON:\n%s", out)
	}
}
