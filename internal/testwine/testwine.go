package testwine

import "testing"

// What Wine lacks, for Skip's reason.
const (
	// OwnerPID: Wine reports owner PID 0 for every listening socket.
	OwnerPID = "Wine reports owner PID 0 for every listening socket"
	// UDP: Wine cannot open UDP sockets for Go programs.
	UDP = `Wine fails net.ListenPacket("udp", ...) with WSAEOPNOTSUPP (10045)`
)

// Running reports whether this process runs under Wine.
func Running() bool {
	_, ok := detect()
	return ok
}

// Version is Wine's version ("8.0"), or "" when not under Wine.
func Version() string {
	v, _ := detect()
	return v
}

// Skip skips t when it runs under Wine, naming what Wine lacks (OwnerPID,
// UDP, or another reason).
func Skip(t testing.TB, lacks string) {
	t.Helper()
	if v, ok := detect(); ok {
		t.Skipf("skipped under Wine %s: %s", v, lacks)
	}
}
