# Shared by the bench scripts, which source it: the tools they need, a
# scratch directory with whyrefused built as released and the load
# generator, and the start of a load.

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
