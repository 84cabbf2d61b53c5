// parse_test.go tests the syntax of an expectations file: every form of a
// line, and every bad line reported with its number, all at once.

package expect

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// services knows postgresql and nothing else.
func services(name string, _ inspect.Protocol) (uint16, string, error) {
	if name == "postgresql" {
		return 5432, "/etc/services", nil
	}
	return 0, "", errors.New("unknown service " + name)
}

func TestParseLines(t *testing.T) {
	for _, c := range []struct {
		line, host string
		port       uint16
		proto      inspect.Protocol
		want       Expect
	}{
		{line: "8080", port: 8080, proto: inspect.TCP},
		{line: "  127.0.0.1:8080   accept  ", host: "127.0.0.1", port: 8080, proto: inspect.TCP},
		{line: "[::1]:6379 refuse", host: "::1", port: 6379, proto: inspect.TCP, want: Expect{Refuse: true}},
		{line: "53/udp accept", port: 53, proto: inspect.UDP},
		{line: "localhost:postgresql process postgres user postgres", host: "localhost", port: 5432, proto: inspect.TCP,
			want: Expect{Process: "postgres", User: "postgres"}},
		{line: "198.18.0.1:6379 refuse from 198.18.0.9 # redis is private", host: "198.18.0.1", port: 6379, proto: inspect.TCP,
			want: Expect{Refuse: true, From: netip.MustParseAddr("198.18.0.9")}},
		{line: "db:5432\tfrom\tfd18::9", host: "db", port: 5432, proto: inspect.TCP, want: Expect{From: netip.MustParseAddr("fd18::9")}},
		{line: "postgres://app:secret@db.internal/app user 999", host: "db.internal", port: 5432, proto: inspect.TCP, want: Expect{User: "999"}},
		{line: `"dial tcp 127.0.0.1:5432: connect: connection refused" process postgres`, host: "127.0.0.1", port: 5432, proto: inspect.TCP,
			want: Expect{Process: "postgres"}},
		{line: "8080 process accept", port: 8080, proto: inspect.TCP, want: Expect{Process: "accept"}},
		{line: "8080 from ::ffff:198.18.0.9", port: 8080, proto: inspect.TCP, want: Expect{From: netip.MustParseAddr("198.18.0.9")}},
	} {
		lines, err := Parse(strings.NewReader(c.line), inspect.TCP, services)
		if err != nil {
			t.Errorf("%q: %v", c.line, err)
			continue
		}
		if len(lines) != 1 {
			t.Errorf("%q: %d lines, want 1", c.line, len(lines))
			continue
		}
		l := lines[0]
		if l.Number != 1 || l.Target.Host != c.host || l.Target.Port != c.port || l.Target.Protocol != c.proto || l.Expect != c.want {
			t.Errorf("%q: got line %d %+v %+v, want %s:%d/%s %+v", c.line, l.Number, l.Target, l.Expect, c.host, c.port, c.proto, c.want)
		}
		if strings.Contains(l.Target.Input, "secret") {
			t.Errorf("%q: the password is kept in %q", c.line, l.Target.Input)
		}
	}
}

func TestParseSkipsCommentsAndBlankLines(t *testing.T) {
	file := "# the web tier\n\n   \n80 # http\r\n\t# indented comment\n443 refuse\n[::1]:22"
	lines, err := Parse(strings.NewReader(file), inspect.TCP, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, l := range lines {
		got = append(got, l.Number)
	}
	if len(got) != 3 || got[0] != 4 || got[1] != 6 || got[2] != 7 {
		t.Fatalf("lines %v, want 4, 6 and 7", got)
	}
}

func TestParseEmptyFile(t *testing.T) {
	lines, err := Parse(strings.NewReader(""), inspect.TCP, nil)
	if err != nil || len(lines) != 0 {
		t.Fatalf("got %v, %v; want no lines and no error", lines, err)
	}
}

// TestParseReportsEveryBadLine gives one bad line of each kind: each is
// reported with its number and what is wrong, and the good lines between
// them do not hide any.
func TestParseReportsEveryBadLine(t *testing.T) {
	file := []string{
		"80",                                   // 1 good
		"80 acept",                             // 2
		"80 from",                              // 3
		"80 from db.internal",                  // 4
		"80 process",                           // 5
		"80 user",                              // 6
		"80 accept refuse",                     // 7
		"80 process a process b",               // 8
		"80 refuse process nginx",              // 9
		"99999",                                // 10
		"accept",                               // 11
		`"dial tcp 127.0.0.1:5432 process pg`,  // 12
		`"127.0.0.1:80"accept`,                 // 13
		"80 from fe80::1%eth0",                 // 14
		"postgres://u:hunter2@db:x/app accept", // 15
		"443 refuse",                           // 16 good
		"80 \x1b[31mred",                       // 17
		strings.Repeat("9", MaxLineLen+10),     // 18
	}
	want := map[int]string{
		2:  `unknown expectation "acept"`,
		3:  "from needs an address",
		4:  `from "db.internal": not an IP address`,
		5:  "process needs a process name",
		6:  "user needs a user name",
		7:  "accept and refuse contradict",
		8:  "process is given twice",
		9:  "refuse with process or user",
		10: "out of range",
		11: `bad target "accept"`,
		12: "no closing",
		13: "space after the quoted target",
		14: "not an IP address",
		15: "bad target",
		17: `"\x1b[31mred"`,
		18: "too long",
	}
	_, err := Parse(strings.NewReader(strings.Join(file, "\n")+"\n"), inspect.TCP, services)
	var bad Errors
	if !errors.As(err, &bad) {
		t.Fatalf("got %v, want Errors", err)
	}
	got := map[int]string{}
	for _, e := range bad {
		got[e.Number] = e.Error()
	}
	for n, w := range want {
		if !strings.Contains(got[n], w) {
			t.Errorf("line %d: got %q, want it to say %q", n, got[n], w)
		}
	}
	for n, g := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("line %d reported, but it is good: %s", n, g)
		}
		if strings.Contains(g, "hunter2") || strings.ContainsRune(g, '\x1b') {
			t.Errorf("line %d: the message %q echoes a secret or a control character", n, g)
		}
		if !strings.HasPrefix(g, "line ") {
			t.Errorf("line %d: the message %q does not start with its line number", n, g)
		}
	}
	if !strings.HasPrefix(err.Error(), "16 bad lines, the first line 2: ") {
		t.Errorf("summary %q", err.Error())
	}
}

// failingReader fails after its text.
type failingReader struct{ done bool }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.done {
		return 0, errors.New("input/output error")
	}
	r.done = true
	return copy(p, "80\n"), nil
}

func TestParseReadError(t *testing.T) {
	_, err := Parse(&failingReader{}, inspect.TCP, nil)
	var bad Errors
	if err == nil || errors.As(err, &bad) {
		t.Fatalf("got %v, want the read error", err)
	}
}

func TestExpectString(t *testing.T) {
	e := Expect{Refuse: true, From: netip.MustParseAddr("198.18.0.9")}
	if got := e.String(); got != "refuse from 198.18.0.9" {
		t.Errorf("got %q", got)
	}
	e = Expect{Process: "nginx", User: "www-data"}
	if got := e.String(); got != "accept process nginx user www-data" {
		t.Errorf("got %q", got)
	}
}
