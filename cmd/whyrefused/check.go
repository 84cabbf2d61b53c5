// check.go holds the check command: its flags, and checkRun, which parses
// the targets, explains each against one snapshot and prints the reports.

package main

import (
	"context"
	"net/netip"

	"github.com/spf13/cobra"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/render"
	"github.com/whyrefused/whyrefused/target"
)

// checkOptions are the flags of `whyrefused check`.
type checkOptions struct {
	udp     bool
	json    bool
	from    string
	targets []string // the arguments
	// netns is --netns: check as if run inside that network namespace.
	netns string
}

func newCheckCmd(a *app) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check TARGET...",
		Short: "Explain why a connection to TARGET would be refused, and what to do",
		Long: `check compares what listens on this host with what a client expects, and explains
why a connection would be accepted or refused.

A TARGET is a port (8080), :PORT, HOST:PORT ([::1]:8080, db.internal:5432,
localhost:postgresql), a URL (postgres://db/app: the scheme gives the port), or a
pasted error line ("dial tcp 127.0.0.1:5432: connect: connection refused").
Add /udp (53/udp) or --udp for UDP.

On Linux it follows a new connection through the firewall too (nf_tables,
iptables, ufw, firewalld, kube-proxy rules; root reads them), for a client on
another host and one on this host, and says what each will see (--from gives
the client's address, for rules on the source).

Exit status: 0 every address would accept, for every client; 1 some or all would
be refused or cannot be checked; 2 bad input; 3 the sockets could not be read.`,
		Example: `  whyrefused check 10.0.0.5:5432
  whyrefused check localhost:8080 'postgres://app@db.internal/app'
  whyrefused 'dial tcp 127.0.0.1:6379: connect: connection refused'`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("check needs at least one TARGET: PORT, HOST:PORT, a URL or an error line")
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
}

// checkRun parses the targets, takes one snapshot of the sockets they need,
// explains each and prints the reports. It ends with status 1 unless every
// address of every target would accept.
func checkRun(ctx context.Context, a *app, o *checkOptions) error {
	proto := inspect.TCP
	if o.udp {
		proto = inspect.UDP
	}
	targets := make([]target.Target, 0, len(o.targets))
	for _, arg := range o.targets {
		t, err := target.Parse(arg, proto, a.services)
		if err != nil {
			return usageError{err}
		}
		targets = append(targets, t)
	}
	if err := netnsUsage(a, false, o.netns); err != nil {
		return err
	}
	var opts match.Options
	if o.from != "" {
		from, err := netip.ParseAddr(o.from)
		if err != nil {
			return usagef("--from needs an IP address, not %q", text.OneLine(o.from))
		}
		opts.From = from.Unmap()
	}
	f := match.CheckFilter(targets)
	f.SkipExeAndStart = !o.json // the table shows no executable or start time
	f.WithRules = true
	f.Netns = o.netns
	snap, err := a.source.Snapshot(ctx, f)
	if err != nil {
		return snapshotError(err)
	}
	reps := make([]match.Report, 0, len(targets))
	status := exitOK
	for _, t := range targets {
		reps = append(reps, match.ExplainWith(ctx, t, snap, a.resolver, opts))
	}
	followNetns(ctx, a, f, targets, reps, snap)
	for _, rep := range reps {
		if rep.Verdict != match.VerdictAccept {
			status = exitRefused
		}
	}
	if o.json {
		err = render.CheckJSON(a.stdout, reps, a.renderOptions())
	} else {
		err = render.CheckTable(a.stdout, reps, a.renderOptions())
	}
	if err != nil {
		return err
	}
	if status != exitOK {
		return exitStatus(status)
	}
	return nil
}
