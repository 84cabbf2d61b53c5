// secrets_test.go holds the table test of planted secrets through every
// output: check's table, JSON and multi-target header, probe's table and
// JSON, error lines and cobra's flag errors; and the record of every name
// looked up, none of which may carry a piece of a password.

package main

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/probe"
)

// secretTargets carry the planted secret "QZ?JV" in every form the issue
// names; some are good targets (db.internal resolves), some bad input.
var secretTargets = []string{
	"postgres://user:QZ/JV@db.internal:8080/app",
	"postgres://user:QZ@JV@db.internal:8080/app",
	"postgres://user:QZ JV@db.internal:8080/app",
	"redis://:QZ?JV@db.internal:8080",
	"user:QZ@JV@db.internal:8080",
	"admin:/QZJV@db.internal:8080",
	"admin:@QZJV@db.internal:8080",
	"http://admin:8080/QZJV@db.internal",
	"dial tcp 127.0.0.1:8080: connect: connection refused (password=QZ;JV)",
	"dial tcp 127.0.0.1:8080: connect: connection refused (password=QZ&JV, user=x)",
	"dial tcp 127.0.0.1:8080: connect: connection refused pass=QZ,JV pwd=QZ)JV passphrase=QZJV",
	`dial tcp 127.0.0.1:8080: connect: connection refused {"password": "QZ JV"}`,
	"curl -u bob:QZJV http://db.internal:8080/",
	"mysql -h db.internal -P 8080 -pQZJV",
	"app --password QZJV --listen 127.0.0.1:8080",
	"password: QZJV dial tcp 127.0.0.1:8080: connect: connection refused",
	"Authorization: Bearer QZJV http://db.internal:8080/",
	"Authorization: Basic QZJV http://db.internal:8080/",
	"https://db.internal:8080/o?X-Amz-Signature=QZJV&sig=QZJV&signature=QZJV&token=QZJV&key=QZJV",
}

// shows reports whether text holds a piece of the planted secret.
func shows(text string) bool {
	up := strings.ToUpper(text)
	return strings.Contains(up, "QZ") || strings.Contains(up, "JV")
}

// lookups records every name asked of it; db.internal is 127.0.0.1.
type lookups struct {
	mu    sync.Mutex
	names []string
}

func (l *lookups) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names = append(l.names, host)
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

func TestSecretsNeverShown(t *testing.T) {
	looked := &lookups{}
	for _, tg := range secretTargets {
		for _, args := range [][]string{
			{"check", tg},
			{"check", "--json", tg},
			{"check", "127.0.0.1:8080", tg},
			{"check", "--json", "127.0.0.1:8080", tg},
			{tg},
			{"probe", "--timeout", "1s", tg},
			{"probe", "--json", "--timeout", "1s", tg},
		} {
			a, out, errb := probeApp()
			a.resolver = looked
			cfg := a.probeConfig
			a.probeConfig = func(d time.Duration) *probe.Config {
				c := cfg(d)
				c.Resolver = looked
				return c
			}
			code := run(args, a)
			if shows(out.String()) || shows(errb.String()) {
				t.Errorf("%q: exit %d, the secret shows:\n%s%s", args, code, out, errb)
			}
		}
	}
	for _, name := range looked.names {
		if shows(name) {
			t.Errorf("a lookup of %q carries the planted secret", name)
		}
	}
	if len(looked.names) == 0 {
		t.Error("no name was looked up at all: the good targets were not checked")
	}
}

// TestFlagErrorsHideSecrets: cobra's flag errors echo the argument.
func TestFlagErrorsHideSecrets(t *testing.T) {
	for _, args := range [][]string{
		{"check", "-pQZJV", "127.0.0.1:8080"},
		{"-pQZJV"},
		{"check", "--password=QZJV", "127.0.0.1:8080"},
		{"--tcp", "postgres://u:QZJV@db:5432"},
		{"help", "postgres://u:QZJV@db:5432"},
	} {
		a, out, errb := testApp(&fakeSource{snap: oneSnapshot()})
		code := run(args, a)
		if code != exitUsage || shows(out.String()+errb.String()) {
			t.Errorf("%q: exit %d, stderr %q", args, code, errb)
		}
	}
}
