// escape.go holds the one escaping layer: every string that came from
// outside (process, user and interface names, paths, command lines, hosts
// and services entries, pasted input, OS and resolver errors) passes
// through Escape before it reaches a terminal, and JSON has its C1
// controls escaped too. Modelled on kubectl's printers/terminal.go.

package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/whyrefused/whyrefused/internal/text"
	"github.com/whyrefused/whyrefused/target"
)

// Escape shows the characters of s that a terminal would act on: C0
// controls (newline, tab and carriage return as \n, \t and \r, the others
// as \x1b), DEL (\x7f), C1 controls (\u009b, a CSI on many terminals), the
// line and paragraph separators (\u2028, \u2029) and bytes that are not
// UTF-8 (\xff). The rest is unchanged, so a table measures the width of
// what is shown.
func Escape(s string) string {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	if i == len(s) {
		return s // printable ASCII: the common case, with no copy
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Message is an error message as it is printed: on one line, with any
// credential removed (cobra's "unknown shorthand flag: 'p' in -pSECRET"
// echoes the argument; a usage error may quote a target) and escaped.
func Message(msg string) string {
	return Escape(target.StripCredentials(text.OneLine(msg)))
}

// EscapeAll escapes each string of ss, in place, and returns ss.
func EscapeAll(ss []string) []string {
	for i, s := range ss {
		ss[i] = Escape(s)
	}
	return ss
}

// escapeJSONC1 escapes the C1 controls in encoded JSON, which
// encoding/json writes raw (it escapes C0 controls, U+2028 and U+2029):
// each is the two bytes 0xC2 0x80-0x9F, which in valid UTF-8 (all the
// encoder writes) stand for nothing else and occur only inside strings.
// The decoded value stays exactly the same.
func escapeJSONC1(b []byte) []byte {
	i := bytes.IndexByte(b, 0xc2)
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for ; i >= 0; i = bytes.IndexByte(b, 0xc2) {
		if i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f {
			out = append(out, b[:i]...)
			out = fmt.Appendf(out, `\u%04x`, rune(b[i+1]))
		} else {
			out = append(out, b[:i+1]...)
			if i+1 < len(b) {
				out = append(out, b[i+1])
			}
		}
		b = b[min(i+2, len(b)):]
	}
	return append(out, b...)
}

// jsonWriter escapes the C1 controls of the JSON written through it. Each
// Write must hold whole encoded values (an Encoder's and Marshal's do).
type jsonWriter struct{ w io.Writer }

func (j jsonWriter) Write(p []byte) (int, error) {
	if _, err := j.w.Write(escapeJSONC1(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
