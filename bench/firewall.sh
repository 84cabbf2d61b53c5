#!/usr/bin/env bash
# Times `whyrefused check :PORT` on kube-proxy-sized rule sets against
# `nft list ruleset` on the same rules, in one run, and on a namespace
# without rules against check as it was before it read the firewall
# ($BENCH_BASE, a commit; built from `git archive`). Prints a table: median
# wall time and the ratio with its target.
#
#   bench/firewall.sh                # the three scenarios
#   BENCH_RUNS=20 bench/firewall.sh  # rounds (default 10)
#   BENCH_SERVICES=500 bench/firewall.sh
#   BENCH_ONLY=none bench/firewall.sh  # one scenario: none, ipt or nft
#
# Scenarios, each in a network namespace of its own (unshare --net; root),
# each timed twice: for a listener on [::] (every address accepts) and for
# one on 0.0.0.0 (check then follows the port into the other namespaces):
#   (fw-ipt) kube-proxy iptables mode, 5,000 Services of 2 endpoints each
#            (about 25,000 rules, loaded with iptables-nft-restore)
#   (fw-nft) kube-proxy nftables mode, the same Services as 5,000 map
#            elements (service-ips, no-endpoint-services)
#   (fw-none) no rules at all
#
# Needs: root, go, git, nft, iptables-nft-restore, python3, bash 5.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "bench/firewall.sh: needs root (network namespaces, rules)" >&2
  exit 2
fi
if [ -z "${BENCH_IN_NETNS:-}" ]; then
  exec unshare --net -- env BENCH_IN_NETNS=1 bash "$0" "$@"
fi
ip link set lo up
ip link add wrb0 type veth peer name wrb1
ip link set wrb1 up
ip addr add 198.18.0.1/24 dev wrb0
ip link set wrb0 up

runs=${BENCH_RUNS:-10}
services=${BENCH_SERVICES:-5000}
only=${BENCH_ONLY:-}
# The last commit of main before the firewall reader was merged.
base=${BENCH_BASE:-48445c8}
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_need bench/firewall.sh nft iptables-nft-restore python3 git
bench_setup
wr="$work/whyrefused"
mkdir "$work/base"
git archive "$base" | tar -x -C "$work/base"
(cd "$work/base" && CGO_ENABLED=0 go build -trimpath -o "$work/whyrefused-base" ./cmd/whyrefused)

# Two listeners: $port on [::] for IPv4 and IPv6, which accepts every
# address of the namespace, so that check answers from one snapshot with
# the rules; and $port4 on 0.0.0.0 only, for which ::1 is refused, so that
# check also looks for the port in every other network namespace of the
# host (with their rules): that part grows with the host's namespaces, not
# with these rules.
port=30080 port4=30081
python3 -c 'import socket,time
s=socket.socket(socket.AF_INET6);s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0);s.bind(("::",'$port'));s.listen()
s4=socket.socket();s4.bind(("0.0.0.0",'$port4'));s4.listen();time.sleep(86400)' &
lg_pid=$!

# ipt_rules N: kube-proxy's iptables-restore input for N Services.
ipt_rules() {
  local n=$1 i a b
  printf '*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n'
  for ((i = 0; i < n; i++)); do printf ':KUBE-SVC-%d - [0:0]\n:KUBE-SEP-%dA - [0:0]\n:KUBE-SEP-%dB - [0:0]\n' $i $i $i; done
  printf -- '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n'
  printf -- '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n'
  printf -- '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n'
  for ((i = 0; i < n; i++)); do
    a=$((i / 256)) b=$((i % 256))
    printf -- '-A KUBE-SERVICES -d 198.19.%d.%d/32 -p tcp -m comment --comment "ns/svc%d:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-%d\n' $a $b $i $i
    printf -- '-A KUBE-SVC-%d -m comment --comment "ns/svc%d:http" -m statistic --mode random --probability 0.5 -j KUBE-SEP-%dA\n' $i $i $i
    printf -- '-A KUBE-SVC-%d -m comment --comment "ns/svc%d:http" -j KUBE-SEP-%dB\n' $i $i $i
    printf -- '-A KUBE-SEP-%dA -s 198.18.%d.%d/32 -j KUBE-MARK-MASQ\n-A KUBE-SEP-%dA -p tcp -j DNAT --to-destination 198.18.%d.%d:8080\n' $i $((100 + a)) $b $i $((100 + a)) $b
    printf -- '-A KUBE-SEP-%dB -s 198.18.%d.%d/32 -j KUBE-MARK-MASQ\n-A KUBE-SEP-%dB -p tcp -j DNAT --to-destination 198.18.%d.%d:8080\n' $i $((140 + a)) $b $i $((140 + a)) $b
  done
  printf -- '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-MARK-MASQ\nCOMMIT\n'
}

