// prometheus_e2e_test.go feeds a real Prometheus: Debian's node exporter
// reads a textfile directory that whyrefused writes, Prometheus scrapes it
// every second, and the test asks Prometheus's HTTP API for
// whyrefused_accepting while it starts and stops real listeners.

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// freePort is a TCP port on 127.0.0.1 that nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startDaemon starts a server for the test's length, its output kept to
// show if the test fails.
func startDaemon(t *testing.T, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s said:\n%s", filepath.Base(bin), out.String())
		}
	})
}

// promQuery asks Prometheus for an instant vector: each series' value by
// the series' target and address labels.
func promQuery(base, query string) (map[string]string, error) {
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("status %q", body.Status)
	}
	out := map[string]string{}
	for _, r := range body.Data.Result {
		v, _ := r.Value[1].(string)
		out[r.Metric["target"]+" "+r.Metric["address"]+" "+r.Metric["protocol"]] = v
	}
	return out, nil
}

func TestPrometheusScrapesWhyrefused(t *testing.T) {
	promBin := testtool.Need(t, "prometheus", "prometheus")
	exporterBin := testtool.Need(t, "prometheus-node-exporter", "prometheus-node-exporter")
	dir := t.TempDir()
	textDir := filepath.Join(dir, "textfile")
	if err := os.Mkdir(textDir, 0o755); err != nil {
		t.Fatal(err)
	}
	portA, portB := freePort(t), freePort(t)
	a, b := "127.0.0.1:"+strconv.Itoa(portA), "127.0.0.1:"+strconv.Itoa(portB)
	// write publishes whyrefused's metrics as cron would: to a temporary
	// file, then renamed over the old one.
	write := func() {
		t.Helper()
		stdout, stderr, status := runApp([]string{"check", "--format", "prometheus", a, b}, "")
		if status != exitOK {
			t.Fatalf("status %d, want 0:\n%s", status, stderr)
		}
		tmp := filepath.Join(textDir, "whyrefused.prom.tmp")
		if err := os.WriteFile(tmp, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(textDir, "whyrefused.prom")); err != nil {
			t.Fatal(err)
		}
	}
	lnA, err := net.Listen("tcp4", a)
	if err != nil {
		t.Fatal(err)
	}
	defer lnA.Close()
	write()

	exporterPort, promPort := freePort(t), freePort(t)
	startDaemon(t, exporterBin, "--web.listen-address=127.0.0.1:"+strconv.Itoa(exporterPort),
		"--collector.disable-defaults", "--collector.textfile", "--collector.textfile.directory="+textDir)
	config := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(config, fmt.Appendf(nil, `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:%d']
`, exporterPort), 0o644); err != nil {
		t.Fatal(err)
	}
	startDaemon(t, promBin, "--config.file="+config, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address=127.0.0.1:"+strconv.Itoa(promPort), "--log.level=warn")
	base := "http://127.0.0.1:" + strconv.Itoa(promPort)

	// until polls Prometheus until whyrefused_accepting has want, or the
	// time is up (the whole test stays within about 30 s).
	deadline := time.Now().Add(30 * time.Second)
	until := func(phase string, want map[string]string) {
		t.Helper()
		var got map[string]string
		var err error
		for time.Now().Before(deadline) {
			got, err = promQuery(base, "whyrefused_accepting")
			if err == nil && len(got) == len(want) && func() bool {
				for k, v := range want {
					if got[k] != v {
						return false
					}
				}
				return true
			}() {
				t.Logf("%s: Prometheus has %v", phase, got)
				return
			}
			time.Sleep(250 * time.Millisecond)
		}
		t.Fatalf("%s: Prometheus has %v (%v), want %v", phase, got, err, want)
	}
	until("A listens", map[string]string{a + " 127.0.0.1 tcp": "1", b + " 127.0.0.1 tcp": "0"})

	// A stops, B starts: the next run of whyrefused says so, and
	// Prometheus's next scrape sees it.
	lnA.Close()
	lnB, err := net.Listen("tcp4", b)
	if err != nil {
		t.Fatal(err)
	}
	defer lnB.Close()
	write()
	until("B listens", map[string]string{a + " 127.0.0.1 tcp": "0", b + " 127.0.0.1 tcp": "1"})

	// The findings reach it too.
	got, err := promQuery(base, `whyrefused_finding{code="no-listener"}`)
	if err != nil || len(got) != 1 {
		t.Errorf("no-listener findings %v (%v), want one, for %s", got, err, a)
	}
}
