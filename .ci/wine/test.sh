#!/usr/bin/env bash
# test.sh [PACKAGE...]: runs the Windows tests under Wine, for real.
#
# Cross-compiles the test binaries for windows/amd64 and runs them with
# `go test -exec wine` in a new headless Wine prefix (setup.sh), removed
# afterwards; with $WINEPREFIX set to a prefix that setup.sh made, that one
# is reused (faster when run by hand). The end-to-end tests of
# cmd/whyrefused run whyrefused.exe, cross-built here with the release flags
# and named in $WHYREFUSED_TEST_BIN: inside Wine there is no Go toolchain.
# Exits non-zero when a test fails. Default packages: ./... (all of them).
#
# Tests that need what Wine lacks (owner PIDs of sockets, UDP) skip there and
# say why (internal/testwine); everything else runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
[ $# -gt 0 ] || set -- ./...

tmp=$(mktemp -d /tmp/whyrefused-wine.XXXXXX)
own_prefix=""
cleanup() {
  if [ -n "$own_prefix" ]; then
    WINEPREFIX="$own_prefix" wineserver -k 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
if [ -z "${WINEPREFIX:-}" ] || [ ! -f "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
  own_prefix="$tmp/prefix"
  export WINEPREFIX="$own_prefix"
  start=$SECONDS
  "$here/setup.sh" "$WINEPREFIX"
  echo "wine $(wine --version 2>/dev/null): prefix ready in $((SECONDS - start))s"
fi

export GOOS=windows GOARCH=amd64 CGO_ENABLED=0
go build -trimpath -ldflags "-X main.version=wine-test" -o "$tmp/whyrefused.exe" ./cmd/whyrefused
export WHYREFUSED_TEST_BIN="$tmp/whyrefused.exe"

# Listing sockets under Wine takes seconds: a generous timeout. One test
# binary at a time (-p 1): they share one wineserver, and the machine has
# two cores. The -json events go through internal/skipcheck (built for
# this host): it prints each package's result, failing tests' output and
# every SKIP with its reason, and fails on a skip not in
# .ci/skips-allowed.txt (Wine's own limits are listed there).
GOOS= GOARCH= go build -o "$tmp/skipcheck" ./internal/skipcheck
go test -count=1 -p 1 -timeout 15m -exec wine -json "$@" </dev/null 2>&1 | "$tmp/skipcheck" .ci/skips-allowed.txt
