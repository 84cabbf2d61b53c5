#!/usr/bin/env bash
# Measures the fixed start-up cost of whyrefused: page faults, CPU time and
# peak RSS of `--version`, `list` and `check :PORT` against a handful of
# loopback listeners, next to a Go hello world built the same way, and lists
# the package inits that allocate the most.
#
#   bench/startup.sh                      # 30 runs of each command
#   STARTUP_RUNS=100 bench/startup.sh
#   STARTUP_ENV=GOMAXPROCS=1 bench/startup.sh   # steadier fault counts
#   STARTUP_INIT_LIMIT=16384 bench/startup.sh   # fails if an init of ours
#                                               # allocates that many bytes
#
# Page faults count best on a machine where first touches of memory are dear
# (a Firecracker VM): each new page costs about 20 us there. With two or more
# CPUs the count moves by some tens from run to run, as the Go runtime starts
# more or fewer threads; GOMAXPROCS=1 keeps it within a few.
#
# Needs: go, perf (linux-perf), /usr/bin/time (GNU time). Every socket is on
# 127.0.0.1 (bench/loadgen).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${STARTUP_RUNS:-30}
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_need startup perf /usr/bin/time
bench_setup
mkdir "$work/hello"
printf 'module hello\n\ngo 1.26\n' >"$work/hello/go.mod"
printf 'package main\n\nimport "os"\n\nfunc main() { os.Stdout.WriteString("hello\\n") }\n' >"$work/hello/main.go"
(cd "$work/hello" && CGO_ENABLED=0 go build -trimpath -o "$work/hello-world" .)

bench_load startup "$work/ports" -procs 1 -listeners 5
port=$(awk '$1 == "proc" { print $3; exit }' "$work/ports")

# measure LABEL CMD...: mean page faults and task-clock over $runs runs,
# smallest peak RSS of five.
measure() {
  local label=$1; shift
  local out faults clock rss
  out=$(env ${STARTUP_ENV:-} perf stat -x, -r "$runs" -e page-faults,task-clock "$@" 2>&1 >/dev/null) || true # check exits 1 when refused
  faults=$(awk -F, '/page-faults/ { printf "%d", $1 }' <<<"$out")
  clock=$(awk -F, '/task-clock/ { printf "%.1f", $1 }' <<<"$out")
  rss=$(for _ in 1 2 3 4 5; do
    env ${STARTUP_ENV:-} /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 || true
  done | sort -n | head -1)
  printf '| %s | %s | %s | %s |\n' "$label" "$faults" "$clock" "$rss"
}

echo "$(date -u +%F), $(uname -r), $(nproc) CPUs, $runs runs each${STARTUP_ENV:+, $STARTUP_ENV}"
echo
echo "| command | page faults | task-clock ms | max RSS KiB |"
echo "|---|---:|---:|---:|"
measure "Go hello world" "$work/hello-world"
measure "whyrefused --version" "$work/whyrefused" --version
measure "whyrefused list (5 listeners)" "$work/whyrefused" list
measure "whyrefused check :$port" "$work/whyrefused" check ":$port"
echo
echo "Package inits of whyrefused that allocate 4 KB or more (GODEBUG=inittrace=1):"
GODEBUG=inittrace=1 "$work/whyrefused" --version 2>&1 >/dev/null | grep '^init ' >"$work/inits"
awk '$(NF-3) >= 4096 { printf "  %-50s %8d bytes %5d allocs\n", $2, $(NF-3), $(NF-1) }' "$work/inits" |
  sort -k2 -nr

# Our own packages do no heavy work at start-up (every run pays for it, even
# --version): third-party inits are shown above, not judged.
if [ -n "${STARTUP_INIT_LIMIT:-}" ]; then
  module=$(go list -m)
  heavy=$(awk -v m="$module" -v limit="$STARTUP_INIT_LIMIT" \
    '($2 == "main" || index($2, m) == 1) && $(NF-3) >= limit { print "  " $2 ": " $(NF-3) " bytes" }' "$work/inits")
  if [ -n "$heavy" ]; then
    printf 'startup: these inits of %s allocate %s bytes or more; do the work on first use:\n%s\n' \
      "$module" "$STARTUP_INIT_LIMIT" "$heavy" >&2
    exit 1
  fi
  echo "Every init of $module allocates under $STARTUP_INIT_LIMIT bytes."
fi
