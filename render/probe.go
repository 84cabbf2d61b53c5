// probe.go holds the probe results as text (resolution steps, attempts,
// meanings, summary) and as JSON.

package render

import (
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/whyrefused/whyrefused/internal/text"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/probe"
	"github.com/whyrefused/whyrefused/target"
)

// targetText is the target as host:port/protocol, "this host" for an
// empty host.
func targetText(t target.Target) string {
	host := t.Host
	if host == "" {
		host = "this host"
	}
	return Escape(net.JoinHostPort(host, strconv.Itoa(int(t.Port)))) + "/" + string(t.Protocol)
}

// outcomeCell colours an outcome: green accepted, red refused, yellow the
// rest.
func outcomeCell(o probe.Outcome, opt Options) string {
	switch o {
	case probe.Accepted:
		return opt.paint(ansiGreen, string(o))
	case probe.Refused:
		return opt.paint(ansiRed, string(o))
	}
	return opt.paint(ansiYellow, string(o))
}

// millis is an attempt's time in whole milliseconds.
func millis(a probe.Attempt) int64 { return a.Elapsed.Milliseconds() }

// timeCell is an attempt's time in milliseconds, with a tenth below 10 ms.
func timeCell(a probe.Attempt) string {
	if a.Elapsed < 10*time.Millisecond {
		return strconv.FormatFloat(float64(a.Elapsed.Microseconds())/1000, 'f', 1, 64) + " ms"
	}
	return strconv.FormatInt(millis(a), 10) + " ms"
}

// resolutionSteps says how the host became addresses, one line a step.
func resolutionSteps(r *probe.Result) []string {
	t, res := r.Target, r.Resolution
	var steps []string
	if t.Service != "" {
		steps = append(steps, fmt.Sprintf("service %q is port %d/%s in %s", t.Service, t.Port, t.Protocol, t.ServiceSource))
	}
	switch {
	case t.Host == "":
		return append(steps, "no host given: this host's loopback addresses")
	case res.HostsPath == "":
		return append(steps, t.Host+" is an address: nothing to look up")
	}
	switch {
	case res.HostsErr != nil:
		steps = append(steps, fmt.Sprintf("hosts file %s: cannot be read (%v)", res.HostsPath, res.HostsErr))
	case res.HostsEntries == 0:
		steps = append(steps, fmt.Sprintf("hosts file %s: no entry for %s", res.HostsPath, t.Host))
	default:
		var e []string
		for _, a := range res.Addresses {
			if a.Origin == probe.FromHosts {
				e = append(e, fmt.Sprintf("%s (line %d)", a.Addr, a.HostsLine))
			}
		}
		steps = append(steps, fmt.Sprintf("hosts file %s: %s; clients use these and do not ask DNS", res.HostsPath, strings.Join(e, ", ")))
	}
	switch over := res.Overridden(); {
	case res.ResolverErr != nil && len(res.Answers) == 0:
		steps = append(steps, fmt.Sprintf("resolver: %v", res.ResolverErr))
	case len(over) > 0:
		steps = append(steps, fmt.Sprintf("resolver: %s; clients do not use it: the hosts file overrides DNS, and its entry may be stale", text.Join(res.Answers)))
	case res.HostsEntries == len(res.Answers) && res.FromHostsFile():
		steps = append(steps, "resolver: "+text.Join(res.Answers)+" (the hosts file's entries)")
	default:
		steps = append(steps, "resolver: "+text.Join(res.Answers))
	}
	return steps
}

// ProbeTable writes each result: the resolution step by step, a table of
// the attempts, what each outcome means, and the verdict. checks, when it
// holds a report for a result (same index, nil for none), adds the check
// explanation of the result's addresses that are this host's own.
func ProbeTable(w io.Writer, results []probe.Result, checks []*match.Report, o Options) error {
	for i := range results {
		r := &results[i]
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, o.paint(ansiBold, "probe "+targetText(r.Target)))
		for _, s := range resolutionSteps(r) {
			fmt.Fprintln(w, "  "+Escape(s))
		}
		if len(r.Attempts) > 0 {
			fmt.Fprintln(w)
			header := []string{"ADDRESS", "FROM", "OUTCOME", "ERROR", "TIME"}
			for j := range header {
				header[j] = o.paint(ansiBold, header[j])
			}
			rows := make([][]string, len(r.Attempts))
			for j, a := range r.Attempts {
				rows[j] = []string{Escape(a.Address.String()), string(a.From.Origin), outcomeCell(a.Outcome, o),
					Escape(a.ErrorCode()), timeCell(a)}
			}
			if err := writeTable(w, header, rows); err != nil {
				return err
			}
			fmt.Fprintln(w)
			for _, a := range r.Attempts {
				fmt.Fprintf(w, "%s %s: %s\n", Escape(a.Address.String()), outcomeCell(a.Outcome, o), Escape(a.Meaning))
			}
		}
		fmt.Fprintln(w, o.paint(ansiBold, "verdict: ")+Escape(r.Summary))
		if err := proxyText(w, r, o); err != nil {
			return err
		}
		if i < len(checks) && checks[i] != nil {
			fmt.Fprintln(w)
			fmt.Fprintf(w, "%s %s: this host's own, so here is what its sockets say\n", o.paint(ansiBold, "check"), Escape(text.Join(r.LocalAddrs())))
			if err := CheckTable(w, []match.Report{*checks[i]}, o); err != nil {
				return err
			}
		}
	}
	return nil
}

