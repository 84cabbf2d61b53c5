//go:build !windows

// portranges_other.go holds reservedPorts where no port range is closed to
// every server: Linux's ip_local_reserved_ports only keeps ports out of
// the ephemeral range, and an explicit bind still works.

package inspect

import "context"

func reservedPorts(context.Context, Filter) ([]PortRange, []string) { return nil, nil }
