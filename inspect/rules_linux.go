// rules_linux.go holds readRules: the packet filter of the caller's
// network namespace, as every backend that filters there holds it, for a
// Snapshot that asked for it (Filter.WithRules).

package inspect

// readRules reads the namespace's rule set: nf_tables (nft, iptables-nft,
// ufw, firewalld, kube-proxy), then the readers added to ruleReaders
// (legacy x_tables).
func readRules() *Ruleset {
	rs := ReadNFTables()
	for _, read := range ruleReaders {
		read(rs)
	}
	return rs
}

// ruleReaders are the readers that add to the nf_tables rule set: each
// appends its tables, and its problems (clearing Complete) when it could
// not read them all.
var ruleReaders []func(*Ruleset)

// fillRules fills the parts of snap that f.WithRules asks for.
func fillRules(f Filter, snap *Snapshot) {
	if !f.WithRules {
		return
	}
	snap.Rules = readRules()
	snap.Warnings = append(snap.Warnings, snap.Rules.Problems...)
	snap.Netstat, snap.Warnings = readNetstat(snap.Warnings)
	if len(snap.Rules.Tables) == 0 {
		return // no rule can name an interface
	}
	ifs, err := HostInterfaces()
	if err != nil {
		snap.Warnings = append(snap.Warnings, "cannot list this host's interfaces: "+err.Error())
	}
	snap.Interfaces = ifs
}