// proxyText says which proxy the clients that honour the proxy variables
// would connect to instead, and what the probe of it found.
func proxyText(w io.Writer, r *probe.Result, o Options) error {
	if r.ProxyErr != nil {
		fmt.Fprintln(w, o.paint(ansiYellow, "note: ")+Message(r.ProxyErr.Error()))
	}
	if r.Proxy == nil || r.ProxyProbe == nil {
		return nil
	}
	p := r.Proxy
	fmt.Fprintf(w, "%s %s is set: %s connect to the proxy %s instead, not to %s\n\n",
		o.paint(ansiBold, "proxy:"), p.Variable, p.Clients, Escape(strconv.Quote(p.URL)), Escape(targetText(r.Target)))
	return ProbeTable(w, []probe.Result{*r.ProxyProbe}, nil, o)
}

// probeAddressJSON is one step of the resolution.
type probeAddressJSON struct {
	Source  string `json:"source"`
	Address string `json:"address"`
}

// probeAttemptJSON is one connection attempt.
type probeAttemptJSON struct {
	Address string `json:"address"`
	Outcome string `json:"outcome"`
	Error   string `json:"error"`
	Millis  int64  `json:"millis"`
}

// probeJSON is one result, in the README's schema.
type probeJSON struct {
	Target     TargetJSON         `json:"target"`
	Resolution []probeAddressJSON `json:"resolution"`
	Attempts   []probeAttemptJSON `json:"attempts"`
	Verdict    string             `json:"verdict"`
	// LocalCheck is check --json's object for the addresses of this host
	// the probe reached; null when it reached none or the sockets could
	// not be read.
	LocalCheck *CheckReportJSON `json:"local_check"`
	// Proxy is present when a proxy variable sends HTTP clients to a
	// proxy instead.
	Proxy *proxyJSON `json:"proxy,omitempty"`
}

// proxyJSON is the proxy that clients honouring the variables would use,
// and the probe of it.
type proxyJSON struct {
	Variable string    `json:"variable"`
	URL      string    `json:"url"`
	Clients  string    `json:"clients"`
	Probe    probeJSON `json:"probe"`
}

// newProbeJSON converts a result, with its local check or nil.
func newProbeJSON(r *probe.Result, check *match.Report, o Options) probeJSON {
	t := r.Target
	j := probeJSON{
		Target:     newTargetJSON(t),
		Resolution: []probeAddressJSON{},
		Attempts:   []probeAttemptJSON{},
		Verdict:    r.Summary,
	}
	for _, a := range r.Resolution.Addresses {
		j.Resolution = append(j.Resolution, probeAddressJSON{Source: string(a.Origin), Address: a.Addr.String()})
	}
	for _, a := range r.Attempts {
		j.Attempts = append(j.Attempts, probeAttemptJSON{Address: a.Address.String(), Outcome: string(a.Outcome),
			Error: a.ErrorName(), Millis: millis(a)})
	}
	if check != nil {
		c := newCheckReportJSON(*check, o)
		j.LocalCheck = &c
	}
	if r.Proxy != nil && r.ProxyProbe != nil {
		j.Proxy = &proxyJSON{Variable: r.Proxy.Variable, URL: r.Proxy.URL, Clients: r.Proxy.Clients,
			Probe: newProbeJSON(r.ProxyProbe, nil, o)}
	}
	return j
}

// ProbeJSON writes one result as an object, several as an array. checks
// are the local checks of the results (nil, or nil entries, for none), as
// ProbeTable takes them.
func ProbeJSON(w io.Writer, results []probe.Result, checks []*match.Report, o Options) error {
	out := make([]probeJSON, len(results))
	for i := range results {
		var c *match.Report
		if i < len(checks) {
			c = checks[i]
		}
		out[i] = newProbeJSON(&results[i], c, o)
	}
	if len(out) == 1 {
		return writeJSON(w, out[0])
	}
	return writeJSON(w, out)
}
