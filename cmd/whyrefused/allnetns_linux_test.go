// allnetns_linux_test.go holds the end-to-end tests of list -A: many
// network namespaces made by the test with ip netns, a listener process
// in each, found by the real binary with its namespace's name; and the
// same as nobody, who gets a warning and no guesses.

package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// testNamespaces are network namespaces made by a test, each with a
// listener process.
type testNamespaces struct {
	names []string
	pids  []int
	ports []int
}

// newListeningNamespaces makes n namespaces with unique names (lo up)
// and starts in each a listener process on 127.0.0.1:port, every one on
// its own port. Everything is stopped and deleted when the test ends.
func newListeningNamespaces(t *testing.T, n, firstPort int) *testNamespaces {
	t.Helper()
	return makeNamespaces(t, n, firstPort)
}

// newNamespaces makes n namespaces with unique names (lo up) and no
// process in them, deleted when the test ends.
func newNamespaces(t *testing.T, n int) *testNamespaces {
	t.Helper()
	return makeNamespaces(t, n, 0)
}

// makeNamespaces makes the namespaces, with a listener in each unless
// firstPort is 0.
func makeNamespaces(t *testing.T, n, firstPort int) *testNamespaces {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make network namespaces")
	}
	testtool.Need(t, "ip", "iproute2")
	b := make([]byte, 3)
	rand.Read(b)
	id := hex.EncodeToString(b)
	tn := &testNamespaces{names: make([]string, n), pids: make([]int, n), ports: make([]int, n)}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		name := fmt.Sprintf("wr-la-%s-%02d", id, i)
		tn.names[i], tn.ports[i] = name, firstPort+i
		if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
			t.Fatalf("as root, ip netns add %s fails: %v\n%s", name, err, out)
		}
		t.Cleanup(func() {
			if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
				t.Errorf("ip netns del %s: %v\n%s", name, err, out)
			}
		})
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := exec.Command("ip", "-n", name, "link", "set", "lo", "up").CombinedOutput(); err != nil {
				errs <- fmt.Errorf("lo up in %s: %v: %s", name, err, out)
				return
			}
			if firstPort == 0 {
				return
			}
			cmd := exec.Command("ip", "netns", "exec", name, os.Args[0])
			cmd.Env = append(os.Environ(), listenHelperEnv+"=127.0.0.1:"+strconv.Itoa(tn.ports[i]))
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				errs <- err
				return
			}
			t.Cleanup(func() { stdin.Close(); cmd.Wait() })
			line, _ := bufio.NewReader(stdout).ReadString('\n')
			if line != "ready\n" {
				errs <- fmt.Errorf("the listener in %s did not start: %q", name, line)
				return
			}
			tn.pids[i] = cmd.Process.Pid // ip netns exec execs the command
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return tn
}

// listAllJSON is the part of list -A --json that the tests read.
type listAllJSON struct {
	Listeners []struct {
		Address string `json:"address"`
		Port    int    `json:"port"`
		Owners  []struct {
			PID int `json:"pid"`
		} `json:"owners"`
		Netns *struct {
			Inode uint64 `json:"inode"`
			Name  string `json:"name"`
		} `json:"netns"`
	} `json:"listeners"`
	Warnings []string `json:"warnings"`
}

