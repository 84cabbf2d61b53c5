// bench_test.go holds the benchmarks of the error-line parse: one line,
// and a long pasted traceback that names its address at the end.

package target

import (
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

func BenchmarkParseErrorLine(b *testing.B) {
	line := `psql: error: connection to server at "db" (198.18.0.5), port 5432 failed: Connection refused`
	for b.Loop() {
		if _, err := ParseAll(line, inspect.TCP, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseTraceback: a 60 KB paste, the most accepted, with the
// address in its last line: every form reads all of it.
func BenchmarkParseTraceback(b *testing.B) {
	frame := `  File "/usr/lib/python3/dist-packages/urllib3/connection.py", line 204, in _new_conn` + "\n    sock = connection.create_connection(\n"
	text := strings.Repeat(frame, (MaxLineLen-200)/len(frame)) +
		"requests.exceptions.ConnectionError: HTTPConnectionPool(host='198.18.0.5', port=8080): Max retries exceeded"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := ParseAll(text, inspect.TCP, nil); err != nil {
			b.Fatal(err)
		}
	}
}
