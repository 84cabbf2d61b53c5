// services.go holds the services file: where it is and how a service name
// becomes a port.

package inspect

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/whyrefused/whyrefused/internal/conffile"
)

// servicesPath is this OS's services file.
func servicesPath() string { return EtcPath(runtime.GOOS, os.Getenv, "services") }

// LookupService finds the port of a service name ("postgresql") in the OS
// services file (/etc/services on Unix, %SystemRoot%\System32\drivers\etc\services
// on Windows), matching names and aliases case-insensitively. It returns the
// port and the path of the file that said so. It is a target.ServiceLookup.
func LookupService(name string, proto Protocol) (port uint16, source string, err error) {
	path := servicesPath()
	b, err := conffile.Read(path)
	if err != nil {
		return 0, "", fmt.Errorf("unknown service name %q: cannot read the services file: %w", name, err)
	}
	port, ok, err := ParseServices(bytes.NewReader(b), name, proto)
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
// are skipped, as the C library does, and so are lines over
// conffile.MaxLine bytes: the entries after them still count.
func ParseServices(r io.Reader, name string, proto Protocol) (port uint16, ok bool, err error) {
	err = conffile.Lines(r, func(_ int, b []byte) bool {
		if i := bytes.IndexByte(b, '#'); i >= 0 {
			b = b[:i]
		}
		fields := strings.Fields(string(b))
		if len(fields) < 2 {
			return true
		}
		num, p, found := strings.Cut(fields[1], "/")
		if !found || !strings.EqualFold(p, string(proto)) {
			return true
		}
		n, err := strconv.ParseUint(num, 10, 16)
		if err != nil || n == 0 {
			return true
		}
		for i, f := range fields {
			if i != 1 && strings.EqualFold(f, name) {
				port, ok = uint16(n), true
				return false
			}
		}
		return true
	})
	return port, ok, err
}
