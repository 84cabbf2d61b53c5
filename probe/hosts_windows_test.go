package probe

import (
	"os"
	"strings"
	"testing"
)

// TestHostsFileWindows: the probe's OS config reads the hosts file from
// %SystemRoot%\System32\drivers\etc\hosts, and that file is really there
// (on Windows, and in a Wine prefix).
func TestHostsFileWindows(t *testing.T) {
	root := os.Getenv("SystemRoot")
	if root == "" {
		t.Fatal("SystemRoot is not set: every Windows process has it")
	}
	cfg := OSConfig(0)
	want := strings.TrimRight(root, `\`) + `\System32\drivers\etc\hosts`
	if !strings.EqualFold(cfg.HostsPath, want) {
		t.Errorf("HostsPath = %q, want %q", cfg.HostsPath, want)
	}
	if _, err := cfg.ReadFile(cfg.HostsPath); err != nil {
		t.Errorf("the hosts file cannot be read where the probe looks: %v", err)
	}
}
