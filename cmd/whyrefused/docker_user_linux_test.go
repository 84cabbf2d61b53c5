// docker_user_linux_test.go holds the truth test of a rule in Docker's
// DOCKER-USER chain, in the lab of docker_linux_test.go: a reject there
// refuses the connections Docker forwards to a published port (a client
// elsewhere), not those of the host itself (output, then the bridge) nor
// those docker-proxy takes on loopback. check must predict each client.

package main

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// dockerUserReject runs a container that publishes 8080 with its app on
// 0.0.0.0:80, adds `iptables -I DOCKER-USER -j REJECT` in dockerd's
// namespace, and holds check's predictions to real connects.
func dockerUserReject(t *testing.T, l dockerLab) {
	name := "webdu"
	l.run(t, "docker", "run", "-d", "--name", name, "-p", "8080:80", "wr-bb", "/bin/busybox", "httpd", "-f", "-p", "0.0.0.0:80")
	t.Cleanup(func() { exec.Command("docker", "rm", "-f", name).Run() })
	for try := 0; !strings.Contains(l.run(t, "docker", "exec", name, "/bin/busybox", "netstat", "-ltn"), ":80 "); try++ {
		if try == 50 {
			t.Fatalf("httpd in %s does not listen", name)
		}
		time.Sleep(100 * time.Millisecond)
	}
	l.run(t, "ip", "netns", "exec", l.host, "iptables", "-I", "DOCKER-USER", "-j", "REJECT")
	t.Cleanup(func() {
		exec.Command("ip", "netns", "exec", l.host, "iptables", "-D", "DOCKER-USER", "-j", "REJECT").Run()
	})
	for _, c := range []struct {
		from, addr string
		local      bool
	}{
		{l.client, dockerHostAddr, false},
		{l.host, dockerHostAddr, true},
		{l.host, "127.0.0.1", true},
	} {
		var real string
		inNetns(t, c.from, func() { real = realSymptom(c.addr + ":8080") })
		_, out := checkIn(t, l.host, c.addr+":8080", l.env)
		got, _, codes := predictedSymptom(t, []byte(out), fwClient{addr: c.addr, local: c.local})
		t.Logf("%s:8080 from %s: a real connect got %s, check predicts %s (%v)", c.addr, c.from, real, got, codes)
		if got != real {
			t.Errorf("check %s:8080 predicts %s; a real connect from %s got %s:\n%s", c.addr, got, c.from, real, out)
		}
		if !c.local && (!strings.Contains(strings.Join(codes, " "), "firewall-reject") || !strings.Contains(out, "the rule is in DOCKER-USER")) {
			t.Errorf("check %s:8080 does not name the DOCKER-USER rule: %v\n%s", c.addr, codes, out)
		}
		if !c.local {
			text, _ := exec.Command("ip", "netns", "exec", l.host, binary(t), "check", c.addr+":8080").Output()
			t.Logf("check %s:8080:\n%s", c.addr, text)
		}
	}
}
