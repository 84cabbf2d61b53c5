// check.go holds the check report as text (verdicts, findings, the sockets)
// and as JSON.

package render

import (
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/target"
)

// maxConnRows is how many sockets that are not listeners a check table
// shows; JSON has them all.
const maxConnRows = 5

// verdictWord is the verdict as the first word of the verdict line.
func verdictWord(v match.Verdict) string {
	switch v {
	case match.VerdictAccept:
		return "ACCEPTED"
	case match.VerdictRefuse:
		return "REFUSED"
	case match.VerdictPartial:
		return "PARTLY REFUSED"
	default:
		return "UNKNOWN"
	}
}

// verdictColor is the colour of a verdict.
func verdictColor(v match.Verdict) string {
	switch v {
	case match.VerdictAccept:
		return ansiGreen
	case match.VerdictRefuse:
		return ansiRed
	default:
		return ansiYellow
	}
}

// CheckTable writes each report for people: the verdict line (and one line
// per address when there are several), the table of the sockets that bear
// on it with the reason for each, then the numbered findings with what to
// try. Several reports are separated by a blank line and headed by their
// target; the warnings come last, each once.
func CheckTable(w io.Writer, reps []match.Report, o Options) error {
	var warnings []string
	for i, rep := range reps {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if len(reps) > 1 {
			fmt.Fprintf(w, "%s %s (%s)\n", o.paint(ansiBold, "=="), Escape(headInput(rep.Target)), rep.Target.Protocol)
		}
		if err := checkText(w, rep, o); err != nil {
			return err
		}
		for _, warn := range rep.Warnings {
			if !slices.Contains(warnings, warn) {
				warnings = append(warnings, warn)
			}
		}
	}
	for _, warn := range warnings {
		fmt.Fprintln(w, o.paint(ansiYellow, "note: ")+Escape(warn))
	}
	return nil
}

// headInput heads a report among several: the input, or for one of the
// addresses of a pasted error line, that address and the line.
func headInput(t target.Target) string {
	if !strings.ContainsAny(t.Input, " \t\n") {
		return t.Input
	}
	line := []rune(text.OneLine(t.Input))
	if len(line) > 60 {
		line = append(line[:60], []rune("...")...)
	}
	return net.JoinHostPort(t.Host, strconv.Itoa(int(t.Port))) + " from " + strconv.Quote(string(line))
}

// checkText writes one report.
func checkText(w io.Writer, rep match.Report, o Options) error {
	word := o.paint(ansiBold+verdictColor(rep.Verdict), verdictWord(rep.Verdict)+":")
	fmt.Fprintf(w, "%s %s\n", word, Escape(rep.Summary))
	if t := rep.Target; t.PortAssumed != "" {
		fmt.Fprintf(w, "  port %d assumed: %s; give HOST:PORT if the client used another\n", t.Port, Escape(t.PortAssumed))
	}
	if len(rep.Addresses) > 1 || len(rep.Addresses) == 1 && rep.Addresses[0].Symptom != "" && !expected(rep.Addresses[0]) {
		addrs, width := addrTexts(rep.Addresses)
		for k, a := range rep.Addresses {
			text := string(a.Verdict)
			if a.Symptom != "" && !expected(a) {
				text += ", client sees " + string(a.Symptom) + splitText(a)
			}
			if a.Guessed {
				text += match.AssumedMark
			}
			fmt.Fprintf(w, "  %-*s %s", width, addrs[k], o.paint(verdictColor(a.Verdict), text))
			if a.Verdict != match.VerdictAccept && len(a.Codes) > 0 {
				codes := make([]string, len(a.Codes))
				for i, c := range a.Codes {
					codes[i] = string(c)
				}
				fmt.Fprintf(w, " (%s)", strings.Join(codes, ", "))
			}
			fmt.Fprintln(w)
		}
	}
	if len(rep.Sockets) > 0 {
		fmt.Fprintln(w)
		if err := checkRows(w, rep, o); err != nil {
			return err
		}
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintln(w)
	}
	for i, f := range rep.Findings {
		fmt.Fprintf(w, "%d. %s %s.\n", i+1, o.paint(ansiDim, "["+string(f.Code)+"]"), Escape(f.Message))
		fmt.Fprintf(w, "   %s %s.\n", o.paint(ansiCyan, "->"), Escape(f.Suggestion))
	}
	return nil
}

// expected reports whether an address's symptom is the one its verdict
// implies without the firewall (accept: accepted; refuse: ECONNREFUSED),
// for every client: then the table need not spell it out.
func expected(a match.AddressResult) bool {
	want := match.SymptomAccepted
	if a.Verdict != match.VerdictAccept {
		want = match.SymptomRefused
	}
	if a.Verdict == match.VerdictUnknown {
		want = match.SymptomUnsure
	}
	if a.Symptom != want {
		return false
	}
	for _, c := range a.Clients {
		if c.Symptom != want {
			return false
		}
	}
	return true
}

