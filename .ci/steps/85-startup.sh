# The start-up measurement in a smoke size, and its one limit: no init of
# this module's packages allocates 16 KB or more (they once compiled every
# target pattern at start-up: 69 KB on every run).
. "$(dirname "$0")/../lib.sh"
need perf linux-perf
need /usr/bin/time time
STARTUP_RUNS=3 STARTUP_INIT_LIMIT=16384 bench/startup.sh
