// escape_test.go holds the tests of the escaping layer.

package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"sshd":                    "sshd",
		"":                        "",
		"ESC]0;PWNED\aESC[2J":     `ESC]0;PWNED\x07ESC[2J`,
		"\x1b]0;PWNED\x07\x1b[2J": `\x1b]0;PWNED\x07\x1b[2J`,
		"a\nb\rc\td\be":           `a\nb\rc\td\x08e`,
		"del\x7f":                 `del\x7f`,
		"csi\u009b31m":            `csi\u009b31m`,
		"bad\xff\xfeutf8":         `bad\xff\xfeutf8`,
		"line\u2028sep":           `line\u2028sep`,
		"ünïcödé 名前 \ufffd":       "ünïcödé 名前 \ufffd",
		"tcp 0.0.0.0:22 1 sshd":   "tcp 0.0.0.0:22 1 sshd",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzEscape: what Escape returns is valid UTF-8 with no control
// character, and printable text passes unchanged.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"sshd", "\x1b[2J", "\u009b", "\xff", "a\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Escape(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Escape(%q) = %q: not UTF-8", s, got)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 {
				t.Fatalf("Escape(%q) = %q keeps %U", s, got, r)
			}
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
			return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029
		}) && got != s {
			t.Fatalf("Escape(%q) = %q changed printable text", s, got)
		}
	})
}

// TestJSONEscapesC1: the JSON written has no raw C1 control, and decodes
// to exactly the value encoded.
func TestJSONEscapesC1(t *testing.T) {
	v := map[string]string{"name": "a\u009b31mb\u0080\u009f\x1b[2J é \u00a0 Â"}
	var buf bytes.Buffer
	if err := writeJSON(&buf, v); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	for _, c1 := range []string{"\u009b", "\u0080", "\u009f", "\x1b"} {
		if bytes.Contains(out, []byte(c1)) {
			t.Errorf("JSON %q holds a raw %U", out, []rune(c1)[0])
		}
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["name"] != v["name"] {
		t.Errorf("JSON %q decodes to %q, %v; want %q", out, back["name"], err, v["name"])
	}
}

// FuzzJSONEscapesC1: for any string, the escaped JSON decodes to the same
// value as the encoder's own, with no C1 control left raw.
func FuzzJSONEscapesC1(f *testing.F) {
	f.Add("a\u009bb")
	f.Add("\xc2\x9b\xc2")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		esc := escapeJSONC1(b)
		var want, got string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(esc, &got); err != nil || got != want {
			t.Fatalf("escaped %q decodes to %q, %v; want %q", esc, got, err, want)
		}
		for _, r := range string(esc) {
			if r >= 0x80 && r <= 0x9f {
				t.Fatalf("escaped %q keeps %U", esc, r)
			}
		}
	})
}
