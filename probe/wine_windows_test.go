package probe

import (
	"os"
	"testing"

	"golang.org/x/sys/windows"
)

// skipUDPUnderWine skips a UDP test under Wine, whose sockets do not
// report ICMP errors the way Windows does, or when
// WHYREFUSED_TEST_NO_UDP is set.
func skipUDPUnderWine(t *testing.T) {
	t.Helper()
	if os.Getenv("WHYREFUSED_TEST_NO_UDP") != "" {
		t.Skip("WHYREFUSED_TEST_NO_UDP is set")
	}
	if windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil {
		t.Skip("running under Wine, whose UDP sockets do not report ICMP port-unreachable as Windows does")
	}
}
