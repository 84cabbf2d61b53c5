// Package inspect reads the operating system's side of a connection: it
// takes a Snapshot of the host's sockets (protocol, family, local and
// remote address, state) together with the processes that own them, and
// the packet filter model (rules.go) that the firewall reading fills. It is
// the only package that reads sockets, owners, rules and namespaces; the
// other that touches the OS is probe, which resolves names, reads the hosts
// file and connects, as a client does.
//
// A Source produces snapshots. The gopsutil backend works on every OS; a
// platform may add a faster or richer backend behind the same interface
// (sock_diag on Linux). Parsing lives apart from syscalls, in untagged
// files tested on every OS (sockdiag.go, procfd.go, xtables.go,
// nfttext.go; the nf_tables translation, nftables.go, is tested on fixed
// values on Linux only, where the library's expression types build).
// The rules are read by nftables_linux.go and the readers rules_linux.go
// lists. Fields a backend
// cannot know are left unknown (nil), never guessed.
//
// It imports nothing of whyrefused: every other package may import it.
package inspect
