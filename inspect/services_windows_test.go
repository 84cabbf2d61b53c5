// services_windows_test.go holds the test of the services file's path on
// Windows.

package inspect

import (
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testwine"
)

// TestServicesPathWindows: Windows keeps its services file under
// %SystemRoot%\System32\drivers\etc, with C:\Windows when SystemRoot is not
// set; the real file is read from there (under Wine too), and the answer
// names it.
func TestServicesPathWindows(t *testing.T) {
	want := testwine.EtcFile(t, "services")
	if got := servicesPath(); !strings.EqualFold(got, want) {
		t.Errorf("servicesPath() = %q, want %q", got, want)
	}
	port, src, err := LookupService("ssh", TCP)
	if err != nil || port != 22 || !strings.EqualFold(src, want) {
		t.Errorf(`LookupService("ssh") = %d from %q, %v; want 22 from %q`, port, src, err, want)
	}
	t.Setenv("SystemRoot", "")
	if got := servicesPath(); got != `C:\Windows\System32\drivers\etc\services` {
		t.Errorf("without SystemRoot, servicesPath() = %q", got)
	}
}
