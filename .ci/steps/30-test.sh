# The README's test command, with the race detector, run once: its -json
# events go through internal/skipcheck, which prints go test's usual lines
# (ok/FAIL per package, failing tests' output) and every skip with its
# reason, and fails on any skip not in .ci/skips-allowed.txt.
. "$(dirname "$0")/../lib.sh"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/skipcheck" ./internal/skipcheck
# -timeout: the truth matrices run real firewalls, dockerd and podman, and a
# package's tests under -race may take longer than go test's 10-minute default.
go test -race -count=1 -timeout 40m -json ./... 2>&1 | "$bin/skipcheck" .ci/skips-allowed.txt
