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
//   - findings.go, summary.go, why.go, words.go, owners.go, settings.go,
//     guess.go: the words (each finding's sentence and suggestion, the
//     summary, the WHY of a row, owners' names, well-known servers' bind
//     and port settings, the note on a guess);
//   - reach.go, list.go, sockets.go: Reach, the inventory behind `list`,
//     and socket identity and order;
//   - ports.go: the ports one typo away; symptom.go: what a client sees;
//   - path.go, firewall.go: the path of a new connection through the
//     packet filter model (FollowPath, Path, Outcome) and the judging of
//     each rule on it; firewallcheck.go, firewallwords.go: what the paths
//     make of an address's verdict and symptom, and the firewall findings'
//     words with the fixes of known rule writers; ownfirewall.go: this
//     host's own output rules, for probe.
//
// It may import inspect (the snapshot), target (what the user asked for)
// and internal/text; nothing that reads the OS, dials or prints.
package match
