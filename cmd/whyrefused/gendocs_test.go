// gendocs_test.go tests the man pages and completion files that a build
// tagged gendocs writes (gendocs.go), as the release makes them.

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testwine"
)

// noGo is why the tests that run the go command skip under Wine.
const noGo = "there is no Go toolchain inside Wine"

func TestGendocs(t *testing.T) {
	testwine.Skip(t, noGo) // gendocs runs at release time, on the build host
	dir := t.TempDir()
	bin := filepath.Join(dir, "whyrefused-gendocs")
	if out, err := exec.Command("go", "build", "-tags", "gendocs", "-ldflags", "-X main.version=9.8.7", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build -tags gendocs: %v\n%s", err, out)
	}
	out := filepath.Join(dir, "out")
	cmd := exec.Command(bin, "gendocs", out)
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1764547200") // 2025-12-01
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gendocs: %v\n%s", err, b)
	}
	for page, wants := range map[string][]string{
		"whyrefused.1":            {`.TH "WHYREFUSED" "1" "Dec 2025" "whyrefused 9.8.7" "whyrefused manual"`, "whyrefused - Explain why a connection is refused", `\fB--pid\fP`, "whyrefused-check(1)"},
		"whyrefused-list.1":       {"whyrefused-list - List listening sockets", `\fB--process\fP`, `\fB--cmdline\fP`},
		"whyrefused-check.1":      {"whyrefused-check - Explain why a connection to TARGET would be refused", "Exit status: 0 every address would accept", `\fB--udp\fP`},
		"whyrefused-probe.1":      {"whyrefused-probe - "},
		"whyrefused-completion.1": {"whyrefused-completion - "},
	} {
		b, err := os.ReadFile(filepath.Join(out, "man", page))
		if err != nil {
			t.Error(err)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %q", page, w)
			}
		}
		if strings.Contains(string(b), "gendocs") {
			t.Errorf("%s names the hidden gendocs command", page)
		}
	}
	for file, want := range map[string]string{
		"whyrefused.bash": "# bash completion V2 for whyrefused",
		"whyrefused.zsh":  "#compdef whyrefused",
		"whyrefused.fish": "# fish completion for whyrefused",
		"whyrefused.ps1":  "# powershell completion for whyrefused",
	} {
		b, err := os.ReadFile(filepath.Join(out, "completions", file))
		if err != nil || !strings.HasPrefix(string(b), want) {
			t.Errorf("%s: %v, starts %.50q, want %q", file, err, b, want)
		}
	}
}

// TestNoGendocsInTheBinary: the binary users run has no gendocs command.
func TestNoGendocsInTheBinary(t *testing.T) {
	a, _, errb := testApp(&fakeSource{})
	if code := run([]string{"gendocs", filepath.Join(os.TempDir(), "whyrefused-gendocs-never-made")}, a); code != exitUsage {
		t.Errorf("gendocs without the tag: exit %d (%s), want %d", code, errb, exitUsage)
	}
}
