package inspect

import (
	"os"
	"path/filepath"
)

// servicesPath is %SystemRoot%\System32\drivers\etc\services.
func servicesPath() string {
	root := os.Getenv("SystemRoot")
	if root == "" {
		root = `C:\Windows`
	}
	return filepath.Join(root, "System32", "drivers", "etc", "services")
}
