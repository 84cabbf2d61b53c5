// allow.go holds the allowlist: which skips are right in CI, and why.

package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// allowed is one line of the allowlist:
//
//	TEST-REGEXP | REASON-TEXT | WHY
//
// A skip is allowed when the test's name (subtests joined by "/") matches
// TEST-REGEXP in full and its skip message contains REASON-TEXT: both,
// so that a test allowed to skip under Wine cannot skip for a missing tool.
// A TEST-REGEXP that starts with "[GOOS] " holds only for runs of test
// binaries for that OS ($GOOS, as .ci/wine/test.sh sets it).
type allowed struct {
	line   int
	goos   string // "" for every OS
	test   *regexp.Regexp
	reason string
	why    string
	used   int
}

// parseAllowlist reads the allowlist; "#" starts a comment line.
func parseAllowlist(r io.Reader) ([]*allowed, error) {
	var list []*allowed
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want TEST-REGEXP | REASON-TEXT | WHY, got %q", n, line)
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if f[1] == "" || f[2] == "" {
			return nil, fmt.Errorf("line %d: a skip is allowed for a stated reason only: %q", n, line)
		}
		goos := ""
		if rest, ok := strings.CutPrefix(f[0], "["); ok {
			tag, name, found := strings.Cut(rest, "]")
			if !found || tag == "" {
				return nil, fmt.Errorf("line %d: want [GOOS] TEST-REGEXP, got %q", n, f[0])
			}
			goos, f[0] = tag, strings.TrimSpace(name)
		}
		re, err := regexp.Compile("^(?:" + f[0] + ")$")
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		list = append(list, &allowed{line: n, goos: goos, test: re, reason: f[1], why: f[2]})
	}
	return list, sc.Err()
}

// allows returns the entry that allows test, of a run for goos, to skip
// with message, or nil.
func allows(list []*allowed, goos, test, message string) *allowed {
	for _, a := range list {
		if (a.goos == "" || a.goos == goos) && a.test.MatchString(test) && strings.Contains(message, a.reason) {
			return a
		}
	}
	return nil
}
