// judge.go holds the judgment of a line against the check's report for its
// target: Judge, with the status (OK, FAIL, UNSURE) and the reason.

package expect

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
	"github.com/whyrefused/whyrefused/match"
)

// Status is whether a line's expectation holds.
type Status string

// The statuses, as they appear in JSON.
const (
	// OK: the expectation holds.
	OK Status = "ok"
	// Fail: it does not.
	Fail Status = "fail"
	// Unsure: this host cannot tell (an address that is not its own, an
	// owner it may not see, a client address it cannot follow): never a
	// pass.
	Unsure Status = "unsure"
)

// Result is one line judged.
type Result struct {
	Line   Line
	Status Status
	// Reason says why, in a sentence without its final period.
	Reason string
	// Report is the check's answer for the line's target.
	Report match.Report
}

// FromJudged reports whether this build can judge "from ADDR": follow a
// new connection from another address through the packet filter. Until it
// can, a line with from is never a pass on the strength of this host's
// sockets alone.
const FromJudged = false

// Judge says whether l's expectation holds of rep, the report for its
// target: every address accepts (or, with refuse, none does), and the
// sockets that accept are held by the process and user named.
func Judge(l Line, rep match.Report) Result {
	r := Result{Line: l, Report: rep}
	r.Status, r.Reason = judge(l.Expect, rep)
	return r
}

func judge(e Expect, rep match.Report) (Status, string) {
	summary := rep.Summary + codes(rep)
	if rep.Verdict == match.VerdictUnknown {
		return Unsure, "cannot tell: " + summary
	}
	if e.Refuse {
		switch {
		case rep.Verdict != match.VerdictRefuse:
			return Fail, "accepted: " + accepted(rep)
		case e.From.IsValid():
			// Nothing accepts at all: no client, wherever it is, gets in.
			return OK, "refused for every client: " + summary
		}
		return OK, "refused: " + summary
	}
	if rep.Verdict != match.VerdictAccept {
		return Fail, strings.ToLower(verdictWords[rep.Verdict]) + ": " + summary
	}
	serving := servingSockets(rep)
	if e.Process != "" {
		if st, why := owned(serving, e.Process, processIs, "process"); st != OK {
			return st, why
		}
	}
	if e.User != "" {
		if st, why := owned(serving, e.User, userIs, "user"); st != OK {
			return st, why
		}
	}
	if e.From.IsValid() && !FromJudged {
		return Unsure, fmt.Sprintf("not judged: this host's sockets accept, but whether a client at %s gets through the packet filter is not followed by this build", e.From)
	}
	why := "accepted: " + accepted(rep)
	if rep.Guessed {
		why += match.AssumedMark
	}
	return OK, why
}

// verdictWords name a verdict in a reason.
var verdictWords = map[match.Verdict]string{
	match.VerdictAccept:  "accepted",
	match.VerdictRefuse:  "refused",
	match.VerdictPartial: "partly refused",
	match.VerdictUnknown: "unknown",
}

// codes lists the codes of a report's findings that are not
// "listening", as " (no-listener, nearby-port)"; "" when there are none.
func codes(rep match.Report) string {
	var cs []string
	for _, f := range rep.Findings {
		if f.Code != match.CodeListening && f.Code != match.CodeOwnerHidden {
			cs = append(cs, string(f.Code))
		}
	}
	if len(cs) == 0 {
		return ""
	}
	return " (" + strings.Join(cs, ", ") + ")"
}

// accepted says which addresses accept and who holds their sockets:
// "127.0.0.1 by nginx (pid 42)".
func accepted(rep match.Report) string {
	var addrs []netip.Addr
	for _, a := range rep.Addresses {
		if a.Verdict == match.VerdictAccept {
			addrs = append(addrs, a.Addr)
		}
	}
	var who []string
	for _, s := range servingSockets(rep) {
		if w := ownerText(s); !slices.Contains(who, w) {
			who = append(who, w)
		}
	}
	out := text.Join(addrs)
	if len(who) > 0 {
		out += " by " + strings.Join(who, ", ")
	}
	return out
}

// servingSockets are the report's sockets that accept a target address.
func servingSockets(rep match.Report) []inspect.Socket {
	var out []inspect.Socket
	for _, row := range rep.Sockets {
		if row.Serves {
			out = append(out, *row.Socket)
		}
	}
	return out
}

// ownerText names a socket's owners: "nginx (pid 42)", or what is known
// of hidden ones.
func ownerText(s inspect.Socket) string {
	if len(s.Owners) == 0 {
		if s.User != "" {
			return "a process of user " + s.User
		}
		return "a process that cannot be seen"
	}
	pids, more := match.OwnerPIDs(s)
	if more > 0 {
		pids = append(pids, fmt.Sprintf("+%d", more))
	}
	return fmt.Sprintf("%s (pid %s) of user %s", strings.Join(match.OwnerNames(s), ","), strings.Join(pids, ","), strings.Join(match.OwnerUsers(s), ","))
}

// owned checks that each serving socket has an owner for which is holds.
// A socket whose owners cannot be seen makes the answer unsure: even its
// user (the socket's, which a server that drops privileges does not
// share with its workers) does not say who holds it now.
func owned(serving []inspect.Socket, want string, is func(o inspect.Owner, want string) bool, what string) (Status, string) {
	unsure := ""
	for _, s := range serving {
		if len(s.Owners) == 0 {
			if unsure == "" {
				unsure = fmt.Sprintf("cannot tell the %s: the owner of %s cannot be seen (run as root or Administrator to see it)", what, s.Local)
			}
			continue
		}
		if !slices.ContainsFunc(s.Owners, func(o inspect.Owner) bool { return is(o, want) }) {
			return Fail, fmt.Sprintf("%s is held by %s, not %s %s", s.Local, ownerText(s), what, want)
		}
	}
	if unsure != "" {
		return Unsure, unsure
	}
	return OK, ""
}

// processIs matches an owner's process name: exactly, or, for a Windows
// name, without case and with or without ".exe".
func processIs(o inspect.Owner, want string) bool {
	name := o.Name
	if strings.HasSuffix(strings.ToLower(name), ".exe") {
		return strings.EqualFold(name, want) || strings.EqualFold(name[:len(name)-4], want)
	}
	return name != "" && name == want
}

// userIs matches an owner's user: its name, or its number for a user with
// no name (as inspect gives it).
func userIs(o inspect.Owner, want string) bool {
	return o.User != "" && o.User == want
}
