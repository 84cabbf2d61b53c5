// prometheus.go holds the Prometheus text exposition of check and check
// -f, for node_exporter's textfile collector: a sample per target address,
// per finding and per line of the file, and the scan's duration and
// errors; no timestamps (the collector refuses them).

package render

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/whyrefused/whyrefused/expect"
	"github.com/whyrefused/whyrefused/match"
)

// Scan is what the exposition says of the scan itself.
type Scan struct {
	Duration time.Duration
	// Errors counts what went wrong without stopping the scan (the
	// snapshot's warnings).
	Errors int
}

// metric is one metric family: its name, help, and samples in order.
type metric struct {
	name, help string
	samples    []sample
	seen       map[string]bool
}

// sample is one line of a family: its labels, in order, and its value.
type sample struct {
	labels [][2]string
	value  float64
}

// add appends a sample unless one with the same labels is there already
// (a target given twice): a family must not repeat a series.
func (m *metric) add(value float64, labels ...[2]string) {
	key := fmt.Sprint(labels)
	if m.seen == nil {
		m.seen = map[string]bool{}
	}
	if m.seen[key] {
		return
	}
	m.seen[key] = true
	m.samples = append(m.samples, sample{labels, value})
}

// label makes a label pair.
func label(name, value string) [2]string { return [2]string{name, value} }

// The families, in the order they are written.
func families() (accepting, finding, expectOK, expectUnsure, duration, errors *metric) {
	return &metric{name: "whyrefused_accepting", help: "1 when a new connection to the target's address would be accepted, 0 when it would be refused; an address this host cannot judge has no sample (see whyrefused_finding)."},
		&metric{name: "whyrefused_finding", help: "A finding behind the target's verdict, by its stable code (listening, no-listener, loopback-only, ...)."},
		&metric{name: "whyrefused_expectation_ok", help: "1 when the line of the expectations file holds, 0 when it fails or cannot be judged."},
		&metric{name: "whyrefused_expectation_unsure", help: "1 when the line of the expectations file cannot be judged on this host (the reason is in check -f's table)."},
		&metric{name: "whyrefused_scan_duration_seconds", help: "How long whyrefused took to read the sockets and judge the targets."},
		&metric{name: "whyrefused_scan_errors", help: "How many things went wrong without stopping the scan (see whyrefused check's notes)."}
}

// addReport adds a report's addresses and findings.
func addReport(accepting, finding *metric, rep match.Report) {
	t := rep.Target
	for _, a := range rep.Addresses {
		switch a.Verdict {
		case match.VerdictAccept:
			accepting.add(1, label("target", t.Input), label("address", a.Addr.String()), label("protocol", string(t.Protocol)))
		case match.VerdictRefuse:
			accepting.add(0, label("target", t.Input), label("address", a.Addr.String()), label("protocol", string(t.Protocol)))
		}
	}
	for _, f := range rep.Findings {
		finding.add(1, label("target", t.Input), label("code", string(f.Code)))
	}
}

// CheckPrometheus writes the reports of check as a Prometheus text
// exposition.
func CheckPrometheus(w io.Writer, reps []match.Report, scan Scan) error {
	accepting, finding, _, _, duration, errs := families()
	for _, rep := range reps {
		addReport(accepting, finding, rep)
	}
	duration.add(scan.Duration.Seconds())
	errs.add(float64(scan.Errors))
	return writeExposition(w, accepting, finding, duration, errs)
}

// ExpectPrometheus writes the results of check -f as a Prometheus text
// exposition: the reports' samples, and one a line of the file.
func ExpectPrometheus(w io.Writer, results []expect.Result, scan Scan) error {
	accepting, finding, ok, unsure, duration, errs := families()
	for _, r := range results {
		addReport(accepting, finding, r.Report)
		labels := [][2]string{label("line", strconv.Itoa(r.Line.Number)), label("target", r.Line.Target.Input), label("expect", r.Line.Expect.String())}
		ok.add(boolValue(r.Status == expect.OK), labels...)
		unsure.add(boolValue(r.Status == expect.Unsure), labels...)
	}
	duration.add(scan.Duration.Seconds())
	errs.add(float64(scan.Errors))
	return writeExposition(w, accepting, finding, ok, unsure, duration, errs)
}

// boolValue is 1 for true, 0 for false.
func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// writeExposition writes the families as gauges: HELP, TYPE and the
// samples. A family with no sample is still declared, so that a query
// finds its HELP.
func writeExposition(w io.Writer, ms ...*metric) error {
	bw := bufio.NewWriter(w)
	for _, m := range ms {
		fmt.Fprintf(bw, "# HELP %s %s\n# TYPE %s gauge\n", m.name, escapeHelp(m.help), m.name)
		for _, s := range m.samples {
			bw.WriteString(m.name)
			if len(s.labels) > 0 {
				bw.WriteByte('{')
				for i, l := range s.labels {
					if i > 0 {
						bw.WriteByte(',')
					}
					fmt.Fprintf(bw, `%s="%s"`, l[0], escapeLabel(l[1]))
				}
				bw.WriteByte('}')
			}
			bw.WriteByte(' ')
			bw.WriteString(strconv.FormatFloat(s.value, 'g', -1, 64))
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

// labelEscaper escapes what the text format asks of a label value.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// escapeLabel escapes a label value as the text format asks: backslash,
// double quote and line feed; invalid UTF-8 becomes U+FFFD.
func escapeLabel(s string) string { return labelEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD")) }

// helpEscaper escapes what the text format asks of a HELP text.
var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

// escapeHelp escapes a HELP text: backslash and line feed.
func escapeHelp(s string) string { return helpEscaper.Replace(s) }
