// portranges_test.go tests the parse of netsh's excluded port ranges on
// captured outputs (testdata/excludedportrange.txt).

package inspect

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestParseExcludedPortRanges(t *testing.T) {
	data, err := os.ReadFile("testdata/excludedportrange.txt")
	if err != nil {
		t.Fatal(err)
	}
	cases := 0
	var source, proto, want string
	var out []string
	inCase := false
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "## source: "):
			source, inCase, out = strings.TrimPrefix(line, "## source: "), true, nil
		case strings.HasPrefix(line, "## proto: "):
			proto = strings.TrimPrefix(line, "## proto: ")
		case strings.HasPrefix(line, "## want:"):
			want = strings.TrimSpace(strings.TrimPrefix(line, "## want:"))
		case line == "## end":
			cases++
			inCase = false
			got, err := ParseExcludedPortRanges(strings.Join(out, "\r\n"), Protocol(proto), 4)
			if want == "error" {
				if err == nil {
					t.Errorf("%s: no error, got %v", source, got)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", source, err)
				continue
			}
			var s []string
			for _, r := range got {
				if r.Protocol != Protocol(proto) || r.Family != 4 {
					t.Errorf("%s: %+v", source, r)
				}
				w := fmt.Sprintf("%d-%d", r.Start, r.End)
				if r.Administered {
					w += "*"
				}
				s = append(s, w)
			}
			if g := strings.Join(s, " "); g != want {
				t.Errorf("%s:\n got  %s\n want %s", source, g, want)
			}
		case inCase:
			out = append(out, line)
		}
	}
	if cases < 6 {
		t.Fatalf("%d cases read", cases)
	}
	r := PortRange{Start: 50000, End: 50059}
	if !r.Contains(50000) || !r.Contains(50059) || r.Contains(49999) || r.Contains(50060) {
		t.Errorf("Contains is wrong at the ends of %+v", r)
	}
}
