// parse.go holds the syntax of an expectations file: Parse, the Line and
// Expect it yields, and the errors of bad lines, every one with its number.

package expect

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
	"github.com/whyrefused/whyrefused/target"
)

// MaxLineLen is the longest line read: room for a quoted error line
// (target.MaxTargetLen) and its expectations.
const MaxLineLen = target.MaxTargetLen + 1024

// Expect is what must hold of a line's target.
type Expect struct {
	// Refuse is true when no address of the target may accept; false
	// (the default, "accept") when every one must.
	Refuse bool
	// From is the client's address the verdict is for; invalid when the
	// line gives none.
	From netip.Addr
	// Process and User name the owner of the sockets that accept; empty
	// when the line gives none.
	Process, User string
}

// String is the expectation as a line of the file would write it.
func (e Expect) String() string {
	words := []string{"accept"}
	if e.Refuse {
		words[0] = "refuse"
	}
	if e.From.IsValid() {
		words = append(words, "from", e.From.String())
	}
	if e.Process != "" {
		words = append(words, "process", e.Process)
	}
	if e.User != "" {
		words = append(words, "user", e.User)
	}
	return strings.Join(words, " ")
}

// Line is one line of the file that names a target.
type Line struct {
	Number int // from 1
	Target target.Target
	Expect Expect
}

// LineError is a bad line.
type LineError struct {
	Number int
	Err    error
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Number, e.Err) }
func (e LineError) Unwrap() error { return e.Err }

// Errors are every bad line of a file, in order.
type Errors []LineError

func (es Errors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	return fmt.Sprintf("%d bad lines, the first %s", len(es), es[0])
}

// Parse reads an expectations file: one target a line, in any form check
// takes (a target with spaces, such as a pasted error line, in double
// quotes, with Go's escapes), then its expectations:
//
//	accept          every address of the target accepts (the default)
//	refuse          no address accepts
//	from ADDR       ... for a client at ADDR (an IP address)
//	process NAME    the sockets that accept are held by a process NAME
//	user NAME       ... by a process of user NAME (or user ID)
//
// A '#' that starts a word starts a comment, to the end of the line; blank
// lines are skipped. proto and services are as for target.Parse. Every bad
// line is reported, in an Errors; a file that cannot be read is another
// error.
func Parse(r io.Reader, proto inspect.Protocol, services target.ServiceLookup) ([]Line, error) {
	var lines []Line
	var bad Errors
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		raw, tooLong, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if raw == "" && errors.Is(err, io.EOF) && !tooLong {
			break
		}
		switch l, perr := parseLine(raw, proto, services); {
		case tooLong:
			bad = append(bad, LineError{n, fmt.Errorf("it is too long (more than %d bytes)", MaxLineLen)})
		case perr != nil:
			bad = append(bad, LineError{n, perr})
		case l != nil:
			l.Number = n
			lines = append(lines, *l)
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if len(bad) > 0 {
		return nil, bad
	}
	return lines, nil
}

// readLine reads one line without its end ("\n" or "\r\n"). A line longer
// than MaxLineLen is read to its end and dropped: tooLong is true.
func readLine(br *bufio.Reader) (line string, tooLong bool, err error) {
	var b []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(b)+len(chunk) > MaxLineLen+2 {
			tooLong, b = true, nil
		} else if !tooLong {
			b = append(b, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		return s, tooLong, err
	}
}

// parseLine parses one line; nil, nil for a blank line or a comment.
func parseLine(s string, proto inspect.Protocol, services target.ServiceLookup) (*Line, error) {
	s = strings.TrimSpace(s)
	if s == "" || s[0] == '#' {
		return nil, nil
	}
	var tgt string
	if s[0] == '"' {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, errors.New(`the quoted target has no closing '"' (or a bad escape in it)`)
		}
		tgt, _ = strconv.Unquote(q)
		s = s[len(q):]
		if s != "" && s[0] != ' ' && s[0] != '\t' {
			return nil, errors.New(`put a space after the quoted target`)
		}
	} else {
		tgt, s, _ = strings.Cut(strings.ReplaceAll(s, "\t", " "), " ")
	}
	t, err := target.Parse(tgt, proto, services)
	if err != nil {
		return nil, err
	}
	e, err := parseExpect(words(s))
	if err != nil {
		return nil, err
	}
	return &Line{Target: t, Expect: e}, nil
}

// words splits the rest of a line into words, up to a comment.
func words(s string) []string {
	f := strings.Fields(s)
	for i, w := range f {
		if strings.HasPrefix(w, "#") {
			return f[:i]
		}
	}
	return f
}

// expectWords lists the expectations, for errors.
const expectWords = "accept, refuse, from ADDR, process NAME or user NAME"

// parseExpect reads the expectations after a target.
func parseExpect(ws []string) (Expect, error) {
	var e Expect
	seen := map[string]bool{}
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		if seen[w] {
			return e, fmt.Errorf("%s is given twice", w)
		}
		seen[w] = true
		switch w {
		case "accept", "refuse":
			if seen["accept"] && seen["refuse"] {
				return e, errors.New("accept and refuse contradict each other: give one")
			}
			e.Refuse = w == "refuse"
			continue
		case "from", "process", "user":
		default:
			return e, fmt.Errorf("unknown expectation %s: give %s", quote(w), expectWords)
		}
		if i+1 == len(ws) {
			return e, fmt.Errorf("%s needs %s after it", w, map[string]string{"from": "an address", "process": "a process name", "user": "a user name"}[w])
		}
		i++
		arg := ws[i]
		switch w {
		case "from":
			a, err := netip.ParseAddr(arg)
			if err != nil || a.Zone() != "" {
				return e, fmt.Errorf("from %s: not an IP address", quote(arg))
			}
			e.From = a.Unmap()
		case "process":
			e.Process = arg
		case "user":
			e.User = arg
		}
	}
	if e.Refuse && (e.Process != "" || e.User != "") {
		return e, errors.New("refuse with process or user: no socket accepts, so none has an owner to check")
	}
	return e, nil
}

// quote quotes a word of the file for a message: escaped, on one line, at
// most 40 characters.
func quote(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "..."
	}
	return strconv.Quote(text.OneLine(s))
}
