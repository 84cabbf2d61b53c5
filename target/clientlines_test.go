// clientlines_test.go holds the test of the error-line forms on the lines
// of testdata/clientlines.txt: clients that cannot run here, each line
// with its source.

package target

import (
	"net"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// lineCase is one case of testdata/clientlines.txt.
type lineCase struct {
	client, source, want, text string
	line                       int
}

// readLineCases reads the cases of testdata/clientlines.txt.
func readLineCases(t *testing.T) []lineCase {
	t.Helper()
	data, err := os.ReadFile("testdata/clientlines.txt")
	if err != nil {
		t.Fatal(err)
	}
	var cases []lineCase
	var c lineCase
	var text []string
	flush := func() {
		if c.want != "" {
			c.text = strings.Join(text, "\n")
			cases = append(cases, c)
		}
		c, text = lineCase{}, nil
	}
	for i, l := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(l, "# "), l == "#":
		case strings.HasPrefix(l, "## "):
			if len(text) > 0 {
				flush()
			}
			k, v, _ := strings.Cut(strings.TrimPrefix(l, "## "), ": ")
			switch k {
			case "client":
				c.client, c.line = v, i+1
			case "source":
				c.source = v
			case "want":
				c.want = v
			default:
				t.Fatalf("clientlines.txt:%d: unknown key %q", i+1, k)
			}
		case l == "":
			flush()
		default:
			text = append(text, l)
		}
	}
	flush()
	return cases
}

// targetsText writes targets as the want lines do: HOST:PORT/PROTO, with
// "*" after an assumed port.
func targetsText(ts []Target) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = net.JoinHostPort(t.Host, strconv.Itoa(int(t.Port)))
		if t.PortAssumed != "" {
			s[i] += "*"
		}
		s[i] += "/" + string(t.Protocol)
	}
	return strings.Join(s, " ")
}

// checkLine parses text and compares with want: the targets, or "error
// TEXT".
func checkLine(t *testing.T, name, text, want string) {
	t.Helper()
	ts, err := ParseAll(text, inspect.TCP, nil)
	if wantErr, ok := strings.CutPrefix(want, "error "); ok {
		switch {
		case err == nil:
			t.Errorf("%s: got %s, want an error naming %q", name, targetsText(ts), wantErr)
		case !strings.Contains(err.Error(), wantErr):
			t.Errorf("%s: error %q does not name %q", name, err, wantErr)
		case strings.Contains(err.Error(), "\n"):
			t.Errorf("%s: error on more than one line: %q", name, err)
		}
		return
	}
	if err != nil {
		t.Errorf("%s: %v, want %s", name, err, want)
		return
	}
	if got := targetsText(ts); got != want {
		t.Errorf("%s:\n got  %s\n want %s", name, got, want)
	}
	for _, tg := range ts {
		if tg.Host == "" {
			t.Errorf("%s: read as every address of this host: %+v", name, tg)
		}
	}
}

func TestClientLinesFromSources(t *testing.T) {
	cases := readLineCases(t)
	if len(cases) < 40 {
		t.Fatalf("only %d cases read from testdata/clientlines.txt", len(cases))
	}
	for _, c := range cases {
		if c.source == "" {
			t.Errorf("clientlines.txt:%d (%s): no source", c.line, c.client)
		}
		checkLine(t, "clientlines.txt:"+strconv.Itoa(c.line)+" ("+c.client+")", c.text, c.want)
	}
}

// TestClientLinesHideCredentials: the client forms that carry a URL or a
// DSN keep their credentials out of Input, and the address is still read.
func TestClientLinesHideCredentials(t *testing.T) {
	for line, want := range map[string]string{
		`Get "http://admin:s3cret@127.0.0.1:8080/x": dial tcp 127.0.0.1:8080: connect: connection refused`:                            "127.0.0.1:8080/tcp",
		`java.sql.SQLNonTransientConnectionException: Could not connect to address=(host=db)(port=3306)(user=root)(password=s3cret)`:  "db:3306/tcp",
		`failed to connect to jdbc:mysql://root:s3cret@db:3306/app: Connection refused`:                                               "db:3306/tcp",
		`psql: error: connection to server at "db" (198.18.0.5), port 5432 failed: Connection refused (dsn: host=db password=s3cret)`: "198.18.0.5:5432/tcp",
		`Error 111 connecting to cache:6379. Connection refused. url=redis://:s3cret@cache:6379/0`:                                    "cache:6379/tcp",
		`Cannot connect to the Docker daemon at tcp://user:s3cret@198.18.0.3:2375. Is the docker daemon running?`:                     "198.18.0.3:2375/tcp",
		`Connection to tcp://u:s3cret@127.0.0.1:3306?hostname=localhost failed: Connection refused`:                                   "127.0.0.1:3306/tcp",
		`curl: (7) Failed to connect to api.example port 443 after 1 ms: Couldn't connect to server (token=s3cret)`:                   "api.example:443/tcp",
	} {
		ts, err := ParseAll(line, inspect.TCP, nil)
		if err != nil {
			t.Errorf("%q: %v", line, err)
			continue
		}
		if got := targetsText(ts); got != want {
			t.Errorf("%q: got %s, want %s", line, got, want)
		}
		for _, tg := range ts {
			if strings.Contains(tg.Input, "s3cret") {
				t.Errorf("%q: Input keeps the secret: %q", line, tg.Input)
			}
		}
	}
}

// TestNeedlesNeverSkipAMatch: a pattern's prefilter never skips a text the
// pattern matches, on every case of testdata/clientlines.txt.
func TestNeedlesNeverSkipAMatch(t *testing.T) {
	f := forms()
	var all []pattern
	for _, l := range f.lines {
		all = append(all, l.re)
	}
	all = append(append(append(all, f.noAddr...), f.local...), f.lookup...)
	withNeedles := 0
	for _, p := range all {
		if p.needles != nil {
			withNeedles++
		}
		for _, c := range readLineCases(t) {
			if p.MatchString(c.text) && p.absent(c.text) {
				t.Errorf("pattern %s matches %q but its needles %q skip it", p, c.text, p.needles)
			}
		}
	}
	if withNeedles < len(all)/2 {
		t.Errorf("only %d of %d patterns have needles", withNeedles, len(all))
	}
}
