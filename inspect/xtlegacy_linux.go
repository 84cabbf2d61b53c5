// xtlegacy_linux.go holds the I/O half of the legacy x_tables reader: it
// lists the tables the kernel holds for this network namespace and reads
// each with getsockopt IPT_SO_GET_INFO and IPT_SO_GET_ENTRIES (and the
// IPv6 twins) on a raw socket. The parsing is xtlegacy.go.

package inspect

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// getsockopt numbers of ip_tables and ip6_tables (IPT_BASE_CTL = 64).
const (
	xtSOGetInfo    = 64 // IPT_SO_GET_INFO, IP6T_SO_GET_INFO
	xtSOGetEntries = 65 // IPT_SO_GET_ENTRIES, IP6T_SO_GET_ENTRIES
)

// xtGetEntriesHdrLen is sizeof(struct ipt_get_entries): the table's name,
// the blob's size, and padding to the entries' alignment.
var xtGetEntriesHdrLen = xtAlignUp(xtTableMaxNameLen + 4)

// xtSource is where one family's legacy tables are listed and read.
type xtSource struct {
	xf     xtFamily
	names  string // the file under /proc/<thread>/net that lists the tables
	domain int
	level  int
}

var xtSources = []xtSource{
	{xf: xtIPv4, names: "ip_tables_names", domain: unix.AF_INET, level: unix.SOL_IP},
	{xf: xtIPv6, names: "ip6_tables_names", domain: unix.AF_INET6, level: unix.IPPROTO_IPV6},
}

func init() { ruleReaders = append(ruleReaders, addLegacyTables) }

// addLegacyTables adds the namespace's legacy tables to rs, next to its
// nf_tables tables: both filter every packet.
func addLegacyTables(rs *Ruleset) {
	tables, problems := readLegacyTables()
	rs.Tables = append(rs.Tables, tables...)
	if len(problems) > 0 {
		rs.Problems = append(rs.Problems, problems...)
		rs.Complete = false
	}
}

// readLegacyTables reads every legacy x_tables table of the calling
// thread's network namespace. It asks only for the tables that the kernel
// lists: asking for one that does not exist would create it. Problems
// say what could not be read; a kernel without ip_tables has no tables,
// which is no problem.
func readLegacyTables() (tables []Table, problems []string) {
	// One thread: /proc/thread-self/net and the socket must see the same
	// namespace, even when the caller has entered another on its thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	denied := 0
	for _, src := range xtSources {
		t, errs := src.read()
		tables = append(tables, t...)
		for _, err := range errs {
			if errors.Is(err, fs.ErrPermission) {
				denied++
			} else {
				problems = append(problems, err.Error())
			}
		}
	}
	if denied > 0 {
		// One sentence for both families: the same cause.
		problems = append(problems, "the legacy iptables rules (iptables-legacy, ip6tables-legacy) cannot be read without root")
	}
	return tables, problems
}

// read reads one family's tables. Its errors say what it could not read;
// they wrap fs.ErrPermission when that was for want of privilege.
func (src xtSource) read() ([]Table, []error) {
	names, err := xtTableNames(src.names)
	if err != nil {
		return nil, []error{fmt.Errorf("the list of %s tables cannot be read: %w", src.xf.backend, err)}
	}
	if len(names) == 0 {
		return nil, nil
	}
	fd, err := src.socket()
	if err != nil {
		return nil, []error{src.problem(names, err)}
	}
	defer unix.Close(fd)
	var tables []Table
	var problems []error
	for _, name := range names {
		t, err := src.readTable(fd, name)
		switch {
		case errors.Is(err, unix.ENOENT):
			// Gone since it was listed: nothing to read.
		case err != nil:
			problems = append(problems, src.problem([]string{name}, err))
		default:
			tables = append(tables, t)
		}
	}
	return tables, problems
}

// socket opens the raw socket that the tables are read through.
func (src xtSource) socket() (int, error) {
	return unix.Socket(src.domain, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_RAW)
}

// problem says that tables could not be read, and why; for want of
// privilege it wraps fs.ErrPermission.
func (src xtSource) problem(names []string, err error) error {
	what := fmt.Sprintf("the %s tables %s", src.xf.backend, strings.Join(names, ", "))
	if len(names) == 1 {
		what = fmt.Sprintf("the %s table %s", src.xf.backend, names[0])
	}
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		return fmt.Errorf("%s cannot be read without CAP_NET_ADMIN: %w", what, fs.ErrPermission)
	}
	return fmt.Errorf("%s cannot be read: %w", what, err)
}

// xtTableNames lists the tables in /proc/thread-self/net/<file>. A
// missing file means that the kernel has no such tables.
func xtTableNames(file string) ([]string, error) {
	b, err := os.ReadFile(procThreadSelf() + "/net/" + file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(b)), nil
}

// readTable reads one table. A table that changes between its info and
// its entries (EAGAIN) is read again.
func (src xtSource) readTable(fd int, name string) (Table, error) {
	if len(name) >= xtTableMaxNameLen {
		return Table{}, fmt.Errorf("table name %q too long", name)
	}
	var err error
	for range 5 {
		var info xtTableInfo
		info, err = src.getInfo(fd, name)
		if err != nil {
			return Table{}, err
		}
		var blob []byte
		blob, err = src.getEntries(fd, name, info.Size)
		if errors.Is(err, unix.EAGAIN) {
			continue
		}
		if err != nil {
			return Table{}, err
		}
		return parseXTTable(src.xf, info, blob)
	}
	return Table{}, err
}

// getInfo is IPT_SO_GET_INFO for the table name.
func (src xtSource) getInfo(fd int, name string) (xtTableInfo, error) {
	buf := make([]byte, xtGetInfoLen)
	copy(buf, name)
	if err := getsockopt(fd, src.level, xtSOGetInfo, buf); err != nil {
		return xtTableInfo{}, err
	}
	return parseXTInfo(buf)
}

// getEntries is IPT_SO_GET_ENTRIES: the table's entries blob of size
// bytes.
func (src xtSource) getEntries(fd int, name string, size uint32) ([]byte, error) {
	buf := make([]byte, xtGetEntriesHdrLen+int(size))
	copy(buf, name)
	binary.NativeEndian.PutUint32(buf[xtTableMaxNameLen:], size)
	if err := getsockopt(fd, src.level, xtSOGetEntries, buf); err != nil {
		return nil, err
	}
	return buf[xtGetEntriesHdrLen:], nil
}

// getsockopt fills buf with the answer to a getsockopt whose request is
// buf itself; the kernel must use all of it.
func getsockopt(fd, level, opt int, buf []byte) error {
	n := uint32(len(buf))
	_, _, errno := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), uintptr(level), uintptr(opt),
		uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)), 0)
	if errno != 0 {
		return errno
	}
	if int(n) != len(buf) {
		return fmt.Errorf("getsockopt %d: %d bytes, want %d", opt, n, len(buf))
	}
	return nil
}
