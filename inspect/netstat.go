// netstat.go holds the parsing of /proc/net/netstat's accept-queue
// counters (TcpExt ListenOverflows and ListenDrops), apart from the
// reading, so that it is tested on fixed text on every OS.

package inspect

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// parseNetstat reads the TcpExt counters of /proc/net/netstat (or
// /proc/net/snmp's format: a line of names, then a line of values, each
// starting with the group's name) into n.
func parseNetstat(r io.Reader, n *Netstat) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var names []string
	found := 0
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || fields[0] != "TcpExt:" {
			names = nil
			continue
		}
		if names == nil {
			names = fields
			continue
		}
		if len(fields) != len(names) {
			return fmt.Errorf("netstat: TcpExt has %d names and %d values", len(names), len(fields))
		}
		for i, name := range names {
			var dst *uint64
			switch name {
			case "ListenOverflows":
				dst = &n.ListenOverflows
			case "ListenDrops":
				dst = &n.ListenDrops
			default:
				continue
			}
			v, err := strconv.ParseUint(fields[i], 10, 64)
			if err != nil {
				return fmt.Errorf("netstat: %s: %w", name, err)
			}
			*dst = v
			found++
		}
		names = nil
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("netstat: %w", err)
	}
	if found != 2 {
		return fmt.Errorf("netstat: no TcpExt ListenOverflows and ListenDrops")
	}
	return nil
}

// parseSysctlBool parses a sysctl file that holds 0 or 1.
func parseSysctlBool(b []byte) (bool, error) {
	switch s := strings.TrimSpace(string(b)); s {
	case "0":
		return false, nil
	case "1":
		return true, nil
	default:
		return false, fmt.Errorf("not 0 or 1: %q", s)
	}
}
