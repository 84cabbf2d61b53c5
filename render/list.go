// list.go holds the list inventory as a table and as JSON, and the socket's
// cells both share.

package render

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
)

// reachText says in words who can connect to a listener with reach r bound
// to the address of s.
func reachText(r match.Reach, s inspect.Socket) string {
	switch r {
	case match.ReachLoopback:
		return "this host only"
	case match.ReachIPv4:
		return "any IPv4 address"
	case match.ReachIPv6:
		return "IPv6 only"
	case match.ReachAny:
		return "any IPv4 or IPv6 address"
	default:
		return "only via " + Escape(s.Local.Addr().Unmap().String()) // a zone is an interface's name
	}
}

// protoText is the PROTO column: tcp, tcp6, udp, udp6.
func protoText(s inspect.Socket) string {
	if s.Family == 6 {
		return string(s.Protocol) + "6"
	}
	return string(s.Protocol)
}

// ownerColumns gives the PID, PROCESS and USER cells of a socket.
func ownerColumns(s inspect.Socket, o Options) (pid, proc, user string) {
	if len(s.Owners) == 0 {
		if s.OwnersHidden {
			// The socket's user is known even when its processes are not.
			return o.paint(ansiDim, "-"), o.paint(ansiDim, "-"), o.paint(ansiDim, orDefault(Escape(s.User), "-"))
		}
		return "", "", ""
	}
	pids, more := match.OwnerPIDs(s)
	if more > 0 {
		pids = append(pids, fmt.Sprintf("+%d", more))
	}
	return strings.Join(pids, ","), strings.Join(EscapeAll(match.OwnerNames(s)), ","), strings.Join(EscapeAll(match.OwnerUsers(s)), ",")
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// reachCell is the REACHABLE FROM cell, coloured by how open it is.
func reachCell(l match.SocketView, o Options) string {
	text := reachText(l.Reach, *l.Socket)
	if l.ReachGuessed {
		text += match.AssumedMark
	}
	switch l.Reach {
	case match.ReachLoopback:
		return o.paint(ansiYellow, text)
	case match.ReachAddress:
		return o.paint(ansiCyan, text)
	default:
		return o.paint(ansiGreen, text)
	}
}

// cmdlineCell is the COMMAND cell: each owner's command line.
func cmdlineCell(s inspect.Socket) string {
	var parts []string
	for _, ow := range s.Owners {
		if len(ow.Cmdline) > 0 {
			parts = append(parts, Escape(strings.Join(ow.Cmdline, " ")))
		}
	}
	return strings.Join(parts, " | ")
}

// ListTable writes the listeners as a table, then the warnings (such as
// the hint on hidden owners) one per line.
func ListTable(w io.Writer, inv match.Inventory, o Options) error {
	if len(inv.Listeners) == 0 {
		fmt.Fprintln(w, "No listening sockets match.")
	} else {
		header := []string{"PROTO", "LOCAL ADDRESS", "PID", "PROCESS", "USER", "REACHABLE FROM"}
		if o.Namespaces {
			header = append([]string{"NAMESPACE"}, header...)
		}
		if o.Cmdline {
			header = append(header, "COMMAND")
		}
		for i := range header {
			header[i] = o.paint(ansiBold, header[i])
		}
		rows := make([][]string, 0, len(inv.Listeners))
		guessed := false
		for _, l := range inv.Listeners {
			pid, proc, user := ownerColumns(*l.Socket, o)
			row := []string{protoText(*l.Socket), Escape(l.Local.String()), pid, proc, user, reachCell(l, o)}
			if o.Namespaces {
				row = append([]string{netnsCell(l.Netns, o)}, row...)
			}
			if o.Cmdline {
				row = append(row, cmdlineCell(*l.Socket))
			}
			rows = append(rows, row)
			guessed = guessed || l.ReachGuessed
		}
		if err := writeTable(w, header, rows); err != nil {
			return err
		}
		if guessed {
			fmt.Fprintln(w, match.AssumedLegend)
		}
	}
	for _, warn := range inv.Warnings {
		fmt.Fprintln(w, o.paint(ansiYellow, "note: ")+Escape(warn))
	}
	return nil
}

// OwnerJSON is an owner in JSON output.
type OwnerJSON struct {
	PID     int32    `json:"pid"`
	Name    string   `json:"name"`
	User    string   `json:"user"`
	Exe     string   `json:"exe,omitempty"`
	Started string   `json:"started,omitempty"`
	Cmdline []string `json:"cmdline,omitempty"`
}

// SocketJSON is a socket in JSON output; the fields of the README's schema.
type SocketJSON struct {
	Protocol     string      `json:"protocol"`
	Family       int         `json:"family"`
	Address      string      `json:"address"`
	Port         uint16      `json:"port"`
	State        string      `json:"state"`
	Remote       string      `json:"remote,omitempty"`
	Owners       []OwnerJSON `json:"owners"`
	OwnersHidden bool        `json:"owners_hidden"`
	UID          *uint32     `json:"uid,omitempty"`
	User         string      `json:"user,omitempty"`
	Reach        match.Reach `json:"reach,omitempty"`
	ReachGuessed bool        `json:"reach_guessed,omitempty"`
	IPv6Only     *bool       `json:"ipv6_only"`
	AcceptQueue  *uint32     `json:"accept_queue,omitempty"`
	Backlog      *uint32     `json:"backlog,omitempty"`
	Inode        uint64      `json:"inode,omitempty"`
	Netns        *NetnsJSON  `json:"netns,omitempty"`
}

// newSocketJSON converts a socket. Reach is left empty: callers that know
// it set it. Command lines are kept only when o.Cmdline asks for them.
func newSocketJSON(s inspect.Socket, o Options) SocketJSON {
	j := SocketJSON{
		Protocol:     string(s.Protocol),
		Family:       s.Family,
		Address:      s.Local.Addr().String(),
		Port:         s.Local.Port(),
		State:        string(s.State),
		Owners:       []OwnerJSON{},
		OwnersHidden: s.OwnersHidden,
		UID:          s.UID,
		User:         s.User,
		IPv6Only:     s.IPv6Only,
		AcceptQueue:  s.AcceptQueue,
		Backlog:      s.Backlog,
		Inode:        s.Inode,
		Netns:        NewNetnsJSON(s.Netns),
	}
	if s.Remote.IsValid() {
		j.Remote = s.Remote.String()
	}
	for _, ow := range s.Owners {
		oj := OwnerJSON{PID: ow.PID, Name: ow.Name, User: ow.User, Exe: ow.Exe}
		if o.Cmdline {
			oj.Cmdline = ow.Cmdline
		}
		if !ow.Started.IsZero() {
			oj.Started = ow.Started.UTC().Format(time.RFC3339)
		}
		j.Owners = append(j.Owners, oj)
	}
	return j
}

// ListJSON writes the listeners as the JSON object the README documents.
//
// It writes the object one listener at a time through a small buffer, with
// the layout writeJSON gives: encoding ten thousand listeners into one
// buffer of megabytes, then indenting it, took longer than reading the
// sockets.
func ListJSON(w io.Writer, inv match.Inventory, o Options) error {
	warnings := inv.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\n  \"listeners\": [")
	for i, l := range inv.Listeners {
		j := newSocketJSON(*l.Socket, o)
		j.Reach, j.ReachGuessed = l.Reach, l.ReachGuessed
		b, err := json.MarshalIndent(j, "    ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(escapeJSONC1(b))
	}
	if len(inv.Listeners) > 0 {
		bw.WriteString("\n  ")
	}
	b, err := json.MarshalIndent(warnings, "  ", "  ")
	if err != nil {
		return err
	}
	bw.WriteString("],\n  \"warnings\": ")
	bw.Write(escapeJSONC1(b))
	bw.WriteString("\n}\n")
	return bw.Flush() // a bufio.Writer keeps the first write error
}

// writeJSON writes v as indented JSON with a final newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(jsonWriter{w})
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
