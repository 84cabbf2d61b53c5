// expect.go holds the output of check -f: the table of every line of the
// expectations file with OK, FAIL or UNSURE and the reason, and its JSON.

package render

import (
	"fmt"
	"io"
	"strconv"

	"github.com/whyrefused/whyrefused/expect"
)

// statusWords are the statuses as the RESULT column shows them, with
// their colours.
var statusWords = map[expect.Status]struct{ word, color string }{
	expect.OK:     {"OK", ansiGreen},
	expect.Fail:   {"FAIL", ansiRed},
	expect.Unsure: {"UNSURE", ansiYellow},
}

// ExpectTable writes a row for every line of the file (its number, target,
// expectation, result and reason), then a line that counts the results.
func ExpectTable(w io.Writer, results []expect.Result, o Options) error {
	header := []string{"LINE", "TARGET", "EXPECT", "RESULT", "REASON"}
	for i := range header {
		header[i] = o.paint(ansiBold, header[i])
	}
	rows := make([][]string, 0, len(results))
	counts := map[expect.Status]int{}
	for _, r := range results {
		counts[r.Status]++
		sw := statusWords[r.Status]
		rows = append(rows, []string{strconv.Itoa(r.Line.Number), Escape(r.Line.Target.Input),
			Escape(r.Line.Expect.String()), o.paint(ansiBold+sw.color, sw.word), Escape(r.Reason)})
	}
	if err := writeTable(w, header, rows); err != nil {
		return err
	}
	var sum string
	switch {
	case len(results) == 0:
		sum = "no targets in the file"
	case counts[expect.OK] == len(results):
		sum = fmt.Sprintf("all %d expectations hold", len(results))
	default:
		sum = fmt.Sprintf("%d of %d expectations hold: %d fail, %d unsure", counts[expect.OK], len(results), counts[expect.Fail], counts[expect.Unsure])
	}
	_, err := fmt.Fprintln(w, sum)
	return err
}

// ExpectLineJSON is one line of the file in JSON output.
type ExpectLineJSON struct {
	Line   int             `json:"line"`
	Target TargetJSON      `json:"target"`
	Expect ExpectationJSON `json:"expect"`
	Status expect.Status   `json:"status"`
	Reason string          `json:"reason"`
	Report CheckReportJSON `json:"report"`
}

// ExpectationJSON is what a line expects.
type ExpectationJSON struct {
	Verdict string `json:"verdict"` // "accept" or "refuse"
	From    string `json:"from,omitempty"`
	Process string `json:"process,omitempty"`
	User    string `json:"user,omitempty"`
}

// ExpectFileJSON is the whole answer of check -f.
type ExpectFileJSON struct {
	// OK is true when every line's expectation holds.
	OK    bool             `json:"ok"`
	Lines []ExpectLineJSON `json:"lines"`
}

// newExpectFileJSON converts the results; arrays are empty, never null.
func newExpectFileJSON(results []expect.Result, o Options) ExpectFileJSON {
	out := ExpectFileJSON{OK: true, Lines: []ExpectLineJSON{}}
	for _, r := range results {
		e := r.Line.Expect
		ej := ExpectationJSON{Verdict: "accept", Process: e.Process, User: e.User}
		if e.Refuse {
			ej.Verdict = "refuse"
		}
		if e.From.IsValid() {
			ej.From = e.From.String()
		}
		out.OK = out.OK && r.Status == expect.OK
		out.Lines = append(out.Lines, ExpectLineJSON{Line: r.Line.Number, Target: newTargetJSON(r.Line.Target), Expect: ej,
			Status: r.Status, Reason: r.Reason, Report: newCheckReportJSON(r.Report, o)})
	}
	return out
}

// ExpectJSON writes the results of the file as one JSON object.
func ExpectJSON(w io.Writer, results []expect.Result, o Options) error {
	return writeJSON(w, newExpectFileJSON(results, o))
}
