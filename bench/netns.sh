#!/usr/bin/env bash
# Times whyrefused's network namespace work against ss in the same run, and
# prints a table like bench/run.sh's: median wall time, peak RSS, ratios.
#
#   sudo bench/netns.sh                # 100 namespaces x 10 listeners
#   BENCH_NETNS=20 sudo bench/netns.sh # fewer namespaces
#   BENCH_RUNS=5 sudo bench/netns.sh   # rounds (default 10)
#   BENCH_ALLNS=0 sudo bench/netns.sh  # without ip -all netns exec ss -ltnp:
#                                      # on a busy host it takes minutes a round
#
# Scenario (d): BENCH_NETNS namespaces made with ip netns add, each with one
# process holding 10 listeners on its own 127.0.0.1 (bench/loadgen). Targets:
#   whyrefused list -A        <= 0.5x  ip -all netns exec ss -ltnp (ss once in
#                                      every named namespace), and peak RSS
#                                      <= 1.5x one ss -ltnp
#   check of a published port <= 1.5x  a plain check on the same host: in a
#                                      namespace of this run whose nat rules
#                                      DNAT 8080 to another one over a veth
#
# Needs root (it makes namespaces; the nft rules go only into its own), go,
# ss, nft, /usr/bin/time. Every namespace it makes is deleted at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/netns.sh: needs root to make network namespaces" >&2; exit 2; }
n=${BENCH_NETNS:-100}
runs=${BENCH_RUNS:-10}
allns=${BENCH_ALLNS:-1}

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_need netns.sh ss nft ip /usr/bin/time
bench_setup
wr="$work/whyrefused"
id="wrb$$"
made=()
pids=()
cleanup_netns() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for ns in "${made[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  bench_cleanup
}
trap cleanup_netns EXIT

for i in $(seq -w 1 "$n"); do
  ns="$id-$i"
  ip netns add "$ns"
  made+=("$ns")
  ip -n "$ns" link set lo up
  ip netns exec "$ns" "$work/loadgen" -procs 1 -listeners 10 >"$work/lg.$i" &
  pids+=($!)
done
for i in $(seq -w 1 "$n"); do
  for _ in $(seq 100); do grep -q '^ready' "$work/lg.$i" && break; sleep 0.1; done
done

# The published port: host namespace H, container namespace C over a veth,
# DNAT 8080 -> C:80, a listener on C's 0.0.0.0:80; a plain listener in H.
h="$id-h"
c="$id-c"
ip netns add "$h"; made+=("$h")
ip netns add "$c"; made+=("$c")
ip link add wrbh netns "$h" type veth peer name wrbc netns "$c"
ip -n "$h" addr add 198.18.110.1/24 dev wrbh
ip -n "$c" addr add 198.18.110.2/24 dev wrbc
for x in "$h" "$c"; do ip -n "$x" link set lo up; done
ip -n "$h" link set wrbh up
ip -n "$c" link set wrbc up
ip -n "$c" route add default via 198.18.110.1
ip netns exec "$h" nft -f - <<'NFT'
table ip wrbnat {
  chain out { type nat hook output priority -100; ip daddr 198.18.110.1 tcp dport 8080 dnat to 198.18.110.2:80; }
}
NFT
ip netns exec "$c" "$work/loadgen" -procs 1 -listeners 1 -addr 127.0.0.1 >"$work/lg.c" &
pids+=($!)
ip netns exec "$h" "$work/loadgen" -procs 1 -listeners 1 >"$work/lg.h" &
pids+=($!)
for f in "$work/lg.c" "$work/lg.h"; do
  for _ in $(seq 100); do grep -q '^ready' "$f" && break; sleep 0.1; done
done
plain=$(awk '/^proc /{print $3; exit}' "$work/lg.h")

labels=("whyrefused list -A" "ip -all netns exec ss -ltnp" "ss -ltnp" "whyrefused check (published port)" "whyrefused check (plain)")
allcmd="ip -all netns exec ss -ltnp"
if [ "$allns" = 0 ]; then
  labels[1]="ip -all netns exec ss -ltnp (not run: BENCH_ALLNS=0)"
  allcmd=true
fi
cmds=("$wr list -A" "$allcmd" "ss -ltnp"
  "ip netns exec $h $wr check 198.18.110.1:8080" "ip netns exec $h $wr check 127.0.0.1:$plain")
declare -a med rss
round_robin "$runs"

printf '%s, %s, %s CPUs; %d rounds after one warm-up\n\n' "$(date -u +%Y-%m-%d)" "$(uname -sr)" "$(nproc)" "$runs"
printf '| scenario | command | median ms | peak RSS MiB | target |\n|---|---|---:|---:|---|\n'
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v l="$2" 'BEGIN {print (r <= l) ? "met" : "MISSED"}'; }
t0=$(ratio "${med[0]}" "${med[1]}")
r0=$(ratio "${rss[0]}" "${rss[2]}")
t3=$(ratio "${med[3]}" "${med[4]}")
ttime="time ${t0}x of ss in every namespace (<= 0.5: $(verdict "$t0" 0.5))"
[ "$allns" = 0 ] && ttime="time against ss in every namespace not measured"
targets=("$ttime; RSS ${r0}x of one ss -ltnp (<= 1.5: $(verdict "$r0" 1.5))"
  "" "" "time ${t3}x of a plain check (<= 1.5: $(verdict "$t3" 1.5))" "")
desc="d: $n netns x 10 listeners"
for i in "${!cmds[@]}"; do
  printf '| %s | %s | %.1f | %.1f | %s |\n' "$desc" "${labels[i]}" "${med[i]}" \
    "$(awk -v k="${rss[i]}" 'BEGIN {print k / 1024}')" "${targets[i]}"
  desc=""
done
