// status.go holds the live status of --wait: the one line rewritten in
// place on a terminal (plain lines elsewhere), the words of what is still
// refused, and the lines that end a wait that succeeded.

package render

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/whyrefused/whyrefused/expect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/probe"
)

// StatusLine is the status of a wait. On a terminal it is one line,
// rewritten in place (a carriage return, the text cut to the width, and
// clear-to-end-of-line); elsewhere (a log, a pipe) it is a plain line each
// time the status changes.
type StatusLine struct {
	w io.Writer
	// width gives the terminal's columns; 0 when w is not a terminal.
	width func() int
	shown bool   // a line is on the terminal, not ended
	last  string // the last status written as a plain line
}

// NewStatusLine writes the status to w; width gives the columns of the
// terminal w is, 0 when it is not one.
func NewStatusLine(w io.Writer, width func() int) *StatusLine {
	return &StatusLine{w: w, width: width}
}

// Show writes the status: how long the wait has lasted and what it waits
// for.
func (s *StatusLine) Show(elapsed time.Duration, what string) error {
	what = Escape(what)
	cols := s.width()
	if cols <= 0 {
		if what == s.last {
			return nil
		}
		s.last = what
		_, err := fmt.Fprintf(s.w, "whyrefused: waiting (%s): %s\n", Elapsed(elapsed), what)
		return err
	}
	// One column short of the width: writing the last column makes some
	// terminals wrap, and the next \r would rewrite only the wrapped part.
	line := fmt.Sprintf("waiting %s: %s", Elapsed(elapsed), what)
	if room := max(cols-1, 10); twwidth.Width(line) > room {
		line = twwidth.Truncate(line, room-3) + "..."
	}
	s.shown = true
	_, err := io.WriteString(s.w, "\r"+line+"\x1b[K")
	return err
}

// Clear removes the status line from the terminal, so that what follows
// starts on a clean line. Plain lines stay.
func (s *StatusLine) Clear() error {
	if !s.shown {
		return nil
	}
	s.shown = false
	_, err := io.WriteString(s.w, "\r\x1b[K")
	return err
}

// Elapsed is a wait's duration for people: 120ms, 1.23s, 1m5s.
func Elapsed(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(10 * time.Millisecond).String()
	default:
		return d.Round(time.Second).String()
	}
}

// CheckWaiting says what of the reports does not accept yet, in a few
// words a target: ":8080 refused (no-listener); db:5432 unknown
// (unresolvable)".
func CheckWaiting(reps []match.Report) string {
	var parts []string
	for _, rep := range reps {
		if rep.Verdict == match.VerdictAccept {
			continue
		}
		part := rep.Target.Input + " " + strings.ToLower(verdictWord(rep.Verdict))
		if cs := reasonCodes(rep); len(cs) > 0 {
			part += " (" + strings.Join(cs, ", ") + ")"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "; ")
}

// reasonCodes are the codes of a report's findings that say why it does
// not accept: all but listening and owner-hidden.
func reasonCodes(rep match.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		if f.Code != match.CodeListening && f.Code != match.CodeOwnerHidden && !slices.Contains(out, string(f.Code)) {
			out = append(out, string(f.Code))
		}
	}
	return out
}

// ExpectWaiting says which lines of an expectations file do not hold yet:
// "line 3 :8080 fail; line 7 db:5432 unsure".
func ExpectWaiting(results []expect.Result) string {
	var parts []string
	for _, r := range results {
		if r.Status != expect.OK {
			parts = append(parts, fmt.Sprintf("line %d %s %s", r.Line.Number, r.Line.Target.Input, r.Status))
		}
	}
	return strings.Join(parts, "; ")
}

// ProbeWaiting says which probed targets no address accepted yet, with
// what each address met: "db:5432 refused (ECONNREFUSED)".
func ProbeWaiting(results []probe.Result) string {
	var parts []string
	for i := range results {
		r := &results[i]
		if r.Accepted() {
			continue
		}
		var seen []string
		for _, a := range r.Attempts {
			o := string(a.Outcome)
			if a.Errno.Name != "" {
				o += " (" + a.Errno.Name + ")"
			}
			if !slices.Contains(seen, o) {
				seen = append(seen, o)
			}
		}
		if len(r.Attempts) == 0 {
			seen = append(seen, "not resolved")
		}
		parts = append(parts, r.Target.Input+" "+strings.Join(seen, ", "))
	}
	return strings.Join(parts, "; ")
}

// CheckReady writes the end of a wait that succeeded: a verdict line a
// target, with how long it took.
func CheckReady(w io.Writer, elapsed time.Duration, reps []match.Report, o Options) error {
	for _, rep := range reps {
		word := o.paint(ansiBold+verdictColor(rep.Verdict), verdictWord(rep.Verdict))
		if _, err := fmt.Fprintf(w, "%s after %s: %s\n", word, Elapsed(elapsed), Escape(rep.Summary)); err != nil {
			return err
		}
	}
	return nil
}

// ProbeReady writes the end of a probe wait that succeeded: a line a
// target, with how long it took and the addresses that accepted.
func ProbeReady(w io.Writer, elapsed time.Duration, results []probe.Result, o Options) error {
	for i := range results {
		r := &results[i]
		var acc []string
		for _, a := range r.Attempts {
			if a.Outcome == probe.Accepted {
				acc = append(acc, a.Address.Addr().String())
			}
		}
		word := o.paint(ansiBold+ansiGreen, "ACCEPTED")
		if _, err := fmt.Fprintf(w, "%s after %s: %s (%s)\n", word, Elapsed(elapsed), targetText(r.Target), strings.Join(acc, ", ")); err != nil {
			return err
		}
	}
	return nil
}

// WaitStopped writes the end of a wait that a signal stopped: how long it
// lasted and what it still waited for.
func WaitStopped(w io.Writer, elapsed time.Duration, what string) error {
	_, err := fmt.Fprintf(w, "whyrefused: stopped after %s; still waiting for: %s\n", Elapsed(elapsed), Escape(what))
	return err
}

// WaitTimedOut heads the explanation of what still fails when a wait
// ends at its limit.
func WaitTimedOut(w io.Writer, elapsed time.Duration, polls int) error {
	_, err := fmt.Fprintf(w, "Still not ready after %s (%d tries). What still fails:\n\n", Elapsed(elapsed), polls)
	return err
}
