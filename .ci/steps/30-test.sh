# The README's test command, with the race detector, run once: its -json
# events go through internal/skipcheck, which prints go test's usual lines
# (ok/FAIL per package, failing tests' output) and every skip with its
# reason, and fails on any skip not in .ci/skips-allowed.txt.
. "$(dirname "$0")/../lib.sh"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/skipcheck" ./internal/skipcheck
go test -race -count=1 -json ./... 2>&1 | "$bin/skipcheck" .ci/skips-allowed.txt
