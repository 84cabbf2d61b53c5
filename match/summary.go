// summary.go holds the summary: a report's verdict in one sentence.

package match

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

// addrsOf lists the addresses of the results.
func addrsOf(rs []AddressResult) []netip.Addr {
	out := make([]netip.Addr, len(rs))
	for i, r := range rs {
		out[i] = r.Addr
	}
	return out
}

// summary is the verdict in one sentence.
func (e *explainer) summary() string {
	rep := e.rep
	first := func(code Code) *Finding {
		for i := range rep.Findings {
			if rep.Findings[i].Code == code {
				return &rep.Findings[i]
			}
		}
		return nil
	}
	var s string
	switch rep.Verdict {
	case VerdictAccept:
		var serving []inspect.Socket
		n := 0
		for _, f := range rep.Findings {
			if f.Code == CodeListening {
				serving = append(serving, f.Sockets...)
				n++
			}
		}
		switch f := first(CodeListening); {
		case f != nil:
			s = f.Message
		case len(rep.Findings) > 0: // a rule sends it elsewhere: where
			s = rep.Findings[0].Message
		}
		if n > 1 {
			s = fmt.Sprintf("%s listens on %s and would accept %s connections to %s", owners(serving), locals(serving), e.t.Protocol, e.targets(addrsOf(rep.Addresses)))
		}
	case VerdictPartial:
		var acc, ref []netip.Addr
		for _, a := range rep.Addresses {
			if a.Verdict == VerdictAccept {
				acc = append(acc, a.Addr)
			} else {
				ref = append(ref, a.Addr)
			}
		}
		s = fmt.Sprintf("%s port %d would be accepted on %s but not on %s", e.t.Protocol, e.t.Port, addrList(acc, 4), addrList(ref, 4))
	default:
		// The first finding, or for a refusal the first about a refused
		// address.
		s = "nothing to check"
		if len(rep.Findings) > 0 {
			s = rep.Findings[0].Message
		}
		if rep.Verdict == VerdictRefuse {
			for _, f := range rep.Findings {
				if f.Code != CodeNotLocal && f.Code != CodeOwnerHidden {
					s = f.Message
					break
				}
			}
		}
	}
	if rep.Guessed && !strings.Contains(s, "(assumed") {
		s += guessNote(e.snap.DefaultV6Only)
	}
	return s
}
