// owners.go holds how the processes that hold a socket are named, never
// with their arguments: the one home of the rules that match's sentences
// and render's PID, PROCESS and USER columns share.

package match

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

// MaxOwnerPIDs is how many PIDs of a socket's owners are named before the
// rest are counted.
const MaxOwnerPIDs = 3

// unnamed stands for an owner's name or user that is not known.
const unnamed = "?"

// OwnerNames are the names of the processes that hold s, each once, in
// the order of s.Owners; "?" for a process without a name.
func OwnerNames(s inspect.Socket) []string {
	return ownerField(s, func(o inspect.Owner) string { return o.Name })
}

// OwnerUsers are the users of the processes that hold s, each once, in
// the order of s.Owners; "?" for a process whose user is not known.
func OwnerUsers(s inspect.Socket) []string {
	return ownerField(s, func(o inspect.Owner) string { return o.User })
}

// ownerField lists one field of s's owners, each value once.
func ownerField(s inspect.Socket, field func(inspect.Owner) string) []string {
	var out []string
	for _, o := range s.Owners {
		v := field(o)
		if v == "" {
			v = unnamed
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// OwnerPIDs are the PIDs of the first MaxOwnerPIDs processes that hold s,
// and how many more hold it.
func OwnerPIDs(s inspect.Socket) (pids []string, more int) {
	for i, o := range s.Owners {
		if i == MaxOwnerPIDs {
			return pids, len(s.Owners) - MaxOwnerPIDs
		}
		pids = append(pids, strconv.Itoa(int(o.PID)))
	}
	return pids, 0
}

// owner names the process that holds s in a sentence: "postgres (pid
// 901)", or what is known of a hidden one.
func owner(s inspect.Socket) string {
	if len(s.Owners) == 0 {
		if s.OwnersHidden && s.User != "" {
			return "a process of user " + s.User + " (which one is hidden)"
		}
		if s.OwnersHidden {
			return "a process whose owner is hidden"
		}
		return "a process that cannot be identified"
	}
	pids, more := OwnerPIDs(s)
	if more > 0 {
		pids = append(pids, fmt.Sprintf("%d more", more))
	}
	word := "pid"
	if len(s.Owners) > 1 {
		word = "pids"
	}
	return fmt.Sprintf("%s (%s %s)", strings.Join(OwnerNames(s), ","), word, strings.Join(pids, ", "))
}

// owners names the processes of several sockets, each once.
func owners(ss []inspect.Socket) string {
	var out []string
	for _, s := range ss {
		if o := owner(s); !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return joinAnd(out)
}
