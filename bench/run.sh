#!/usr/bin/env bash
# Times whyrefused against ss on the same loopback load, in one run, and
# prints a table: median wall time, peak RSS, and each ratio to `ss -ltnp`.
#
#   bench/run.sh                 # scenarios (a), (b), (c); several minutes
#   BENCH_SMOKE=1 bench/run.sh   # a tiny load, for CI (well under a minute)
#   BENCH_RUNS=20 bench/run.sh   # timed runs per command (default 10; smoke 3)
#   BENCH_ONLY=c bench/run.sh    # one scenario
#
# Scenarios (bench/loadgen starts the processes; every socket is on 127.0.0.1):
#   (a) 1,000 listeners in 50 processes
#   (b) 10,000 listeners in 200 processes
#   (c) 1,000 processes with one listener each and 40,000 established connections
#
# As root it runs in a network namespace of its own (unshare --net), so that
# the sockets of this run are the only ones the tools list and the port range
# can be widened without touching the host. The /proc walk still covers every
# process of the host, for whyrefused and ss alike.
#
# Needs: go, ss (iproute2), hyperfine, /usr/bin/time (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && [ -z "${BENCH_IN_NETNS:-}" ] && command -v unshare >/dev/null; then
  exec unshare --net -- env BENCH_IN_NETNS=1 bash "$0" "$@"
fi
if [ -n "${BENCH_IN_NETNS:-}" ]; then
  ip link set lo up
  sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
fi
ulimit -n "$(ulimit -Hn)"

smoke=${BENCH_SMOKE:-}
runs=${BENCH_RUNS:-10}
rss_runs=3
if [ -n "$smoke" ]; then
  runs=${BENCH_RUNS:-3}
  rss_runs=1
  scenarios=("smoke 3 5 10")
else
  scenarios=("a 50 20 0" "b 200 50 0" "c 1000 1 40000")
  if [ -n "${BENCH_ONLY:-}" ]; then
    for sc in "${scenarios[@]}"; do
      [ "${sc%% *}" = "$BENCH_ONLY" ] && picked=("$sc")
    done
    [ -n "${picked:-}" ] || { echo "bench: BENCH_ONLY=$BENCH_ONLY: no such scenario (a, b or c)" >&2; exit 2; }
    scenarios=("${picked[@]}")
  fi
fi

for tool in ss hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done

work=$(mktemp -d)
lg_pid=""
cleanup() {
  if [ -n "$lg_pid" ]; then
    kill -TERM "$lg_pid" 2>/dev/null || true
    wait "$lg_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Built as released: static, no cgo.
CGO_ENABLED=0 go build -trimpath -o "$work/whyrefused" ./cmd/whyrefused
CGO_ENABLED=0 go build -trimpath -o "$work/loadgen" ./bench/loadgen
wr="$work/whyrefused"

check_label="check :PORT"
if ! "$wr" check --help 2>/dev/null | grep -q 'whyrefused check'; then
  check_label="list --port PORT (no check command yet)"
fi

# peak_rss CMD...: the largest maximum resident set (KiB) over rss_runs runs.
peak_rss() {
  local max=0 kb
  for _ in $(seq "$rss_runs"); do
    kb=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n1)
    [ "$kb" -gt "$max" ] && max=$kb
  done
  echo "$max"
}

printf '%s, %s, %s CPUs (%s)\n' "$(date -u +%Y-%m-%d)" "$(uname -sr)" "$(nproc)" \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
printf '%d timed runs per command (median), peak RSS over %d runs\n\n' "$runs" "$rss_runs"
printf '| scenario | command | median ms | vs ss -ltnp | peak RSS MiB | vs ss -ltnp | target |\n'
printf '|---|---|---:|---:|---:|---:|---|\n'

for sc in "${scenarios[@]}"; do
  read -r name procs listeners conns <<<"$sc"
  out="$work/loadgen-$name.out"
  "$work/loadgen" -procs "$procs" -listeners "$listeners" -conns "$conns" >"$out" &
  lg_pid=$!
  for _ in $(seq 600); do
    grep -q '^ready' "$out" && break
    kill -0 "$lg_pid" 2>/dev/null || { echo "bench: loadgen failed" >&2; exit 1; }
    sleep 0.5
  done
  grep -q '^ready' "$out" || { echo "bench: loadgen not ready after 5 minutes" >&2; exit 1; }
  # The port of the middle process: a walk in PID order finds it halfway.
  mid=$(( (procs + 1) / 2 ))
  port=$(awk -v n="$mid" '/^proc /{i++; if (i == n) {print $3; exit}}' "$out")

  if [ "$check_label" = "check :PORT" ]; then
    check_cmd=("$wr" check ":$port")
  else
    check_cmd=("$wr" list --port "$port")
  fi
  labels=("whyrefused list" "whyrefused $check_label" "ss -ltnp" "ss -ltn")
  cmds=("$wr list" "${check_cmd[*]}" "ss -ltnp" "ss -ltn")
  csv="$work/$name.csv"
  hyperfine -N -i --style none --warmup 2 --runs "$runs" --export-csv "$csv" "${cmds[@]}" >/dev/null 2>&1
  declare -a med rss
  for i in 0 1 2 3; do
    # hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds)
    med[i]=$(awk -F, -v r=$((i + 2)) 'NR == r {printf "%.1f", $4 * 1000}' "$csv")
    # shellcheck disable=SC2086
    rss[i]=$(peak_rss ${cmds[i]})
  done
  desc="$name: $procs procs x $listeners listeners, $conns conns"
  for i in 0 1 2 3; do
    tratio=$(awk -v a="${med[i]}" -v b="${med[2]}" 'BEGIN {printf "%.2f", a / b}')
    rratio=$(awk -v a="${rss[i]}" -v b="${rss[2]}" 'BEGIN {printf "%.2f", a / b}')
    target=""
    case $i in
      0) limit=0.6 ;;
      1) limit=0.3 ;;
      *) limit="" ;;
    esac
    if [ -n "$limit" ]; then
      t_ok=$(awk -v r="$tratio" -v l="$limit" 'BEGIN {print (r <= l) ? "met" : "MISSED"}')
      r_ok=$(awk -v r="$rratio" 'BEGIN {print (r <= 1.5) ? "met" : "MISSED"}')
      target="time <= $limit: $t_ok; RSS <= 1.5: $r_ok"
    fi
    printf '| %s | %s | %s | %s | %.1f | %s | %s |\n' "$desc" "${labels[i]}" "${med[i]}" "$tratio" \
      "$(awk -v k="${rss[i]}" 'BEGIN {print k / 1024}')" "$rratio" "$target"
    desc=""
  done
  kill -TERM "$lg_pid"
  wait "$lg_pid" || true
  lg_pid=""
done