// addrTexts gives each address as shown (escaped: a zone is an
// interface's name) and the widest one's width in runes, as fmt pads.
// Measured once: a name with 100,000 addresses has 100,000 lines.
func addrTexts(as []match.AddressResult) ([]string, int) {
	texts := make([]string, len(as))
	n := 0
	for i, a := range as {
		texts[i] = Escape(a.Addr.String())
		n = max(n, utf8.RuneCountInString(texts[i]))
	}
	return texts, n
}

// checkRows writes the table: the columns of list plus WHY. Sockets that
// are not listeners are cut after maxConnRows.
func checkRows(w io.Writer, rep match.Report, o Options) error {
	header := []string{"PROTO", "LOCAL ADDRESS", "PID", "PROCESS", "USER", "REACHABLE FROM", "WHY"}
	for i := range header {
		header[i] = o.paint(ansiBold, header[i])
	}
	var rows [][]string
	conns, guessed := 0, false
	for _, r := range rep.Sockets {
		reach := o.paint(ansiDim, "not listening ("+string(r.State)+")")
		if r.Listening() {
			reach = reachCell(r.SocketView, o)
			guessed = guessed || r.ReachGuessed
		} else if conns++; conns > maxConnRows {
			continue
		}
		why := Escape(r.Why)
		if r.Serves {
			why = o.paint(ansiGreen, why)
		}
		pid, proc, user := ownerColumns(*r.Socket, o)
		rows = append(rows, []string{protoText(*r.Socket), Escape(r.Local.String()), pid, proc, user, reach, why})
	}
	if err := writeTable(w, header, rows); err != nil {
		return err
	}
	if conns > maxConnRows {
		fmt.Fprintf(w, "... and %d more connections on port %d (--json lists them all)\n", conns-maxConnRows, rep.Target.Port)
	}
	if guessed {
		fmt.Fprintln(w, match.AssumedLegend)
	}
	return nil
}

// TargetJSON is a target in JSON output.
type TargetJSON struct {
	Input         string `json:"input"`
	Protocol      string `json:"protocol"`
	Host          string `json:"host"`
	Port          uint16 `json:"port"`
	Service       string `json:"service,omitempty"`
	ServiceSource string `json:"service_source,omitempty"`
	Scheme        string `json:"scheme,omitempty"`
	PortAssumed   string `json:"port_assumed,omitempty"` // why the port is a client's default: the pasted line named none
}

// newTargetJSON converts a target.
func newTargetJSON(t target.Target) TargetJSON {
	return TargetJSON{Input: t.Input, Protocol: string(t.Protocol), Host: t.Host, Port: t.Port,
		Service: t.Service, ServiceSource: t.ServiceSource, Scheme: t.Scheme, PortAssumed: t.PortAssumed}
}

// AddressJSON is the verdict for one address in JSON output.
type AddressJSON struct {
	Address string        `json:"address"`
	Verdict match.Verdict `json:"verdict"`
	// Symptom is what a client will see (a client on another host's; for
	// a loopback address, one on this host's).
	Symptom match.Symptom `json:"symptom"`
	Guessed bool          `json:"guessed,omitempty"`
	Codes   []match.Code  `json:"codes"`
	// Clients are the symptom of each kind of client the firewall's rules
	// tell apart; absent when the rules were not read.
	Clients []ClientJSON `json:"clients,omitempty"`
}

// ClientJSON is what one kind of client will see.
type ClientJSON struct {
	// Client is "remote", "local" (this host), or the --from address.
	Client  string        `json:"client"`
	Symptom match.Symptom `json:"symptom"`
	// Split, when a rule spreads the client's new connections over
	// destinations that differ, is what each share of them sees; Symptom
	// is then the largest failing share's.
	Split []ShareJSON `json:"split,omitempty"`
}

// ShareJSON is what a share of a client's connections sees.
type ShareJSON struct {
	Symptom match.Symptom `json:"symptom"`
	Share   float64       `json:"share"` // from 0 to 1
	To      []string      `json:"to"`    // the destinations, ADDR:PORT
}

// newSplitJSON converts a client's shares.
func newSplitJSON(split []match.Share) []ShareJSON {
	var out []ShareJSON
	for _, s := range split {
		sj := ShareJSON{Symptom: s.Symptom, Share: s.Share, To: []string{}}
		for _, d := range s.Dests {
			sj.To = append(sj.To, d.String())
		}
		out = append(out, sj)
	}
	return out
}

