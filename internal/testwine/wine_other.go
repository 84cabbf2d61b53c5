// wine_other.go holds the detection of Wine off Windows: never.

//go:build !windows

package testwine

// detect: Wine runs only Windows programs.
func detect() (string, bool) { return "", false }
