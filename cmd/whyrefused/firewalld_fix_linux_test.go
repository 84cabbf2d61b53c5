// firewalld_fix_linux_test.go holds the test that whyrefused's fix for a
// firewalld refusal works: with the real firewalld running in the
// server's namespace (its sandbox, firewalld_lab_linux_test.go), check
// names the zone and the firewall-cmd command, the test runs that command
// with the real firewall-cmd, and the real client then gets through: for
// zone public's reject, a rich rule's reject, and the drop zone.

package main

import (
	"encoding/json"
	"errors"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// firewalldFixCmd finds the firewall-cmd command of a suggestion.
var firewalldFixCmd = regexp.MustCompile(`firewall-cmd --zone=[a-z]+ --add-port=[0-9]+/tcp`)

func TestFirewalldFixWorks(t *testing.T) {
	needFirewalldTools(t)
	p := newNetnsPair(t)
	bin := binary(t)
	for _, ns := range []struct{ name, addr string }{{p.server, serverAddr6}, {p.client, clientAddr6}} {
		runOK(t, "ip", "-n", ns.name, "addr", "add", ns.addr+"/64", "dev", vethOf(t, ns.name), "nodad")
	}
	lab, err := startFirewalld(p.server, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := lab.stop(); err != nil {
			t.Errorf("stopping firewalld: %v", err)
		}
	})
	inNetns(t, p.server, func() {
		l, err := net.Listen("tcp", "[::]:8080")
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		t.Cleanup(func() { l.Close() })
	})
	targets := []string{serverAddr + ":8080", "[" + serverAddr6 + "]:8080"}
	connect := func(target string) (real string) {
		inNetns(t, p.client, func() { real = realSymptom(target) })
		return real
	}

	// addPort: the zone turns the clients away with code's finding and
	// the symptoms wanted (IPv4, IPv6), for real and in check's words;
	// check's firewall-cmd fix, run for real, lets them in.
	addPort := func(zone, code string, wants ...string) {
		t.Helper()
		var fix string
		for i, want := range wants {
			if real := connect(targets[i]); real != want {
				t.Fatalf("zone %s: the client to %s got %s, want %s", zone, targets[i], real, want)
			}
			rep := checkReport(t, bin, p.server, targets[i])
			f := rep.finding(code)
			if f == nil || rep.symptom != want {
				t.Fatalf("check %s predicts %s without a %s finding:\n%s", targets[i], rep.symptom, code, rep.out)
			}
			if !strings.Contains(f.Message, "chain filter_IN_"+zone+" in table inet firewalld") || !strings.Contains(f.Suggestion, "zone "+zone) {
				t.Errorf("check %s does not name firewalld's zone %s:\n%s", targets[i], zone, rep.out)
			}
			t.Logf("check %s: %s; %s", targets[i], f.Message, f.Suggestion)
			fix = firewalldFixCmd.FindString(f.Suggestion)
			if fix != "firewall-cmd --zone="+zone+" --add-port=8080/tcp" {
				t.Fatalf("check %s: the suggestion gives no firewall-cmd --add-port command for zone %s: %q", targets[i], zone, f.Suggestion)
			}
		}
		if _, err := lab.firewallCmd(strings.Fields(fix)[1:]...); err != nil {
			t.Fatal(err)
		}
		for _, target := range targets {
			if real := connect(target); real != "accepted" {
				t.Errorf("after %s, the client to %s gets %s", fix, target, real)
			}
			if rep := checkReport(t, bin, p.server, target); rep.verdict != "accept" || rep.exit != 0 {
				t.Errorf("after %s, check %s says %s (exit %d)\n%s", fix, target, rep.verdict, rep.exit, rep.out)
			}
		}
	}

	// firewalld's zone public rejects with icmpx admin-prohibited: what
	// the clients really get is EHOSTUNREACH over IPv4, EACCES over IPv6.
	addPort("public", "firewall-reject", "EHOSTUNREACH", "EACCES")

	// A rich rule that rejects the client's address: the port is open,
	// and adding it again would not help; check with --from says to
	// remove the rich rule, and removing it lets the client through.
	const rich = `rule family="ipv4" source address="198.18.0.2" reject`
	if _, err := lab.firewallCmd("--add-rich-rule=" + rich); err != nil {
		t.Fatal(err)
	}
	if real := connect(targets[0]); real != "ECONNREFUSED" {
		t.Fatalf("the rich rule's reject: the client got %s, want ECONNREFUSED", real)
	}
	rep := checkReport(t, bin, p.server, "--from", clientAddr, targets[0])
	f := rep.finding("firewall-reject")
	if f == nil || rep.symptom != "ECONNREFUSED" || !strings.Contains(f.Message, "filter_IN_public_deny") ||
		!strings.Contains(f.Suggestion, "firewall-cmd --zone=public --list-rich-rules") || !strings.Contains(f.Suggestion, "firewall-cmd --zone=public --remove-rich-rule=") {
		t.Fatalf("check --from %s does not name zone public's rich rule and its removal:\n%s", clientAddr, rep.out)
	}
	t.Logf("check --from %s %s: %s; %s", clientAddr, targets[0], f.Message, f.Suggestion)
	listed, err := lab.firewallCmd("--zone=public", "--list-rich-rules")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(listed) != rich {
		t.Fatalf("firewall-cmd --list-rich-rules lists %q, want %q", listed, rich)
	}
	if _, err := lab.firewallCmd("--zone=public", "--remove-rich-rule="+strings.TrimSpace(listed)); err != nil {
		t.Fatal(err)
	}
	if real := connect(targets[0]); real != "accepted" {
		t.Errorf("after removing the rich rule, the client gets %s", real)
	}
	if rep := checkReport(t, bin, p.server, "--from", clientAddr, targets[0]); rep.verdict != "accept" || rep.exit != 0 {
		t.Errorf("after removing the rich rule, check says %s (exit %d)\n%s", rep.verdict, rep.exit, rep.out)
	}

	// The drop zone as the default: the clients time out, and the same
	// fix, for zone drop, lets them in.
	if _, err := lab.firewallCmd("--set-default-zone=drop"); err != nil {
		t.Fatal(err)
	}
	addPort("drop", "firewall-drop", "timeout", "timeout")
}

// checkResult is what check --json said of one target.
type checkResult struct {
	out              []byte
	exit             int
	verdict, symptom string
	findings         []struct{ Code, Message, Suggestion string }
}

// finding is the first finding with the code, or nil.
func (r checkResult) finding(code string) *struct{ Code, Message, Suggestion string } {
	for i := range r.findings {
		if r.findings[i].Code == code {
			return &r.findings[i]
		}
	}
	return nil
}

// checkReport runs whyrefused check --json in namespace ns.
func checkReport(t *testing.T, bin, ns string, args ...string) checkResult {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"netns", "exec", ns, bin, "check", "--json"}, args...)...).Output()
	r := checkResult{out: out}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.exit = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("whyrefused check: %v", err)
	}
	var rep struct {
		Addresses []struct{ Verdict, Symptom string }
		Findings  []struct{ Code, Message, Suggestion string }
	}
	if err := json.Unmarshal(out, &rep); err != nil || len(rep.Addresses) != 1 {
		t.Fatalf("check %s: not JSON about one address: %v\n%s", strings.Join(args, " "), err, out)
	}
	r.verdict, r.symptom, r.findings = rep.Addresses[0].Verdict, rep.Addresses[0].Symptom, rep.Findings
	return r
}
