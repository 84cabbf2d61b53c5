//go:build !windows

package inspect

// servicesPath is the services file of Unix systems.
func servicesPath() string { return "/etc/services" }
