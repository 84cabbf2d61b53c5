// portranges.go holds the ports no server can bind: Windows' excluded port
// ranges, and the parse of `netsh int ipv4 show excludedportrange`, tested
// on every OS.

package inspect

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// PortRange is a range of ports that no server can bind on this host:
// on Windows, an excluded port range, reserved by Hyper-V, WSL2, WinNAT or
// Docker (through the Host Network Service), or by an administrator.
type PortRange struct {
	Protocol Protocol
	Family   int // 4 or 6: the netsh context (ipv4, ipv6) it was read from
	Start    uint16
	End      uint16
	// Administered is true for a range an administrator added (netsh int
	// ipvN add excludedportrange), which netsh marks with "*".
	Administered bool
}

// Contains reports whether port p is in the range.
func (r PortRange) Contains(p uint16) bool { return r.Start <= p && p <= r.End }

// excludedRow is one row of netsh's table: start, end, and the "*" of an
// administered range. It compiles on first use: only check on Windows
// reads the table.
var excludedRow = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*(\d+)\s+(\d+)\s*(\*)?\s*$`) })

// ParseExcludedPortRanges reads the output of `netsh int ipvFAMILY show
// excludedportrange protocol=PROTO`: a header (in the language of the
// system), a line of dashes, then a row "START END" per range, with "*"
// after an administered one. Output without the line of dashes is not
// that table (an error message, for one), and is an error.
func ParseExcludedPortRanges(out string, proto Protocol, family int) ([]PortRange, error) {
	var ranges []PortRange
	table := false
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(strings.TrimSpace(line), "----") {
			table = true
			continue
		}
		m := excludedRow().FindStringSubmatch(line)
		if !table || m == nil {
			continue
		}
		start, err1 := strconv.ParseUint(m[1], 10, 16)
		end, err2 := strconv.ParseUint(m[2], 10, 16)
		if err1 != nil || err2 != nil || start > end || start == 0 {
			return nil, errors.New("netsh printed a port range that is not one: " + strings.TrimSpace(line))
		}
		ranges = append(ranges, PortRange{Protocol: proto, Family: family, Start: uint16(start), End: uint16(end), Administered: m[3] != ""})
	}
	if !table {
		return nil, errors.New("netsh did not print its table of excluded port ranges")
	}
	return ranges, nil
}
