// completion_test.go holds the tests of shell completion: cobra's
// completion command, and the flag values completed from a snapshot.

package main

import (
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/testtool"
	"github.com/whyrefused/whyrefused/internal/testwine"
)

// completionSnapshot has two owners on three ports, one shared, one
// listener whose owner is hidden, and a name with an escape sequence.
func completionSnapshot() *inspect.Snapshot {
	tcp := func(addr string, owners ...inspect.Owner) inspect.Socket {
		return inspect.Socket{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort(addr), State: inspect.StateListen, Owners: owners}
	}
	pg := inspect.Owner{PID: 700, Name: "postgres"}
	return &inspect.Snapshot{Sockets: []inspect.Socket{
		tcp("127.0.0.1:8080", inspect.Owner{PID: 42, Name: "api\x1b[31m"}),
		tcp("0.0.0.0:5432", pg),
		tcp("[::]:5432", pg),
		{Protocol: inspect.UDP, Family: 4, Local: netip.MustParseAddrPort("0.0.0.0:53"), Owners: []inspect.Owner{pg}},
		tcp("0.0.0.0:22"),
	}}
}

func TestFlagCompletion(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string // the lines, before cobra's ":directive" line
	}{
		{[]string{"list", "--pid", ""}, []string{"42\tapi?[31m tcp/8080", "700\tpostgres tcp/5432 udp/53"}},
		{[]string{"--pid", "7"}, []string{"42\tapi?[31m tcp/8080", "700\tpostgres tcp/5432 udp/53"}}, // the shell filters
		{[]string{"list", "--process", ""}, []string{"api?[31m\ttcp/8080", "postgres\ttcp/5432 udp/53"}},
		{[]string{"list", "--port", ""}, []string{"22\ttcp 0.0.0.0", "53\tudp 0.0.0.0 postgres", "5432\ttcp 0.0.0.0 postgres, tcp :: postgres", "8080\ttcp 127.0.0.1 api?[31m"}},
		{[]string{"--port", ""}, []string{"22\ttcp 0.0.0.0", "53\tudp 0.0.0.0 postgres", "5432\ttcp 0.0.0.0 postgres, tcp :: postgres", "8080\ttcp 127.0.0.1 api?[31m"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			a, out, _ := testApp(&fakeSource{snap: completionSnapshot()})
			if code := run(append([]string{"__complete"}, c.args...), a); code != exitOK {
				t.Fatalf("exit %d", code)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], ":") {
				t.Fatalf("no directive line:\n%s", out)
			}
			if got := strings.Join(lines[:len(lines)-1], "\n"); got != strings.Join(c.want, "\n") {
				t.Errorf("completions:\n%s\nwant:\n%s", got, strings.Join(c.want, "\n"))
			}
			// 4 is ShellCompDirectiveNoFileComp, 32 KeepOrder.
			if d := lines[len(lines)-1]; d != ":36" {
				t.Errorf("directive %s, want :36 (no files, keep order)", d)
			}
		})
	}
}

// TestFlagCompletionUnreadable: sockets that cannot be read complete to
// nothing, with the error directive, not to file names.
func TestFlagCompletionUnreadable(t *testing.T) {
	a, out, _ := testApp(&fakeSource{err: errors.New("no sock_diag")})
	if code := run([]string{"__complete", "list", "--port", ""}, a); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if got := strings.TrimSpace(out.String()); got != ":5" {
		t.Errorf("output %q, want only :5 (error, no files)", got)
	}
}

func TestCompletionCommand(t *testing.T) {
	for shell, want := range map[string]string{
		"bash":       "# bash completion V2 for whyrefused",
		"zsh":        "#compdef whyrefused",
		"fish":       "# fish completion for whyrefused",
		"powershell": "# powershell completion for whyrefused",
	} {
		a, out, errb := testApp(&fakeSource{})
		if code := run([]string{"completion", shell}, a); code != exitOK {
			t.Fatalf("completion %s: exit %d: %s", shell, code, errb)
		}
		if !strings.HasPrefix(out.String(), want) {
			t.Errorf("completion %s starts %.60q, want %q", shell, out.String(), want)
		}
	}
}

// TestBashCompletesForReal loads the real binary's bash completion into a
// real bash and presses Tab after `whyrefused list --port ` while a
// listener of this test is open: its port is offered.
func TestBashCompletesForReal(t *testing.T) {
	testwine.Skip(t, "there is no bash inside Wine")
	bash := testtool.Need(t, "bash", "bash")
	const bashCompletion = "/usr/share/bash-completion/bash_completion"
	testtool.NeedFile(t, bashCompletion, "bash-completion") // what users of bash have
	bin := binary(t)
	port := loopbackListener(t)
	script := `source ` + bashCompletion + ` || exit 1
source <("$BIN" completion bash) || exit 1
complete -p whyrefused || exit 1
COMP_WORDS=(whyrefused list --port "")
COMP_CWORD=3
COMP_LINE="whyrefused list --port "
COMP_POINT=${#COMP_LINE}
__start_whyrefused whyrefused "" --port
printf '%s\n' "${COMPREPLY[@]}"`
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", script)
	cmd.Env = append(os.Environ(), "BIN="+bin, "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "-F __start_whyrefused whyrefused") {
		t.Errorf("the completion did not register:\n%s", out)
	}
	found := false
	for _, l := range strings.Split(string(out), "\n") {
		if strings.TrimSpace(l) == port || strings.HasPrefix(l, port+" ") {
			found = true
		}
	}
	if !found {
		t.Errorf("Tab after --port did not offer this test's port %s:\n%s", port, out)
	}
}
