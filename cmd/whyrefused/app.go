// app.go holds the app (what the commands need from the outside world), the
// exit statuses and how errors map to them, and the root command.

package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/mattn/go-colorable"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/conffile"
	"github.com/whyrefused/whyrefused/internal/wait"
	"github.com/whyrefused/whyrefused/probe"
	"github.com/whyrefused/whyrefused/render"
	"github.com/whyrefused/whyrefused/target"
)

// Exit statuses, as the README documents them.
const (
	exitOK       = 0 // all is well / every address would accept
	exitRefused  = 1 // some or all addresses would be refused
	exitUsage    = 2 // bad input
	exitNoSocket = 3 // the sockets could not be read
	exitOutput   = 4 // the output could not be written
	exitFailure  = 5 // any other failure
	// A --wait stopped by a signal: 128 + its number, as a shell reports
	// a process the signal killed.
	exitInterrupted = 130 // SIGINT (Ctrl-C)
	exitTerminated  = 143 // SIGTERM (docker stop, systemctl stop)
)

// resolveTimeout bounds check's lookup of a target's name.
const resolveTimeout = 10 * time.Second

// app holds what the commands need from the outside world, so that tests
// can replace it.
type app struct {
	stdout, stderr io.Writer
	source         inspect.Source
	terminal       bool // stdout is a terminal
	getenv         func(string) string
	goos           string
	resolver       target.Resolver      // resolves target host names
	services       target.ServiceLookup // finds service names' ports
	// probeConfig makes the probe's hosts file, dialer and clock for a
	// timeout (probe.OSConfig); its resolver is set to resolver.
	probeConfig func(timeout time.Duration) *probe.Config
	stdin       io.Reader  // check -f -
	errWidth    func() int // stderr's columns for --wait's status line; 0 when not a terminal (nil: not one)
	clock       wait.Clock // --wait's clock (nil: the wall clock)
}

// newApp wires the real OS.
func newApp() *app {
	a := &app{
		stdout:   os.Stdout,
		stderr:   os.Stderr,
		source:   inspect.Default(),
		terminal: isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd()),
		getenv:   os.Getenv,
		goos:     runtime.GOOS,
		// The hosts file read as whyrefused reads it, then the OS's
		// resolver, bounded: it reads the hosts file too, which may be a
		// FIFO that never answers.
		resolver: target.TimeoutResolver{Timeout: resolveTimeout, R: probe.HostsFirst{
			Path: probe.HostsPath(runtime.GOOS, os.Getenv), ReadFile: conffile.Read, Next: net.DefaultResolver}},
		services: inspect.LookupService,
		stdin:    os.Stdin,
		errWidth: stderrWidth,
		probeConfig: func(timeout time.Duration) *probe.Config {
			cfg := probe.OSConfig(timeout)
			cfg.LocalAddrs, _ = inspect.HostAddrs() // none known: no local check
			return cfg
		},
	}
	if a.terminal {
		// On Windows consoles without VT support, translate ANSI codes.
		a.stdout = colorable.NewColorable(os.Stdout)
	}
	if stderrWidth() > 0 {
		// The same for --wait's status line on stderr (\r, clear-to-EOL).
		a.stderr = colorable.NewColorable(os.Stderr)
	}
	return a
}

// renderOptions decides colours: on a terminal only, and never with
// NO_COLOR (https://no-color.org) or TERM=dumb.
func (a *app) renderOptions() render.Options {
	return render.Options{
		Color: a.terminal && a.getenv("NO_COLOR") == "" && a.getenv("TERM") != "dumb",
	}
}

// usageError is bad input: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef makes a usageError.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitStatus ends a command with a status after its output is written; it
// prints nothing more.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// socketError is a failure to read the host's sockets: exit status 3.
type socketError struct{ err error }

func (e socketError) Error() string { return e.err.Error() }
func (e socketError) Unwrap() error { return e.err }

