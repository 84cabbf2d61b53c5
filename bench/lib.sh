# Shared by the bench scripts, which source it: the tools they need, a
# scratch directory with whyrefused built as released and the load
# generator, the start of a load, and the timing of commands (measure,
# median, round_robin).

# bench_need SCRIPT TOOL...: exits 2, naming the tool, unless every TOOL is
# on PATH.
bench_need() {
  local script=$1 tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$script: $tool is needed" >&2; exit 2; }
  done
}

# bench_setup: makes $work, a scratch directory removed at exit (when the
# load generator $lg_pid, if any, is stopped), and builds into it whyrefused
# as released (static, no cgo, -trimpath) and bench/loadgen.
bench_setup() {
  work=$(mktemp -d)
  lg_pid=""
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  CGO_ENABLED=0 go build -trimpath -o "$work/whyrefused" ./cmd/whyrefused
  CGO_ENABLED=0 go build -trimpath -o "$work/loadgen" ./bench/loadgen
}

bench_cleanup() {
  if [ -n "$lg_pid" ]; then
    kill -TERM "$lg_pid" 2>/dev/null || true
    wait "$lg_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}

# bench_load SCRIPT OUT LOADGEN_ARGS...: starts the load generator as
# $lg_pid, its output in OUT, and waits (at most 5 minutes) until it is
# ready.
bench_load() {
  local script=$1 out=$2
  shift 2
  "$work/loadgen" "$@" >"$out" &
  lg_pid=$!
  for _ in $(seq 600); do
    grep -q '^ready' "$out" && break
    kill -0 "$lg_pid" 2>/dev/null || { echo "$script: loadgen failed" >&2; exit 1; }
    sleep 0.5
  done
  grep -q '^ready' "$out" || { echo "$script: loadgen not ready after 5 minutes" >&2; exit 1; }
}

# measure LABEL_INDEX CMD...: runs CMD once under GNU time and appends its
# wall time (ms, from bash's clock) and peak RSS (KiB) to the lists of
# that command, in $work/ms.LABEL_INDEX and $work/kb.LABEL_INDEX.
measure() {
  local i=$1 t0 t1
  shift
  t0=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
  t1=$EPOCHREALTIME
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) * 1000}')" >>"$work/ms.$i"
  tail -n1 "$work/rss" >>"$work/kb.$i"
}

# median FILE: the median of the numbers in FILE, one a line.
median() {
  sort -n "$1" | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m}'
}

# round_robin RUNS: runs every command of the array cmds (one string each,
# split on spaces) RUNS+1 times, taking turns, so that a burst of load on
# the machine falls on every command alike; round 0 warms the caches and
# is dropped. Fills the arrays med (median ms) and rss (largest KiB).
round_robin() {
  local runs=$1 round i
  rm -f "$work"/ms.* "$work"/kb.*
  for round in $(seq 0 "$runs"); do
    for i in "${!cmds[@]}"; do
      # shellcheck disable=SC2086
      measure "$i" ${cmds[i]}
    done
    if [ "$round" = 0 ]; then rm -f "$work"/ms.* "$work"/kb.*; fi
  done
  med=() rss=()
  for i in "${!cmds[@]}"; do
    med[i]=$(median "$work/ms.$i")
    rss[i]=$(sort -n "$work/kb.$i" | tail -n1)
  done
}
