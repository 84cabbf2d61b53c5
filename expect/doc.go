// Package expect holds the expectations file of `whyrefused check -f`: the
// listeners a host should have, one target a line with what must hold of
// it (accept, refuse, from ADDR, process NAME, user NAME), and the judgment
// of each line against the check's report.
//
// What it holds, a concern a file:
//   - parse.go: the file's syntax (Parse, Line, Expect, the line errors);
//   - judge.go: each line against its report (Judge, Status).
//
// It is pure, like match: it imports match, target and inspect, reads no
// file of its own (the caller hands it a reader) and prints nothing.
package expect
