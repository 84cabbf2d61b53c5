// etc_test.go tests EtcPath on every OS.

package inspect

import "testing"

func TestEtcPath(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	for _, c := range []struct{ goos, root, name, want string }{
		{"linux", `D:\Win`, "hosts", "/etc/hosts"},
		{"darwin", "", "services", "/etc/services"},
		{"windows", `D:\Win\`, "hosts", `D:\Win\System32\drivers\etc\hosts`},
		{"windows", "", "services", `C:\Windows\System32\drivers\etc\services`},
	} {
		if got := EtcPath(c.goos, env(c.root), c.name); got != c.want {
			t.Errorf("EtcPath(%s, SystemRoot=%q, %s) = %q, want %q", c.goos, c.root, c.name, got, c.want)
		}
	}
}
