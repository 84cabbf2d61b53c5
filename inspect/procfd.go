// procfd.go holds the pure parsers of the /proc owner walk
// (procfd_linux.go): directory entries, descriptor names, socket links and
// /proc/<pid>/stat. Untagged, so that every OS tests them.

package inspect

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
)

// forDents calls fn with the name of each entry of a batch of directory
// entries (struct linux_dirent64: ino u64, off u64, reclen u16, type u8,
// name), NUL-terminated.
func forDents(d []byte, fn func(name []byte)) {
	const nameOff = 19
	for len(d) >= nameOff {
		reclen := int(binary.NativeEndian.Uint16(d[16:]))
		if reclen < nameOff || reclen > len(d) {
			return
		}
		name := d[nameOff:reclen] // NUL-terminated, padded
		d = d[reclen:]
		if len(name) == 0 || name[0] < '0' || name[0] > '9' { // "." and ".."
			continue
		}
		fn(name)
	}
}

// countDents counts the descriptors in a batch of directory entries.
func countDents(d []byte) int {
	n := 0
	forDents(d, func([]byte) { n++ })
	return n
}

// fdNumber parses a NUL-terminated descriptor name; -1 when it is not one.
func fdNumber(name []byte) int {
	n := 0
	for _, c := range name {
		if c == 0 {
			return n
		}
		if c < '0' || c > '9' || n > math.MaxInt32/10 {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// socketInode parses "socket:[12345]".
func socketInode(l []byte) (uint64, bool) {
	const prefix = "socket:["
	if len(l) < len(prefix)+2 || string(l[:len(prefix)]) != prefix || l[len(l)-1] != ']' {
		return 0, false
	}
	ino, err := strconv.ParseUint(string(l[len(prefix):len(l)-1]), 10, 64)
	return ino, err == nil
}

// parseStatPPID takes the fourth field of /proc/<pid>/stat, "pid (comm)
// state ppid ...", where comm may hold spaces and parentheses. It
// allocates nothing: it runs for most processes of the host.
func parseStatPPID(b []byte) int32 {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := bytes.TrimLeft(b[i+1:], " ")
	j := bytes.IndexByte(f, ' ') // past the state, to the ppid
	if j <= 0 {
		return -1
	}
	f = bytes.TrimLeft(f[j:], " ")
	p, n := 0, 0
	for ; n < len(f) && f[n] >= '0' && f[n] <= '9' && p <= math.MaxInt32/10; n++ {
		p = p*10 + int(f[n]-'0')
	}
	if n == 0 || (n < len(f) && f[n] != ' ' && f[n] != '\n') {
		return -1
	}
	return int32(p)
}
