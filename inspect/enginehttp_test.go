// enginehttp_test.go holds the tests of the engine client's HTTP/1.0
// answers read from fixed bytes: a body by Content-Length or to the end,
// an error status, chunks, something that is not HTTP.

package inspect

import (
	"bufio"
	"io"
	"strings"
	"testing"
)

func TestEngineBody(t *testing.T) {
	tests := []struct {
		name, answer, body, err string
	}{
		{"content length", "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]trailing", "[]", ""},
		{"to the end", "HTTP/1.1 200 OK\r\nServer: Docker/20.10\r\n\r\n[{}]", "[{}]", ""},
		{"error status", "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n", "", "/x: 404 Not Found"},
		{"chunks", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n", "", `unexpected transfer encoding "chunked"`},
		{"not http", "SSH-2.0-OpenSSH_9.2\r\n", "", "/x: not an HTTP answer"},
		{"bad length", "HTTP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n", "", "bad Content-Length"},
		{"cut short", "HTTP/1.0 200 OK\r\nContent-", "", "reading the answer's headers"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, h, err := engineBody(bufio.NewReader(strings.NewReader(tc.answer)), "/x")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r)
			if string(b) != tc.body {
				t.Errorf("body %q, want %q", b, tc.body)
			}
			if h.Get("Content-Type") == "" && h.Get("Server") == "" {
				t.Errorf("headers %v: neither Content-Type nor Server", h)
			}
		})
	}
}
