// procfd_test.go tests the pure parsers of the /proc owner walk, on every OS.

package inspect

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
)

// dirent64 is struct linux_dirent64 without its name, as getdents64(2)
// writes it, in the machine's byte order.
type dirent64 struct {
	Ino    uint64
	Off    int64
	Reclen uint16
	Type   uint8
}

// dents builds a getdents64 batch of the names, each NUL-terminated and
// padded to 8 bytes as the kernel pads them.
func dents(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	for i, n := range names {
		reclen := (binary.Size(dirent64{}) + len(n) + 1 + 7) &^ 7
		d := dirent64{Ino: uint64(100 + i), Off: int64(i + 1), Reclen: uint16(reclen), Type: 10}
		if err := binary.Write(&buf, binary.NativeEndian, d); err != nil {
			t.Fatal(err)
		}
		buf.WriteString(n)
		buf.Write(make([]byte, reclen-binary.Size(d)-len(n)))
	}
	return buf.Bytes()
}

// TestForDents: the descriptors of a batch, "." and ".." skipped, each
// name NUL-terminated; a truncated entry ends the batch.
func TestForDents(t *testing.T) {
	d := dents(t, ".", "..", "0", "17", "255")
	var got []int
	forDents(d, func(name []byte) { got = append(got, fdNumber(name)) })
	if want := []int{0, 17, 255}; !slices.Equal(got, want) {
		t.Errorf("forDents: %v, want %v", got, want)
	}
	if n := countDents(d); n != 3 {
		t.Errorf("countDents = %d, want 3", n)
	}
	if n := countDents(d[:len(d)-1]); n != 2 {
		t.Errorf("countDents of a truncated batch = %d, want 2", n)
	}
}

func TestFDNumber(t *testing.T) {
	for name, want := range map[string]int{"0\x00": 0, "17\x00\x00\x00": 17, "123": 123, "1a\x00": -1, "99999999999\x00": -1} {
		if got := fdNumber([]byte(name)); got != want {
			t.Errorf("fdNumber(%q) = %d, want %d", name, got, want)
		}
	}
}

func TestSocketInode(t *testing.T) {
	for _, c := range []struct {
		in  string
		ino uint64
		ok  bool
	}{
		{"socket:[12345]", 12345, true},
		{"socket:[]", 0, false},
		{"pipe:[12345]", 0, false},
		{"socket:[12x]", 0, false},
		{"/dev/null", 0, false},
	} {
		ino, ok := socketInode([]byte(c.in))
		if ino != c.ino || ok != c.ok {
			t.Errorf("%q: %d, %v; want %d, %v", c.in, ino, ok, c.ino, c.ok)
		}
	}
}

func TestParseStatPPID(t *testing.T) {
	for in, want := range map[string]int32{
		"42 (nginx) S 1 42 42 0":       1,
		"43 (a) b (c) R 42 43 43 0 -1": 42,
		"44 (x)":                       -1,
		"garbage":                      -1,
		"45 (x) S 7\n":                 7,
		"46 (x) S":                     -1,
		"47 (x) S 9x 1":                -1,
		"48 (x) S 99999999999 1":       -1,
	} {
		if got := parseStatPPID([]byte(in)); got != want {
			t.Errorf("%q: %d, want %d", in, got, want)
		}
	}
}
