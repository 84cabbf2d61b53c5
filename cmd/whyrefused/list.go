// list.go holds the list command: its flags (shared with the root command),
// their inspect.Filter, and listRun.

package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/render"
)

// listOptions are the flags of `whyrefused list`.
type listOptions struct {
	tcp, udp   bool
	ipv4, ipv6 bool
	port       portValue
	pid        pidValue
	process    string
	json       bool
	cmdline    bool
	// allNetns and netns are -A and --netns: every network namespace,
	// or one.
	allNetns bool
	netns    string
}

// addListFlags registers the list flags on cmd (list itself, and the root,
// which lists when run with no arguments).
func addListFlags(cmd *cobra.Command, o *listOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.tcp, "tcp", false, "only TCP listeners")
	f.BoolVar(&o.udp, "udp", false, "only UDP sockets")
	f.BoolVarP(&o.ipv4, "ipv4", "4", false, "only IPv4 sockets")
	f.BoolVarP(&o.ipv6, "ipv6", "6", false, "only IPv6 sockets")
	f.Var(&o.port, "port", "only this local port")
	f.Var(&o.pid, "pid", "only sockets held by this process ID")
	f.StringVar(&o.process, "process", "", "only sockets held by a process of this name")
	f.BoolVar(&o.json, "json", false, "print JSON for scripts")
	f.BoolVar(&o.cmdline, "cmdline", false, "show each owner's command line (may reveal secrets)")
	f.BoolVarP(&o.allNetns, "all-namespaces", "A", false, "list the listeners of every network namespace: containers, pods, ip netns (Linux, root)")
	f.StringVar(&o.netns, "netns", "", "list as if run inside this network namespace: an ip netns name, a PID, a container or a pod ns/name (Linux, root)")
}

func newListCmd(a *app) *cobra.Command {
	o := &listOptions{}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List listening sockets, their owners and who can reach them",
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.NoArgs(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return listRun(cmd.Context(), a, o)
		},
	}
	addListFlags(cmd, o)
	registerListCompletions(cmd, a)
	return cmd
}

// filter turns the flags into an inspect.Filter.
func (o *listOptions) filter() inspect.Filter {
	f := inspect.Listeners()
	if o.tcp {
		f.Protocols = append(f.Protocols, inspect.TCP)
	}
	if o.udp {
		f.Protocols = append(f.Protocols, inspect.UDP)
	}
	if o.ipv4 {
		f.Families = append(f.Families, 4)
	}
	if o.ipv6 {
		f.Families = append(f.Families, 6)
	}
	if o.port != 0 {
		f.Ports = []uint16{uint16(o.port)}
	}
	f.PID = int32(o.pid)
	f.ProcessName = o.process
	f.WithCmdline = o.cmdline
	f.SkipExeAndStart = !o.json // the table shows no executable or start time
	f.AllNetns = o.allNetns
	f.Netns = o.netns
	return f
}

// listRun takes a snapshot and prints the listeners.
func listRun(ctx context.Context, a *app, o *listOptions) error {
	if err := netnsUsage(a, o.allNetns, o.netns); err != nil {
		return err
	}
	snap, err := a.source.Snapshot(ctx, o.filter())
	if err != nil {
		return snapshotError(err)
	}
	inv := match.List(snap, a.goos)
	ro := a.renderOptions()
	ro.Cmdline = o.cmdline
	if o.allNetns {
		match.GroupByNetns(&inv, snap.Namespaces)
		ro.Namespaces = true
	}
	if o.json {
		return render.ListJSON(a.stdout, inv, ro)
	}
	return render.ListTable(a.stdout, inv, ro)
}
