// readme_linux_test.go runs the README's examples for real and compares
// their output with the README: in a network namespace of the test's own,
// with the README's servers ("postgres" on 127.0.0.1:5432, "nginx" on
// 0.0.0.0:80) played by this test binary under those names.

package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

var updateREADME = flag.Bool("update", false, "rewrite the README's examples with the output of this run")

// updateEnv passes -update on to the test's run in its namespace.
const updateEnv = "WHYREFUSED_UPDATE_README"

// serverEnv makes the test binary a server: it listens on the addresses
// the variable lists and waits for its standard input to close.
const serverEnv = "WHYREFUSED_README_SERVER"

// readmeServers are the README's servers.
var readmeServers = []struct{ name, addrs string }{
	{"postgres", "tcp4 127.0.0.1:5432"},
	{"nginx", "tcp4 0.0.0.0:80"},
}

// serveForREADME is TestMain's hook: in a server child it serves and
// returns true.
func serveForREADME() bool {
	spec := os.Getenv(serverEnv)
	if spec == "" {
		return false
	}
	f := strings.Fields(spec)
	for i := 0; i+1 < len(f); i += 2 {
		ln, err := net.Listen(f[i], f[i+1])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer ln.Close()
	}
	fmt.Println("listening")
	io.Copy(io.Discard, os.Stdin)
	return true
}

// TestREADMEExamples runs every "$ whyrefused ..." line of the README's
// console blocks and compares what it prints with the lines under it.
func TestREADMEExamples(t *testing.T) {
	ip := testtool.Need(t, "ip", "iproute2")
	t.Setenv(binEnv, binary(t)) // built once, outside: the child reuses it
	if *updateREADME {
		t.Setenv(updateEnv, "1") // for the child, which runs without -update
	}
	update := os.Getenv(updateEnv) != ""
	if !testnet.InNetns(t) {
		return
	}
	if out, err := exec.Command(ip, "addr", "add", "198.18.0.1/32", "dev", "lo").CombinedOutput(); err != nil {
		t.Fatalf("ip addr add (in this test's own namespace): %v\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pids := make(map[string]string) // this run's PID: the server's name
	for _, s := range readmeServers {
		path := filepath.Join(dir, s.name) // the process's name is its file's
		if err := os.Symlink(self, path); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(path)
		cmd.Env = append(os.Environ(), serverEnv+"="+s.addrs)
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stdin.Close(); cmd.Wait() })
		buf := make([]byte, 10)
		if n, _ := io.ReadFull(stdout, buf); string(buf[:n]) != "listening\n" {
			t.Fatalf("server %s did not start: %q", s.name, buf[:n])
		}
		pids[strconv.Itoa(cmd.Process.Pid)] = s.name
	}

	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	// The PIDs the README shows, from the last -update: "812  postgres".
	readmePIDs := make(map[string]string)
	for _, s := range readmeServers {
		if m := regexp.MustCompile(`\b(\d+) +` + s.name + `\b`).FindStringSubmatch(text); m != nil {
			readmePIDs[m[1]] = s.name
		}
	}
	examples := readmeExamples(text)
	if len(examples) < 3 {
		t.Fatalf("found %d examples in README.md, want list, check and probe at least", len(examples))
	}
	for _, ex := range examples {
		got := runExample(t, ex.command)
		if update {
			text = strings.Replace(text, ex.block, "$ "+ex.command+"\n"+got, 1)
			continue
		}
		if normalize(got, pids) != normalize(ex.output, readmePIDs) {
			t.Errorf("README.md: $ %s\nprints:\n%s\nthe README says:\n%s(go test ./cmd/whyrefused -run TestREADMEExamples -update rewrites it)", ex.command, got, ex.output)
		}
	}
	if update {
		if err := os.WriteFile("../../README.md", []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// example is one "$ whyrefused ..." line of a console block and the lines
// under it.
type example struct{ block, command, output string }

// readmeExamples finds the examples of the ```console blocks of text.
func readmeExamples(text string) []example {
	var out []example
	for _, b := range regexp.MustCompile("(?s)```console\n(.*?)```").FindAllStringSubmatch(text, -1) {
		lines := strings.SplitAfter(b[1], "\n")
		for i := 0; i < len(lines); i++ {
			if !strings.HasPrefix(lines[i], "$ ") {
				continue
			}
			j := i + 1
			for j < len(lines) && !strings.HasPrefix(lines[j], "$ ") {
				j++
			}
			out = append(out, example{
				block:   strings.Join(lines[i:j], ""),
				command: strings.TrimSuffix(strings.TrimPrefix(lines[i], "$ "), "\n"),
				output:  strings.Join(lines[i+1:j], ""),
			})
			i = j - 1
		}
	}
	return out
}

// runExample runs one README command line ("sudo " dropped: the test is
// root) and returns what it prints.
func runExample(t *testing.T, line string) string {
	t.Helper()
	args := shellWords(strings.TrimPrefix(line, "sudo "))
	if len(args) == 0 || args[0] != "whyrefused" {
		t.Fatalf("README example %q does not run whyrefused", line)
	}
	cmd := exec.Command(binary(t), args[1:]...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, _ := cmd.CombinedOutput() // exit 1 is the answer of a refusal
	return string(out)
}

// shellWords splits a command line at spaces, with '...' quoting.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	in, quoted := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted = !quoted
			in = true
		case r == ' ' && !quoted:
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// normalize makes an output comparable across runs: the servers' PIDs
// become their names ("<pid of postgres>"), measured times ("0.3 ms")
// "N ms", and runs of spaces one space, as the columns' widths follow the
// PIDs' lengths.
func normalize(s string, pids map[string]string) string {
	s = regexp.MustCompile(`\b\d+\b`).ReplaceAllStringFunc(s, func(n string) string {
		if name, ok := pids[n]; ok {
			return "<pid of " + name + ">"
		}
		return n
	})
	s = regexp.MustCompile(`[0-9.]+ ms\b`).ReplaceAllString(s, "N ms")
	return regexp.MustCompile(` +`).ReplaceAllString(s, " ")
}
