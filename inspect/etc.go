// etc.go holds where the OS keeps its small network files (hosts,
// services): one rule for %SystemRoot%, untagged so every OS tests it.

package inspect

import "strings"

// EtcPath is where the OS goos keeps the network file name ("hosts",
// "services"): %SystemRoot%\System32\drivers\etc\name on Windows (C:\Windows
// when SystemRoot is unset), /etc/name elsewhere. getenv reads the
// environment (os.Getenv).
func EtcPath(goos string, getenv func(string) string, name string) string {
	if goos != "windows" {
		return "/etc/" + name
	}
	root := getenv("SystemRoot")
	if root == "" {
		root = `C:\Windows`
	}
	return strings.TrimRight(root, `\`) + `\System32\drivers\etc\` + name
}