# nft_rules N: kube-proxy's nftables layout for N Services.
nft_rules() {
  local n=$1 i
  printf 'table ip kube-proxy {\n'
  printf ' map service-ips { type ipv4_addr . inet_proto . inet_service : verdict; elements = {'
  for ((i = 0; i < n; i++)); do printf '%s 198.19.%d.%d . tcp . 80 : goto service-%d' "$([ $i = 0 ] || echo ,)" $((i / 256)) $((i % 256)) $i; done
  printf ' } }\n'
  printf ' map no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict; elements = {'
  for ((i = 0; i < n; i++)); do printf '%s 198.19.%d.%d . tcp . 81 comment "ns/svc%d:other" : goto reject-chain' "$([ $i = 0 ] || echo ,)" $((i / 256)) $((i % 256)) $i; done
  printf ' } }\n'
  printf ' chain reject-chain { reject; }\n'
  for ((i = 0; i < n; i++)); do printf ' chain service-%d { meta l4proto tcp dnat to 198.18.%d.%d:8080; }\n' $i $((100 + i / 256)) $((i % 256)); done
  printf ' chain filter-input { type filter hook input priority -110; policy accept; ct state new jump service-endpoints-check; }\n'
  printf ' chain filter-output { type filter hook output priority -110; policy accept; ct state new jump service-endpoints-check; }\n'
  printf ' chain service-endpoints-check { ip daddr . meta l4proto . th dport vmap @no-endpoint-services; }\n'
  printf ' chain nat-prerouting { type nat hook prerouting priority -100; policy accept; jump services; }\n'
  printf ' chain nat-output { type nat hook output priority -100; policy accept; jump services; }\n'
  printf ' chain services { ip daddr . meta l4proto . th dport vmap @service-ips; }\n}\n'
}

# time_ms FILE CMD...: appends CMD's wall time in ms to FILE (lib.sh's
# measure also takes the peak RSS, which this table does not show).
time_ms() {
  local f=$1 t0 t1
  shift
  t0=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || true
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f\n", (b - a) * 1000}' >>"$f"
}

# row SCENARIO LIMIT LABEL_A LABEL_B CMD_A -- CMD_B: times both in turns and
# prints the table row of A against B.
row() {
  local sc=$1 limit=$2 la=$3 lb=$4 i
  shift 4
  local -a a b
  while [ "$1" != -- ]; do a+=("$1"); shift; done
  shift
  b=("$@")
  rm -f "$work/a" "$work/b"
  for i in $(seq 0 "$runs"); do
    time_ms "$work/a" "${a[@]}"
    time_ms "$work/b" "${b[@]}"
    if [ "$i" = 0 ]; then rm -f "$work/a" "$work/b"; fi
  done
  local ma mb r ok
  ma=$(median "$work/a") mb=$(median "$work/b")
  r=$(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", a / b}')
  ok=$(awk -v r="$r" -v l="$limit" 'BEGIN {print (r <= l) ? "met" : "MISSED"}')
  printf '| %s | %s | %.1f | %s | %.1f | %s | <= %s: %s |\n' "$sc" "$la" "$ma" "$lb" "$mb" "$r" "$limit" "$ok"
}

printf '%s, %s, %s CPUs; %d rounds after one warm-up, the two commands taking turns; median wall time\n\n' \
  "$(date -u +%Y-%m-%d)" "$(uname -sr)" "$(nproc)" "$runs"
printf '| scenario | command | median ms | compared with | median ms | ratio | target |\n|---|---|---:|---|---:|---:|---|\n'

# The namespaces besides this one that check sees (processes' and named).
nns=$(for f in /proc/[0-9]*/ns/net /run/netns/*; do stat -L -c %i "$f" 2>/dev/null || true; done | sort -u | wc -l)
nns=$((nns - 1))

if [ -z "$only" ] || [ "$only" = none ]; then
row "fw-none: no rules" 1.1 "check :$port" "check :$port before the firewall ($base)" "$wr" check ":$port" -- "$work/whyrefused-base" check ":$port"
row "fw-none, IPv4-only listener ($nns other namespaces)" 1.1 "check :$port4" "check :$port4 before the firewall ($base)" "$wr" check ":$port4" -- "$work/whyrefused-base" check ":$port4"
fi

if [ -z "$only" ] || [ "$only" = ipt ]; then
ipt_rules "$services" >"$work/ipt"
iptables-nft-restore <"$work/ipt"
nrules=$(nft list ruleset | grep -c 'counter packets' || true)
row "fw-ipt: $services Services, $nrules iptables-nft rules" 0.5 "check :$port" "nft list ruleset" "$wr" check ":$port" -- nft list ruleset
row "fw-ipt, IPv4-only listener ($nns other namespaces)" 0.5 "check :$port4" "nft list ruleset" "$wr" check ":$port4" -- nft list ruleset
nft flush ruleset
fi

if [ -z "$only" ] || [ "$only" = nft ]; then
nft_rules "$services" >"$work/nft"
nft -f "$work/nft"
row "fw-nft: $services Services as map elements" 0.5 "check :$port" "nft list ruleset" "$wr" check ":$port" -- nft list ruleset
row "fw-nft, IPv4-only listener ($nns other namespaces)" 0.5 "check :$port4" "nft list ruleset" "$wr" check ":$port4" -- nft list ruleset
nft flush ruleset
fi
