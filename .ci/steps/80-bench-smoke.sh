# The benchmark in its smoke size (bench/run.sh with a tiny load), and the Go
# benchmarks once each: proves they run, not how fast.
. "$(dirname "$0")/../lib.sh"
need ss iproute2
need /usr/bin/time time
need unshare util-linux
BENCH_SMOKE=1 bench/run.sh
go test -run '^$' -bench . -benchtime=1x ./inspect
