// check.go holds the check command: its flags, and checkRun, which parses
// the targets, explains each against one snapshot and prints the reports.

package main

import (
	"context"
	"net/netip"
	"time"

	"github.com/spf13/cobra"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/render"
	"github.com/whyrefused/whyrefused/target"
)

// checkOptions are the flags of `whyrefused check`.
type checkOptions struct {
	udp     bool
	json    bool
	targets []string      // the arguments
	from    string        // --from: the client's address
	format  string        // --format: table, json or prometheus ("": table, or json with --json)
	file    string        // -f: the expectations file, "-" for stdin
	wait    time.Duration // --wait: how long to wait for every address to accept
	// netns is --netns: check as if run inside that network namespace.
	netns string
}

func newCheckCmd(a *app) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check TARGET... | -f FILE",
		Short: "Explain why a connection to TARGET would be refused, and what to do",
		Long: `check compares what listens on this host with what a client expects, and explains
why a connection would be accepted or refused.

A TARGET is a port (8080), :PORT, HOST:PORT ([::1]:8080, db.internal:5432,
localhost:postgresql), a URL (postgres://db/app: the scheme gives the port), or a
pasted error line ("dial tcp 127.0.0.1:5432: connect: connection refused").
Add /udp (53/udp) or --udp for UDP.

With -f FILE (- for stdin) the targets come from an expectations file, one a
line with what must hold of it: accept (the default), refuse, from ADDR,
process NAME, user NAME; # starts a comment. --wait retries until every address
accepts (or every line holds). --format prometheus writes metrics for
node_exporter's textfile collector. See docs/operations.md.

On Linux it follows a new connection through the firewall too (nf_tables,
iptables, ufw, firewalld, kube-proxy rules; root reads them), for a client on
another host and one on this host, and says what each will see (--from gives
the client's address, for rules on the source). See docs/firewall.md.

Exit status: 0 every address would accept, for every client (with -f: every expectation holds;
with --format prometheus: the metrics were written); 1 some or all would be
refused or cannot be checked; 2 bad input; 3 the sockets could not be read;
130 a --wait stopped by Ctrl-C.`,
		Example: `  whyrefused check 10.0.0.5:5432
  whyrefused check localhost:8080 'postgres://app@db.internal/app'
  whyrefused 'dial tcp 127.0.0.1:6379: connect: connection refused'
  whyrefused check --wait 30s :5432
  whyrefused check -f /etc/whyrefused/expect --format prometheus`,
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case o.file != "" && len(args) > 0:
				return usagef("-f reads the targets from a file: give no TARGET with it (%q)", args[0])
			case o.file == "" && len(args) == 0:
				return usagef("check needs at least one TARGET: PORT, HOST:PORT, a URL or an error line (or -f FILE)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.targets = args
			return checkRun(cmd.Context(), a, o)
		},
	}
	addCheckFlags(cmd, o)
	return cmd
}

// addCheckFlags registers the flags of check on cmd.
func addCheckFlags(cmd *cobra.Command, o *checkOptions) {
	cmd.Flags().BoolVar(&o.udp, "udp", false, "check UDP instead of TCP")
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON for scripts")
	cmd.Flags().StringVar(&o.netns, "netns", "", "check as if run inside this network namespace: an ip netns name, a PID, a container or a pod ns/name (Linux, root)")
	cmd.Flags().StringVar(&o.from, "from", "", "the client's address, to judge the firewall's rules on the source exactly")
	addOpsFlags(cmd, o)
}

// checkRun parses the targets, takes one snapshot of the sockets they need,
// explains each and prints the reports. It ends with status 1 unless every
// address of every target would accept.
func checkRun(ctx context.Context, a *app, o *checkOptions) error {
	format, err := o.outputFormat()
	if err != nil {
		return err
	}
	if o.file != "" {
		return checkFileRun(ctx, a, o, format)
	}
	targets := make([]target.Target, 0, len(o.targets))
	for _, arg := range o.targets {
		ts, err := target.ParseAll(arg, o.protocol(), a.services) // an error line may name several addresses
		if err != nil {
			return usageError{err}
		}
		targets = append(targets, ts...)
	}
	if o.wait > 0 {
		return checkWait(ctx, a, o, format, targets)
	}
	start := time.Now()
	reps, snap, err := explainTargets(ctx, a, o, targets, format)
	if err != nil {
		return err
	}
	switch format {
	case formatJSON:
		err = render.CheckJSON(a.stdout, reps, a.renderOptions())
	case formatPrometheus:
		// The verdicts are in the metrics: written, they are a success.
		return render.CheckPrometheus(a.stdout, reps, render.Scan{Duration: time.Since(start), Errors: len(snap.Warnings)})
	default:
		err = render.CheckTable(a.stdout, reps, a.renderOptions())
	}
	if err != nil {
		return err
	}
	if !allAccept(reps) {
		return exitStatus(exitRefused)
	}
	return nil
}

// protocol is the protocol of targets that do not name theirs.
func (o *checkOptions) protocol() inspect.Protocol {
	if o.udp {
		return inspect.UDP
	}
	return inspect.TCP
}

// explainTargets takes one snapshot of the sockets the targets need (the
// executables and start times only for JSON) and explains each target.
func explainTargets(ctx context.Context, a *app, o *checkOptions, targets []target.Target, format string) ([]match.Report, *inspect.Snapshot, error) {
	if err := netnsUsage(a, false, o.netns); err != nil {
		return nil, nil, err
	}
	var opts match.Options
	if o.from != "" {
		from, err := netip.ParseAddr(o.from)
		if err != nil {
			return nil, nil, usagef("--from needs an IP address, not %q", render.Message(o.from))
		}
		opts.From = from.Unmap()
	}
	f := match.CheckFilter(targets)
	f.SkipExeAndStart = format != formatJSON // the table shows no executable or start time
	f.WithRules = true                       // on Linux, the firewall too
	f.Netns = o.netns
	snap, err := a.source.Snapshot(ctx, f)
	if err != nil {
		return nil, nil, snapshotError(err)
	}
	reps := make([]match.Report, 0, len(targets))
	for _, t := range targets {
		reps = append(reps, match.ExplainWith(ctx, t, snap, a.resolver, opts))
	}
	followNetns(ctx, a, f, targets, reps, snap)
	return reps, snap, nil
}

// allAccept reports whether every address of every report would accept.
func allAccept(reps []match.Report) bool {
	for _, rep := range reps {
		if rep.Verdict != match.VerdictAccept {
			return false
		}
	}
	return true
}