func TestListAllNamespaces(t *testing.T) {
	tn := newListeningNamespaces(t, 50, 7100)
	bin := binary(t)
	out, errOut, status := runBinary(t, bin, "list", "-A", "--json", "--tcp")
	if status != 0 {
		t.Fatalf("list -A: status %d: %s", status, errOut)
	}
	var got listAllJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("list -A --json: %v\n%s", err, out)
	}
	type seen struct{ port, pid int }
	byName := map[string][]seen{}
	for _, l := range got.Listeners {
		if l.Netns == nil {
			t.Fatalf("a listener without its namespace: %+v", l)
		}
		pid := 0
		if len(l.Owners) > 0 {
			pid = l.Owners[0].PID
		}
		byName[l.Netns.Name] = append(byName[l.Netns.Name], seen{l.Port, pid})
	}
	for i, name := range tn.names {
		want := seen{tn.ports[i], tn.pids[i]}
		if ls := byName[name]; len(ls) != 1 || ls[0] != want {
			t.Errorf("namespace %s: listeners %+v, want exactly %+v", name, ls, want)
		}
	}

	// The table names each namespace in its NAMESPACE column.
	table, _, status := runBinary(t, bin, "list", "-A", "--tcp")
	if status != 0 || !strings.HasPrefix(table, "NAMESPACE ") {
		t.Fatalf("list -A table (status %d):\n%s", status, table)
	}
	for i, name := range tn.names {
		row := rowOf(table, "127.0.0.1:"+strconv.Itoa(tn.ports[i]))
		if f := strings.Fields(row); len(f) < 4 || f[0] != name || f[3] != strconv.Itoa(tn.pids[i]) {
			t.Errorf("the row of %s's listener is %q", name, row)
		}
	}

	// --netns NAME lists that namespace alone.
	one, _, status := runBinary(t, bin, "list", "--netns", tn.names[7], "--json", "--tcp")
	var only listAllJSON
	if err := json.Unmarshal([]byte(one), &only); status != 0 || err != nil {
		t.Fatalf("list --netns: status %d, %v\n%s", status, err, one)
	}
	if len(only.Listeners) != 1 || only.Listeners[0].Port != tn.ports[7] {
		t.Errorf("list --netns %s: %+v, want its one listener on %d", tn.names[7], only.Listeners, tn.ports[7])
	}
	// And by the PID of a process inside it.
	byPID, _, status := runBinary(t, bin, "list", "--netns", strconv.Itoa(tn.pids[3]), "--tcp")
	if status != 0 || rowOf(byPID, "127.0.0.1:"+strconv.Itoa(tn.ports[3])) == "" || rowOf(byPID, "127.0.0.1:"+strconv.Itoa(tn.ports[4])) != "" {
		t.Errorf("list --netns PID (status %d):\n%s", status, byPID)
	}
}

func TestListAllNamespacesAsNobody(t *testing.T) {
	tn := newListeningNamespaces(t, 2, 7200)
	asNobody, _ := rootListener(t)
	cmd := asNobody("list", "-A", "--json", "--tcp")
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("list -A as nobody: %v\n%s", err, out)
	}
	var got listAllJSON
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	warned := false
	for _, w := range got.Warnings {
		warned = warned || strings.Contains(w, "without root") && strings.Contains(w, "cannot be entered")
	}
	if !warned {
		t.Errorf("no warning that other namespaces cannot be entered: %q", got.Warnings)
	}
	for _, l := range got.Listeners {
		for i, name := range tn.names {
			if l.Port == tn.ports[i] || l.Netns != nil && l.Netns.Name == name {
				t.Errorf("nobody was shown a guess at %s's listener: %+v", name, l)
			}
		}
	}
	// check: the listener in the other namespace is not guessed at, and
	// the answer says what was not looked at.
	cmd = asNobody("check", "--json", "127.0.0.1:"+strconv.Itoa(tn.ports[0]))
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, _ = cmd.Output()
	var rep struct {
		Verdict  string `json:"verdict"`
		Findings []struct {
			Code string `json:"code"`
		} `json:"findings"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("check as nobody: %v\n%s", err, out)
	}
	if rep.Verdict != "refuse" || !strings.Contains(strings.Join(rep.Warnings, " "), "other network namespaces (containers, ip netns) were not looked at: entering them needs root") {
		t.Errorf("check as nobody: %s\n%s", rep.Verdict, out)
	}
	for _, f := range rep.Findings {
		if f.Code == "other-namespace" || f.Code == "nat-mapped" {
			t.Errorf("nobody was given a guess (%s):\n%s", f.Code, out)
		}
	}
	// As root, the same check names the namespace the server runs in.
	rootOut, _, _ := runBinary(t, binary(t), "check", "127.0.0.1:"+strconv.Itoa(tn.ports[0]))
	if !strings.Contains(rootOut, "[other-namespace] the server runs in network namespace "+tn.names[0]) {
		t.Errorf("check as root does not name the other namespace:\n%s", rootOut)
	}

	// --netns into another namespace is refused, with the reason.
	cmd = asNobody("list", "--netns", tn.names[0])
	msg, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(msg), "needs root") {
		t.Errorf("list --netns as nobody: %v\n%s", err, msg)
	}
}