// run executes the command line and returns the exit status. Every error is
// printed as one line.
func run(args []string, a *app) int {
	out := &latchWriter{w: a.stdout}
	withOut := *a
	withOut.stdout = out
	root := newRootCmd(&withOut)
	root.SetArgs(args)
	err := root.Execute()
	if out.err != nil {
		// The answer did not reach its reader (a full disk, a closed
		// file): whatever it was, say so and fail.
		fmt.Fprintf(a.stderr, "whyrefused: writing the output: %s\n", render.Message(out.err.Error()))
		return exitOutput
	}
	if err == nil {
		return exitOK
	}
	var status exitStatus
	if errors.As(err, &status) {
		return int(status)
	}
	fmt.Fprintf(a.stderr, "whyrefused: %s\n", render.Message(err.Error()))
	return failureStatus(err)
}

// failureStatus is the exit status of an error that is not an exitStatus.
func failureStatus(err error) int {
	var sockErr socketError
	var useErr usageError
	switch {
	case errors.As(err, &useErr):
		return exitUsage
	case errors.As(err, &sockErr):
		return exitNoSocket
	default:
		// Not a known kind: a failure, but not one the user's input caused.
		return exitFailure
	}
}

// latchWriter remembers the first write error, so that one failed write is
// caught wherever it happened, and writes nothing after it.
type latchWriter struct {
	w   io.Writer
	err error
}

func (l *latchWriter) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.w.Write(p)
	l.err = err
	return n, err
}

// newRootCmd builds the command tree. Run with no arguments, whyrefused
// lists the listeners.
func newRootCmd(a *app) *cobra.Command {
	lo := &listOptions{}
	root := &cobra.Command{
		Use:   "whyrefused [TARGET...]",
		Short: "Explain why a connection is refused",
		Long: `whyrefused answers "Connection refused": it lists this host's listening sockets
with their owners, and explains why a connection to HOST:PORT would be refused.

Run with no arguments it lists the listeners (whyrefused list); run with targets
it checks them (whyrefused check TARGET...).`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return rootCheck(cmd, a, lo, args)
			}
			return listRun(cmd.Context(), a, lo)
		},
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetVersionTemplate("whyrefused {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	addListFlags(root, lo)
	registerListCompletions(root, a)
	root.SetHelpCommand(newHelpCmd(root))
	root.AddCommand(newListCmd(a), newCheckCmd(a), newProbeCmd(a))
	for _, add := range extraCommands {
		root.AddCommand(add(root))
	}
	return root
}

// rootCheck is the shortcut "whyrefused TARGET...": check, with the root's
// --udp and --json. The list-only flags make no sense with a target, and a
// plain word that is not a target is taken for a mistyped command.
func rootCheck(cmd *cobra.Command, a *app, lo *listOptions, args []string) error {
	for _, name := range listOnlyFlags() {
		if cmd.Flags().Changed(name) {
			return usagef("--%s is a flag of list and cannot be used with a target (%q)", name, args[0])
		}
	}
	if isWord(args[0]) {
		return usagef("unknown command %q (see 'whyrefused --help')", args[0])
	}
	return checkRun(cmd.Context(), a, &checkOptions{udp: lo.udp, json: lo.json, netns: lo.netns, targets: args})
}

// listOnlyFlags are the flags addListFlags defines that check has not, in
// the order they are defined.
func listOnlyFlags() []string {
	list, check := &cobra.Command{}, &cobra.Command{}
	addListFlags(list, &listOptions{})
	addCheckFlags(check, &checkOptions{})
	list.Flags().SortFlags = false
	var names []string
	list.Flags().VisitAll(func(f *pflag.Flag) {
		if check.Flags().Lookup(f.Name) == nil {
			names = append(names, f.Name)
		}
	})
	return names
}

// isWord reports whether s is a short lower-case word, like a command
// name, that no target form takes.
func isWord(s string) bool {
	for _, c := range s {
		if (c < 'a' || c > 'z') && c != '-' {
			return false
		}
	}
	return s != "" && len(s) <= 20
}

// newHelpCmd is cobra's help command, but a topic that is not a command is
// bad input (exit 2) rather than a usage screen and success.
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(_ *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == nil || len(rest) > 0 {
				return usagef("no help topic %q: the commands are list, check, probe and completion (see 'whyrefused --help')", strings.Join(args, " "))
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
	}
}
