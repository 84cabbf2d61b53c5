// enginehttp.go holds the HTTP of the container engine client: one GET
// over the engine's unix socket, in HTTP/1.0, its answer read to the end.
//
// Not net/http: two GET requests to a local socket do not need it, and
// linking it brings crypto/tls, x509 and HTTP/2's tables into every run
// of whyrefused (5 MB of binary, 2 MiB more resident memory in each
// command, measured with bench/netns.sh). An HTTP/1.0 request, which the
// engines' Go servers answer without chunks and close after, needs only a
// status line, headers and the body that follows.

package inspect

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// engineTimeout bounds one request: an engine that hangs must not hang
// whyrefused.
const engineTimeout = 3 * time.Second

// engineGet sends GET path to the engine at the unix socket sock and
// calls read with the body of a 200 answer, before the connection closes;
// it returns the answer's headers (Podman's name it: Libpod-Api-Version).
func engineGet(ctx context.Context, sock, path string, read func(io.Reader) error) (textproto.MIMEHeader, error) {
	ctx, cancel := context.WithTimeout(ctx, engineTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", sock)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.0\r\nHost: engine\r\nUser-Agent: whyrefused\r\n\r\n"); err != nil {
		return nil, err
	}
	body, h, err := engineBody(bufio.NewReader(conn), path)
	if err != nil {
		return nil, err
	}
	return h, read(body)
}

// engineBody reads an HTTP answer's status line and headers from r and
// returns its body (as long as Content-Length says, or to the end) and
// its headers.
func engineBody(r *bufio.Reader, path string) (io.Reader, textproto.MIMEHeader, error) {
	tp := textproto.NewReader(r)
	status, err := tp.ReadLine()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: reading the answer: %w", path, err)
	}
	proto, rest, _ := strings.Cut(status, " ")
	code, _, _ := strings.Cut(rest, " ")
	if !strings.HasPrefix(proto, "HTTP/1.") {
		return nil, nil, fmt.Errorf("%s: not an HTTP answer", path)
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: reading the answer's headers: %w", path, err)
	}
	if code != "200" {
		return nil, nil, fmt.Errorf("%s: %s", path, strings.TrimSpace(rest))
	}
	if te := h.Get("Transfer-Encoding"); te != "" && !strings.EqualFold(te, "identity") {
		// An HTTP/1.0 request must not be answered in chunks.
		return nil, nil, fmt.Errorf("%s: unexpected transfer encoding %q", path, te)
	}
	if cl := h.Get("Content-Length"); cl != "" {
		n, err := strconv.ParseInt(cl, 10, 64)
		if err != nil || n < 0 {
			return nil, nil, errors.New(path + ": bad Content-Length")
		}
		return io.LimitReader(r, n), h, nil
	}
	return r, h, nil
}
