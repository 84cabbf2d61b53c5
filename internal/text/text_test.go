package text

import "testing"

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"a":                  "a",
		"  two\nlines\r\n  ": "two lines",
		"tab\tand  spaces":   "tab and spaces",
	} {
		if got := OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