// splitText is how much of the first client's connections see its
// symptom, when a rule spreads them: " (50% of new connections)".
func splitText(a match.AddressResult) string {
	if len(a.Clients) == 0 || len(a.Clients[0].Split) == 0 {
		return ""
	}
	c := a.Clients[0]
	for _, s := range c.Split {
		if s.Symptom == c.Symptom {
			return fmt.Sprintf(" (%s of new connections)", strings.TrimSuffix(fmt.Sprintf("%.1f", s.Share*100), ".0")+"%")
		}
	}
	return ""
}

// clientName names a client kind for JSON.
func clientName(c match.Client) string {
	switch {
	case c.Local:
		return "local"
	case c.From.IsValid():
		return c.From.String()
	}
	return "remote"
}

// FindingJSON is a finding in JSON output.
type FindingJSON struct {
	Code       match.Code   `json:"code"`
	Message    string       `json:"message"`
	Suggestion string       `json:"suggestion"`
	Addresses  []string     `json:"addresses"`
	Guessed    bool         `json:"guessed,omitempty"`
	Sockets    []SocketJSON `json:"sockets"`
}

// RowJSON is a socket of the check table: a SocketJSON with the reason.
type RowJSON struct {
	SocketJSON
	Why    string `json:"why"`
	Serves bool   `json:"serves"`
}

// CheckReportJSON is one report in JSON output, as the README documents.
type CheckReportJSON struct {
	Target    TargetJSON    `json:"target"`
	Verdict   match.Verdict `json:"verdict"`
	Summary   string        `json:"summary"`
	Guessed   bool          `json:"guessed"`
	Addresses []AddressJSON `json:"addresses"`
	Findings  []FindingJSON `json:"findings"`
	Sockets   []RowJSON     `json:"sockets"`
	Warnings  []string      `json:"warnings"`
}

// newCheckReportJSON converts a report; arrays are empty, never null.
func newCheckReportJSON(rep match.Report, o Options) CheckReportJSON {
	t := rep.Target
	j := CheckReportJSON{
		Target:  newTargetJSON(t),
		Verdict: rep.Verdict, Summary: rep.Summary, Guessed: rep.Guessed,
		Addresses: []AddressJSON{}, Findings: []FindingJSON{}, Sockets: []RowJSON{}, Warnings: []string{},
	}
	for _, a := range rep.Addresses {
		aj := AddressJSON{Address: a.Addr.String(), Verdict: a.Verdict, Symptom: a.Symptom, Guessed: a.Guessed,
			Codes: append([]match.Code{}, a.Codes...)}
		for _, c := range a.Clients {
			aj.Clients = append(aj.Clients, ClientJSON{Client: clientName(c.Client), Symptom: c.Symptom, Split: newSplitJSON(c.Split)})
		}
		j.Addresses = append(j.Addresses, aj)
	}
	for _, f := range rep.Findings {
		fj := FindingJSON{Code: f.Code, Message: f.Message, Suggestion: f.Suggestion, Guessed: f.Guessed,
			Addresses: []string{}, Sockets: []SocketJSON{}}
		for _, a := range f.Addrs {
			fj.Addresses = append(fj.Addresses, a.String())
		}
		for _, s := range f.Sockets {
			fj.Sockets = append(fj.Sockets, listenerJSON(s, rep.Sockets, o))
		}
		j.Findings = append(j.Findings, fj)
	}
	for _, r := range rep.Sockets {
		j.Sockets = append(j.Sockets, RowJSON{SocketJSON: rowSocketJSON(r, o), Why: r.Why, Serves: r.Serves})
	}
	j.Warnings = append(j.Warnings, rep.Warnings...)
	return j
}

// rowSocketJSON is a row's socket with its reach when it listens.
func rowSocketJSON(r match.Row, o Options) SocketJSON {
	j := newSocketJSON(*r.Socket, o)
	if r.Listening() {
		j.Reach, j.ReachGuessed = r.Reach, r.ReachGuessed
	}
	return j
}

// listenerJSON converts a finding's socket, with the reach of its row.
func listenerJSON(s inspect.Socket, rows []match.Row, o Options) SocketJSON {
	for _, r := range rows {
		if match.SameSocket(*r.Socket, s) {
			return rowSocketJSON(r, o)
		}
	}
	return newSocketJSON(s, o)
}

// CheckJSON writes one report as a JSON object, or several as an array.
func CheckJSON(w io.Writer, reps []match.Report, o Options) error {
	out := make([]CheckReportJSON, 0, len(reps))
	for _, rep := range reps {
		out = append(out, newCheckReportJSON(rep, o))
	}
	if len(out) == 1 {
		return writeJSON(w, out[0])
	}
	return writeJSON(w, out)
}
