// hidden_test.go holds the command-level test of a snapshot that cannot
// see other users' sockets (macOS without root), on every OS.

package main

import (
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

func TestCheckOthersHidden(t *testing.T) {
	snap := &inspect.Snapshot{Backend: "gopsutil", OthersHidden: true,
		Warnings: []string{"not running as root: on macOS only this user's own sockets can be seen"}}
	a, out, _ := testApp(&fakeSource{snap: snap})
	a.goos = "darwin"
	if code := run([]string{"check", "127.0.0.1:5432"}, a); code != exitRefused {
		t.Errorf("exit %d, want %d (cannot be judged)", code, exitRefused)
	}
	got := out.String()
	for _, want := range []string{"UNKNOWN", "[others-hidden]", "sudo whyrefused check 127.0.0.1:5432", "only this user's own sockets"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "REFUSED") || strings.Contains(got, "nothing listens") {
		t.Errorf("a refusal it cannot know:\n%s", got)
	}
}
