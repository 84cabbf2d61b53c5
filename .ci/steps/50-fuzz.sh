# Fuzz target parsing: FuzzParse (it must never panic, and its errors are
# one line) and FuzzSecrets (no letter of a planted password survives in
# any field or error), 20 seconds each. Minimisation is off: it can spend
# the whole budget shrinking one input, and a leak found must fail the run
# as found. A crasher is saved under target/testdata/fuzz and fails CI.
. "$(dirname "$0")/../lib.sh"

fuzz() { go test -run='^$' -fuzz="^$1\$" -fuzztime=20s -fuzzminimizetime=0 ./target; }

# Go 1.26's fuzz coordinator can fail a run at the -fuzztime boundary with a
# bare "context deadline exceeded" and no crasher (golang/go#75804, fixed in
# Go 1.27). So the fuzzing runs on go1.27.3, fetched through the module
# proxy like a module; the project itself stays on its own Go.
if GOTOOLCHAIN=go1.27.3 go version >/dev/null 2>&1; then
  for f in FuzzParse FuzzSecrets; do
    GOTOOLCHAIN=go1.27.3 fuzz "$f"
  done
  exit
fi

# Without it: fail on a real finding only. A run that fails with nothing but
# that message, and writes no crasher, is the coordinator's race.
echo "go1.27.3 cannot be fetched: fuzzing with $(go version | cut -d' ' -f3), which has golang/go#75804"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for f in FuzzParse FuzzSecrets; do
  corpus=target/testdata/fuzz/$f
  before=$(ls "$corpus" 2>/dev/null | sort || true)
  if fuzz "$f" 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" = 0 ]; then
    continue
  fi
  after=$(ls "$corpus" 2>/dev/null | sort || true)
  if [ "$before" = "$after" ] && grep -qx '    context deadline exceeded' "$log" &&
    ! grep -q "panic\|Failing input\|--- FAIL: $f/" "$log"; then
    echo "note: the $f run ended in golang/go#75804 (no crasher written); the fuzzing itself found nothing"
    continue
  fi
  exit 1
done
