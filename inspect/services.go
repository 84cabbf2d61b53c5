// services.go holds the services file: where it is and how a service name
// becomes a port.

package inspect

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// servicesPath is this OS's services file.
func servicesPath() string { return EtcPath(runtime.GOOS, os.Getenv, "services") }

// LookupService finds the port of a service name ("postgresql") in the OS
// services file (/etc/services on Unix, %SystemRoot%\System32\drivers\etc\services
// on Windows), matching names and aliases case-insensitively. It returns the
// port and the path of the file that said so. It is a target.ServiceLookup.
func LookupService(name string, proto Protocol) (port uint16, source string, err error) {
	path := servicesPath()
	f, err := os.Open(path)
	if err != nil {
		return 0, "", fmt.Errorf("unknown service name %q: cannot read the services file: %w", name, err)
	}
	defer f.Close()
	port, ok, err := ParseServices(f, name, proto)
	if err != nil {
		return 0, "", fmt.Errorf("reading %s: %w", path, err)
	}
	if !ok {
		return 0, "", fmt.Errorf("unknown service name %q (not in %s for %s)", name, path, proto)
	}
	return port, path, nil
}

// ParseServices reads a services file in the format of services(5),
//
//	name  port/protocol  [aliases ...]  [# comment]
//
// and returns the port of the first entry for proto whose name or alias is
// name (case-insensitively). ok is false when there is none. Malformed lines
// are skipped, as the C library does.
func ParseServices(r io.Reader, name string, proto Protocol) (port uint16, ok bool, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		num, p, found := strings.Cut(fields[1], "/")
		if !found || !strings.EqualFold(p, string(proto)) {
			continue
		}
		n, err := strconv.ParseUint(num, 10, 16)
		if err != nil || n == 0 {
			continue
		}
		for i, f := range fields {
			if i != 1 && strings.EqualFold(f, name) {
				return uint16(n), true, nil
			}
		}
	}
	return 0, false, sc.Err()
}
