// completion.go holds the dynamic shell completion of list's flags: --pid
// and --process complete from the owners of this host's listeners, --port
// from its listening ports, each with what listens there. `whyrefused
// completion bash|zsh|fish|powershell` itself is cobra's.

package main

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
)

// completionTimeout bounds the snapshot a completion takes: a shell waits
// for it at every Tab.
const completionTimeout = 2 * time.Second

// registerListCompletions completes the flags addListFlags made on cmd.
func registerListCompletions(cmd *cobra.Command, a *app) {
	for flag, values := range map[string]func([]inspect.Socket) []string{
		"pid":     pidCompletions,
		"process": processCompletions,
		"port":    portCompletions,
	} {
		_ = cmd.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			ctx, cancel := context.WithTimeout(context.Background(), completionTimeout)
			defer cancel()
			snap, err := a.source.Snapshot(ctx, inspect.Listeners())
			if err != nil || snap == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
			}
			return values(snap.Sockets), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
		})
	}
}

// completion is a value and its description, as cobra prints them. Both
// are made safe for a terminal and the shell's reading of cobra's lines
// (process names are untrusted): one line, no control characters.
func completion(value, description string) string {
	return cobra.CompletionWithDesc(printable(value), printable(description))
}

// printable is s on one line with every control character as "?".
func printable(s string) string {
	return text.OneLine(strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		if !unicode.IsPrint(r) && r != ' ' {
			return '?'
		}
		return r
	}, s))
}

// pidCompletions are the listeners' owners' PIDs, in order, each with its
// name and ports.
func pidCompletions(socks []inspect.Socket) []string {
	ports := make(map[int32][]string)
	names := make(map[int32]string)
	for _, s := range socks {
		for _, o := range s.Owners {
			names[o.PID] = o.Name
			ports[o.PID] = appendNew(ports[o.PID], portLabel(s))
		}
	}
	return completions(ports, func(pid int32) (string, string) {
		return strconv.Itoa(int(pid)), strings.TrimSpace(names[pid] + " " + strings.Join(ports[pid], " "))
	})
}

// processCompletions are the listeners' owners' names, sorted, each with
// its ports.
func processCompletions(socks []inspect.Socket) []string {
	ports := make(map[string][]string)
	for _, s := range socks {
		for _, o := range s.Owners {
			if o.Name != "" {
				ports[o.Name] = appendNew(ports[o.Name], portLabel(s))
			}
		}
	}
	return completions(ports, func(name string) (string, string) {
		return name, strings.Join(ports[name], " ")
	})
}

// portCompletions are the listening ports, in order, each with what
// listens there.
func portCompletions(socks []inspect.Socket) []string {
	what := make(map[uint16][]string)
	for _, s := range socks {
		label := string(s.Protocol) + " " + s.Local.Addr().String()
		for _, o := range s.Owners {
			label += " " + o.Name
		}
		what[s.Local.Port()] = appendNew(what[s.Local.Port()], label)
	}
	return completions(what, func(port uint16) (string, string) {
		return strconv.Itoa(int(port)), strings.Join(what[port], ", ")
	})
}

// completions are the keys of m in order, each as the value and
// description that show gives.
func completions[K cmp.Ordered, V any](m map[K]V, show func(K) (value, description string)) []string {
	keys := slices.Sorted(maps.Keys(m))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, completion(show(k)))
	}
	return out
}

// portLabel is "tcp/5432".
func portLabel(s inspect.Socket) string {
	return fmt.Sprintf("%s/%d", s.Protocol, s.Local.Port())
}

// appendNew appends v unless list has it.
func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// extraCommands are commands that only some builds have: gendocs.go adds
// the man page and completion generator to builds tagged gendocs.
var extraCommands []func(root *cobra.Command) *cobra.Command
