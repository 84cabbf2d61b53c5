// readme_linux_test.go runs the examples of the README and of docs/ for
// real and compares their output with the text: in a network namespace of
// the test's own, with each file's servers ("postgres" on 127.0.0.1:5432,
// ...) played by this test binary under those names.

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

var updateREADME = flag.Bool("update", false, "rewrite the README's and docs' examples with the output of this run")

// updateEnv passes -update on to the test's run in its namespace.
const updateEnv = "WHYREFUSED_UPDATE_README"

// serverEnv makes the test binary a server: it listens on the addresses
// the variable lists and waits for its standard input to close.
const serverEnv = "WHYREFUSED_README_SERVER"

// server is a process of an example: its name and what it listens on
// ("tcp4 127.0.0.1:5432 udp4 127.0.0.1:53").
type server struct{ name, addrs string }

// exampleFiles are the files whose ```console blocks are run, each with
// the servers its text describes. The host's addresses are 127.0.0.1,
// 198.18.0.1 and ::1. "$ sudo whyrefused" runs as root, "$ whyrefused"
// as nobody.
var exampleFiles = []struct {
	path    string
	servers []server
}{
	{"README.md", []server{{"postgres", "tcp4 127.0.0.1:5432"}, {"nginx", "tcp4 0.0.0.0:80"}}},
	{"docs/list.md", []server{{"nginx", "tcp4 0.0.0.0:80"}, {"python3", "tcp4 127.0.0.1:8765 udp4 127.0.0.1:5353 tcp6 [::1]:9000"}}},
	{"docs/check.md", []server{{"python3", "tcp4 127.0.0.1:5432 udp4 127.0.0.1:8080 tcp4 127.0.0.1:8081"}}},
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
		var c io.Closer
		var err error
		if strings.HasPrefix(f[i], "udp") {
			c, err = net.ListenPacket(f[i], f[i+1])
		} else {
			c, err = net.Listen(f[i], f[i+1])
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer c.Close()
	}
	fmt.Println("listening")
	io.Copy(io.Discard, os.Stdin)
	return true
}

// TestREADMEExamples runs every "$ whyrefused ..." line of the console
// blocks of the README and docs/ and compares what it prints with the
// lines under it.
func TestREADMEExamples(t *testing.T) {
	ip := testtool.Need(t, "ip", "iproute2")
	testtool.Need(t, "setpriv", "util-linux") // the examples without sudo run as nobody
	t.Setenv(binEnv, binary(t))               // built once, outside: the child reuses it
	if *updateREADME {
		t.Setenv(updateEnv, "1") // for the child, which runs without -update
	}
	update := os.Getenv(updateEnv) != ""
	// Alone: a check there must not see the namespaces of the tests that
	// run beside this one (other-namespace would name them).
	if !testnet.InNetnsAlone(t) {
		return
	}
	if out, err := exec.Command(ip, "addr", "add", "198.18.0.1/32", "dev", "lo").CombinedOutput(); err != nil {
		t.Fatalf("ip addr add (in this test's own namespace): %v\n%s", err, out)
	}
	for _, f := range exampleFiles {
		t.Run(f.path, func(t *testing.T) { checkExamples(t, "../../"+f.path, f.servers, update) })
	}
}

// checkExamples starts servers, runs the examples of the file at path and
// compares their output with the file's, or rewrites the file (update).
func checkExamples(t *testing.T, path string, servers []server, update bool) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil { // nobody runs through it
		t.Fatal(err)
	}
	pids := make(map[string]string) // this run's PID: the server's name
	for _, s := range servers {
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

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	// The PIDs the text shows, from the last -update: "812  postgres".
	textPIDs := make(map[string]string)
	for _, s := range servers {
		for _, m := range regexp.MustCompile(`\b(\d+) +`+s.name+`\b`).FindAllStringSubmatch(text, -1) {
			textPIDs[m[1]] = s.name
		}
	}
	examples := readmeExamples(text)
	if len(examples) == 0 {
		t.Fatalf("no examples in %s", path)
	}
	for _, ex := range examples {
		got := runExample(t, ex.command)
		if update {
			if strings.HasSuffix(ex.output, "\n\n") && !strings.HasSuffix(got, "\n\n") {
				got += "\n" // the blank line before the next example
			}
			text = strings.Replace(text, ex.block, "$ "+ex.command+"\n"+got, 1)
			continue
		}
		if normalize(got, pids) != normalize(ex.output, textPIDs) {
			t.Errorf("%s: $ %s\nprints:\n%s\nthe text says:\n%s(go test ./cmd/whyrefused -run TestREADMEExamples -update rewrites it)", path, ex.command, got, ex.output)
		}
	}
	if update {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
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

// runExample runs one example's command line: as root after "sudo ",
// else as nobody; it returns what the command prints.
func runExample(t *testing.T, line string) string {
	t.Helper()
	asRoot := strings.HasPrefix(line, "sudo ")
	args := shellWords(strings.TrimPrefix(line, "sudo "))
	if len(args) == 0 || args[0] != "whyrefused" {
		t.Fatalf("example %q does not run whyrefused", line)
	}
	cmd := exec.Command(binary(t), args[1:]...)
	if !asRoot {
		setpriv := testtool.Need(t, "setpriv", "util-linux")
		cmd = exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", "--", binary(t)}, args[1:]...)...)
	}
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
	s = regexp.MustCompile(` +`).ReplaceAllString(s, " ")
	return strings.TrimRight(s, "\n") + "\n" // the blank line between examples aside
}
