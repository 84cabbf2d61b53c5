# Tools and modules the tests need.
. "$(dirname "$0")/../lib.sh"
need gcc gcc            # go test -race needs cgo
need ip iproute2        # network namespaces in tests
need unshare util-linux
need setpriv util-linux # the unprivileged end-to-end test
need ss iproute2
go mod download
command -v staticcheck >/dev/null || go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
