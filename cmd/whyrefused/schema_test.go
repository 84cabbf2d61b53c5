// schema_test.go checks the JSON outputs against docs/schema/: the render
// golden files, and real runs of list, check and probe on this host's
// loopback.

package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const schemaBase = "https://github.com/whyrefused/whyrefused/docs/schema/"

// schemas compiles the schemas of docs/schema, by their file names.
func schemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	files, err := filepath.Glob("../../docs/schema/*.schema.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no schemas in docs/schema: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // "started" is a date-time: hold it to that
	for _, f := range files {
		doc := unmarshal(t, f)
		if err := c.AddResource(schemaBase+filepath.Base(f), doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	out := make(map[string]*jsonschema.Schema)
	for _, name := range []string{"list", "check", "probe"} {
		s, err := c.Compile(schemaBase + name + ".schema.json")
		if err != nil {
			t.Fatalf("compiling %s.schema.json: %v", name, err)
		}
		out[name] = s
	}
	return out
}

// unmarshal reads a JSON file as the validator wants it.
func unmarshal(t *testing.T, path string) any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// validate checks one output against a schema.
func validate(t *testing.T, s *jsonschema.Schema, what string, out []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, out)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("%s does not follow its schema: %v\n%s", what, err, out)
	}
}

// TestSchemaGoldens: render's golden JSON files follow the schemas.
func TestSchemaGoldens(t *testing.T) {
	s := schemas(t)
	files, _ := filepath.Glob("../../render/testdata/*.json.golden")
	if len(files) < 4 {
		t.Fatalf("only %d golden JSON files", len(files))
	}
	for _, f := range files {
		kind := strings.SplitN(filepath.Base(f), ".", 2)[0]
		kind = strings.SplitN(kind, "-", 2)[0] // probe-many -> probe
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		validate(t, s[kind], f, b)
	}
}

// TestSchemaRealOutputs runs list, check and probe for real, with the
// host's own sockets, against a listener of this test and a port that
// nothing listens on, and validates what they print.
func TestSchemaRealOutputs(t *testing.T) {
	s := schemas(t)
	open := loopbackListener(t)
	closed := closedPort(t)
	for _, c := range []struct {
		kind string
		args []string
	}{
		{"list", []string{"list", "--json"}},
		{"list", []string{"list", "--json", "--cmdline", "--port", open}},
		{"list", []string{"list", "--json", "--udp"}},
		{"check", []string{"check", "--json", "127.0.0.1:" + open}},
		{"check", []string{"check", "--json", "127.0.0.1:" + closed}},
		{"check", []string{"check", "--json", ":" + open, "dial tcp 127.0.0.1:" + closed + ": connect: connection refused"}},
		{"probe", []string{"probe", "--json", "127.0.0.1:" + open}},
		{"probe", []string{"probe", "--json", "--timeout", "1s", ":" + closed, "127.0.0.1:" + open}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			a := newApp()
			var out, errb bytes.Buffer
			a.stdout, a.stderr, a.terminal = &out, &errb, false
			if code := run(c.args, a); code > exitRefused {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			validate(t, s[c.kind], strings.Join(c.args, " "), out.Bytes())
		})
	}
}

// TestSchemasReject: the schemas do reject what breaks the contract.
func TestSchemasReject(t *testing.T) {
	s := schemas(t)
	for _, c := range []struct{ kind, doc string }{
		{"list", `{"listeners": []}`},
		{"list", `{"listeners": [{"protocol": "sctp", "family": 4, "address": "127.0.0.1", "port": 1, "state": "LISTEN", "owners": [], "owners_hidden": false, "ipv6_only": null, "reach": "loopback"}], "warnings": []}`},
		{"list", `{"listeners": [{"protocol": "tcp", "family": 4, "address": "127.0.0.1", "port": 1, "state": "LISTEN", "owners": [{"pid": 1, "name": "x", "user": "r", "started": "yesterday"}], "owners_hidden": false, "ipv6_only": null, "reach": "loopback"}], "warnings": []}`},
		{"check", `{"target": {"input": "x:1", "protocol": "tcp", "host": "x", "port": 1}, "verdict": "maybe", "summary": "s", "guessed": false, "addresses": [], "findings": [], "sockets": [], "warnings": []}`},
		{"check", `[]`},
		{"check", `{"target": {"input": "x:1", "protocol": "tcp", "host": "x", "port": 1}, "verdict": "refuse", "summary": "s", "guessed": false, "addresses": [{"address": "127.0.0.1", "verdict": "refuse", "symptom": "refused", "codes": []}], "findings": [], "sockets": [], "warnings": []}`},
		{"check", `{"target": {"input": "x:1", "protocol": "tcp", "host": "x", "port": 1}, "verdict": "refuse", "summary": "s", "guessed": false, "addresses": [{"address": "127.0.0.1", "verdict": "refuse", "symptom": "ECONNREFUSED", "codes": [], "clients": [{"client": "remote", "symptom": "ECONNREFUSED", "split": [{"symptom": "accepted", "share": 1.5, "to": []}]}]}], "findings": [], "sockets": [], "warnings": []}`},
		{"probe", `{"target": {"input": "x:1", "protocol": "tcp", "host": "x", "port": 1}, "resolution": [], "attempts": [{"address": "1.2.3.4:1", "outcome": "lost", "error": "", "millis": 1}], "verdict": "v"}`},
	} {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(c.doc))
		if err != nil {
			t.Fatal(err)
		}
		if s[c.kind].Validate(v) == nil {
			t.Errorf("%s schema accepts %s", c.kind, c.doc)
		}
	}
}

// closedPort is a loopback TCP port that nothing listens on: one this test
// had and closed.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	return port
}

// loopbackListener opens a TCP listener on 127.0.0.1 for the test and
// returns its port.
func loopbackListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}
