// Package match interprets a snapshot of sockets: who can reach each
// listener, and why a connection to a target would be accepted or refused.
// It is pure: it never touches the OS or the network, so every case can be
// tested on fixed snapshots.
//
// What it holds, a concern a file:
//   - report.go: the types of a check's answer (Verdict, Code, Report);
//   - explain.go, addresses.go, fit.go, rows.go: the decision (Explain,
//     the addresses a target stands for, how a socket fits an address,
//     which sockets bear on the answer);
//   - findings.go, summary.go, why.go, words.go, owners.go, bind.go,
//     guess.go: the words (each finding's sentence and suggestion, the
//     summary, the WHY of a row, owners' names, bind-setting hints, the
//     note on a guess);
//   - reach.go, list.go, sockets.go: Reach, the inventory behind `list`,
//     and socket identity and order;
//   - ports.go: the ports one typo away; symptom.go: what a client sees.
//
// It may import inspect (the snapshot), target (what the user asked for)
// and internal/text; nothing that reads the OS, dials or prints.
package match
