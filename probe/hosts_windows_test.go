// hosts_windows_test.go holds the test of the hosts file on Windows.

package probe

import (
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testwine"
)

// TestHostsFileWindows: the probe's OS config reads the hosts file from
// %SystemRoot%\System32\drivers\etc\hosts, and that file is really there
// (on Windows, and in a Wine prefix).
func TestHostsFileWindows(t *testing.T) {
	cfg := OSConfig(0)
	if want := testwine.EtcFile(t, "hosts"); !strings.EqualFold(cfg.HostsPath, want) {
		t.Errorf("HostsPath = %q, want %q", cfg.HostsPath, want)
	}
	if _, err := cfg.ReadFile(cfg.HostsPath); err != nil {
		t.Errorf("the hosts file cannot be read where the probe looks: %v", err)
	}
}
