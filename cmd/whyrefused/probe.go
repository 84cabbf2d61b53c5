// probe.go holds the probe command: its flags, and probeRun, which parses
// every target, probes each and prints the results.

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/probe"
	"github.com/whyrefused/whyrefused/render"
	"github.com/whyrefused/whyrefused/target"
)

// probeOptions are the flags of `whyrefused probe`.
type probeOptions struct {
	timeout    time.Duration
	udp        bool
	ipv4, ipv6 bool
	json       bool
	targets    []string      // the arguments
	wait       time.Duration // --wait: how long to retry until every target accepts
}

func newProbeCmd(a *app) *cobra.Command {
	o := &probeOptions{}
	cmd := &cobra.Command{
		Use:   "probe TARGET...",
		Short: "Connect to a target as a client would, and tell refused from timed out from unreachable",
		Long: `probe resolves each TARGET as this host's clients do (the hosts file, then DNS),
connects to every address it resolves to, and says for each whether it was
accepted, refused, timed out or unreachable, what that means, and what to try.
TARGET is host:port, [v6addr]:port, host:service, a URL, or :port (this host).`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("probe needs at least one TARGET: HOST:PORT, a URL or an error line")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.targets = args
			return probeRun(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.DurationVar(&o.timeout, "timeout", probe.DefaultTimeout, "how long to wait for each name lookup and each address (Windows reports a refusal only after about 2s)")
	f.BoolVar(&o.udp, "udp", false, "probe UDP: send a datagram and wait for a reply or a refusal")
	f.BoolVarP(&o.ipv4, "ipv4", "4", false, "only IPv4 addresses")
	f.BoolVarP(&o.ipv6, "ipv6", "6", false, "only IPv6 addresses")
	f.BoolVar(&o.json, "json", false, "print JSON for scripts")
	f.DurationVar(&o.wait, "wait", 0, "retry until every target accepts, for at most this long (such as 60s); exit 1 with the explanation at the end")
	return cmd
}

// probeRun parses every target first (bad input stops before any
// connection), probes each, prints, and ends with status 1 unless every
// target had an address that accepted.
func probeRun(ctx context.Context, a *app, o *probeOptions) error {
	if o.timeout <= 0 {
		return usagef("--timeout must be more than 0, such as 3s")
	}
	if o.ipv4 && o.ipv6 {
		return usagef("-4 and -6 exclude each other: give one, or neither for both")
	}
	if o.wait < 0 {
		return usagef("--wait must be more than 0, such as 60s")
	}
	var fam probe.Family
	switch {
	case o.ipv4:
		fam = 4
	case o.ipv6:
		fam = 6
	}
	proto := inspect.TCP
	if o.udp {
		proto = inspect.UDP
	}
	var targets []target.Target
	for _, s := range o.targets {
		ts, err := target.ParseAll(s, proto, a.services) // an error line may name several addresses
		if err != nil {
			return usageError{err}
		}
		for _, t := range ts {
			if err := probe.CheckFamily(t, fam); err != nil {
				return usageError{err}
			}
		}
		targets = append(targets, ts...)
	}
	timeout := o.timeout
	if o.wait > 0 {
		timeout = min(timeout, o.wait) // no one try outlasts the wait
	}
	cfg := a.probeConfig(timeout)
	cfg.Resolver = a.resolver
	if o.wait > 0 {
		return probeWait(ctx, a, o, targets, fam, cfg)
	}
	results := make([]probe.Result, len(targets))
	allAccepted := true
	for i, t := range targets {
		r, err := probe.Run(ctx, t, fam, cfg)
		if err != nil {
			return usageError{err} // a family the target cannot have
		}
		results[i] = r
		allAccepted = allAccepted && r.Accepted()
	}
	ownFirewall(ctx, results, a.source)
	if err := probeOutput(ctx, a, o, results); err != nil {
		return err
	}
	if !allAccepted {
		return exitStatus(exitRefused)
	}
	return nil
}

// probeOutput prints the results: JSON, or the table with the explanation
// of the addresses that are this host's own.
func probeOutput(ctx context.Context, a *app, o *probeOptions, results []probe.Result) error {
	reports, err := localChecks(ctx, results, a.source, !o.json)
	if err != nil {
		// The probe's answer stands without the explanation.
		fmt.Fprintf(a.stderr, "whyrefused: note: cannot explain with this host's sockets: %s\n", render.Message(err.Error()))
	}
	disagreements(results, reports)
	if o.json {
		err = render.ProbeJSON(a.stdout, results, reports, a.renderOptions())
	} else {
		err = render.ProbeTable(a.stdout, results, reports, a.renderOptions())
	}
	return err
}
