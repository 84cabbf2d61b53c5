// main.go holds the filter: go test -json in, go test's usual lines out,
// and the verdict on the skips.

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go test -json ./... | skipcheck ALLOWLIST")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "skipcheck: %v\n", err)
		os.Exit(2)
	}
	list, err := parseAllowlist(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(os.Stderr, "skipcheck: %s: %v\n", os.Args[1], err)
		os.Exit(2)
	}
	goos := os.Getenv("GOOS") // the test binaries' OS, when cross-built
	if goos == "" {
		goos = runtime.GOOS
	}
	os.Exit(check(os.Stdin, os.Stdout, list, goos))
}

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action     string
	Package    string
	ImportPath string // build-output and build-fail
	Test       string
	Output     string
}

// skip is a skipped test and its message.
type skip struct{ pkg, test, message string }

// check filters the events of in, a run of test binaries for goos, to out
// and returns the exit status: 1 when a test failed or skipped without
// leave, else 0.
func check(in io.Reader, out io.Writer, list []*allowed, goos string) int {
	w := bufio.NewWriter(out)
	defer w.Flush()
	buffered := make(map[string][]string) // a test's output, until it ends
	var bad []skip
	failed := false
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// Not an event: go's own messages (a module that cannot be
			// fetched, say). Pass them on.
			fmt.Fprintf(w, "%s\n", line)
			continue
		}
		key := e.Package + " " + e.Test
		switch {
		case e.Action == "build-output":
			w.WriteString(e.Output)
		case e.Action == "build-fail":
			failed = true
		case e.Test == "" && e.Action == "output":
			// The package's own lines: "ok  pkg 1.2s", "FAIL pkg", a panic.
			// Without -v go test prints no "PASS" line: neither do we.
			if !strings.HasPrefix(e.Output, "=== ") && e.Output != "PASS\n" {
				w.WriteString(e.Output)
			}
		case e.Test == "":
			if e.Action == "fail" {
				failed = true
			}
		case e.Action == "output":
			buffered[key] = append(buffered[key], e.Output)
		case e.Action == "fail":
			failed = true
			for _, o := range buffered[key] {
				if !strings.HasPrefix(strings.TrimSpace(o), "=== ") {
					w.WriteString(o)
				}
			}
			delete(buffered, key)
		case e.Action == "skip":
			msg := skipMessage(buffered[key])
			delete(buffered, key)
			a := allows(list, goos, e.Test, msg)
			fmt.Fprintf(w, "--- SKIP: %s (%s): %s", e.Test, shortPkg(e.Package), msg)
			if a != nil {
				a.used++
				fmt.Fprintf(w, " [allowed: %s]\n", a.why)
			} else {
				w.WriteString(" [NOT ALLOWED]\n")
				bad = append(bad, skip{e.Package, e.Test, msg})
			}
		case e.Action == "pass":
			delete(buffered, key)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(w, "skipcheck: reading go test's output: %v\n", err)
		return 1
	}
	if len(bad) > 0 {
		fmt.Fprintf(w, "skipcheck: %d test(s) skipped that must run in CI (CI installs every tool a test needs):\n", len(bad))
		for _, s := range bad {
			fmt.Fprintf(w, "  %s %s: %s\n", s.pkg, s.test, s.message)
		}
		fmt.Fprintln(w, "skipcheck: install what they need in a .ci/steps file, or, if the skip is right here, add it with its reason to .ci/skips-allowed.txt")
		return 1
	}
	if failed {
		return 1
	}
	return 0
}

// skipMessage is a skipped test's reason: its output without go test's own
// "=== RUN" and "--- SKIP" lines, on one line.
func skipMessage(output []string) string {
	var parts []string
	for _, o := range output {
		t := strings.TrimSpace(o)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		parts = append(parts, t)
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, " ")
}

// shortPkg is the package path within this module.
func shortPkg(pkg string) string {
	if i := strings.Index(pkg, "/whyrefused/whyrefused/"); i >= 0 {
		return pkg[i+len("/whyrefused/whyrefused/"):]
	}
	return pkg
}
