//go:build !linux

// forwarding_other.go holds forwarding4 where no forwarding switch is
// read (Windows, macOS).

package inspect

// forwarding4 is not known here.
func forwarding4(string) *bool { return nil }
