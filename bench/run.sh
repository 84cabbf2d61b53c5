#!/usr/bin/env bash
# Times whyrefused against ss on the same loopback load, in one run, and
# prints a table: median wall time, peak RSS, and each ratio to `ss -ltnp`.
# The commands take turns in each round, so that load from elsewhere on the
# machine falls on all of them alike.
#
#   bench/run.sh                 # scenarios (a), (b), (c); several minutes
#   BENCH_SMOKE=1 bench/run.sh   # a tiny load, for CI (well under a minute)
#   BENCH_RUNS=20 bench/run.sh   # rounds (default 10; smoke 3)
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
# Needs: go, ss (iproute2), /usr/bin/time (GNU time), bash 5 (EPOCHREALTIME).
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
if [ -n "$smoke" ]; then
  runs=${BENCH_RUNS:-3}
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

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_need bench ss /usr/bin/time
bench_setup
wr="$work/whyrefused"

check_label="check :PORT"
if ! "$wr" check --help 2>/dev/null | grep -q 'whyrefused check'; then
  check_label="list --port PORT (no check command yet)"
fi

printf '%s, %s, %s CPUs (%s)\n' "$(date -u +%Y-%m-%d)" "$(uname -sr)" "$(nproc)" \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
printf '%d rounds after one warm-up, the commands taking turns in each round: median wall time, largest peak RSS\n\n' "$runs"
printf '| scenario | command | median ms | vs ss -ltnp | peak RSS MiB | vs ss -ltnp | target |\n'
printf '|---|---|---:|---:|---:|---:|---|\n'

for sc in "${scenarios[@]}"; do
  read -r name procs listeners conns <<<"$sc"
  out="$work/loadgen-$name.out"
  bench_load bench "$out" -procs "$procs" -listeners "$listeners" -conns "$conns"
  # The port of the middle process: a walk in PID order finds it halfway.
  mid=$(( (procs + 1) / 2 ))
  port=$(awk -v n="$mid" '/^proc /{i++; if (i == n) {print $3; exit}}' "$out")

  if [ "$check_label" = "check :PORT" ]; then
    check_cmd=("$wr" check ":$port")
  else
    check_cmd=("$wr" list --port "$port")
  fi
  # Row 4: the listeners of one port, as check asks for them but without
  # check's nearby ports: the owner walk's early stop. Row 5: the same scan
  # as list, printed as JSON, without the table.
  labels=("whyrefused list" "whyrefused $check_label" "ss -ltnp" "ss -ltn" "whyrefused list --port PORT" "whyrefused list --json")
  cmds=("$wr list" "${check_cmd[*]}" "ss -ltnp" "ss -ltn" "$wr list --port $port" "$wr list --json")
  declare -a med rss
  round_robin "$runs"
  desc="$name: $procs procs x $listeners listeners, $conns conns"
  for i in "${!cmds[@]}"; do
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
    printf '| %s | %s | %.1f | %s | %.1f | %s | %s |\n' "$desc" "${labels[i]}" "${med[i]}" "$tratio" \
      "$(awk -v k="${rss[i]}" 'BEGIN {print k / 1024}')" "$rratio" "$target"
    desc=""
  done
  kill -TERM "$lg_pid"
  wait "$lg_pid" || true
  lg_pid=""
done
