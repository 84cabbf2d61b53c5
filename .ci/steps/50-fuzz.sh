# Fuzz target parsing for 30 seconds: it must never panic, and its errors
# are one line. A crasher is saved under target/testdata/fuzz and fails CI.
. "$(dirname "$0")/../lib.sh"

# Go 1.26's fuzz coordinator can fail a run at the -fuzztime boundary with a
# bare "context deadline exceeded" and no crasher (golang/go#75804, fixed in
# Go 1.27). So the fuzzing runs on go1.27.3, fetched through the module
# proxy like a module; the project itself stays on its own Go.
fuzz=(go test -run='^$' -fuzz=FuzzParse -fuzztime=30s ./target)
if GOTOOLCHAIN=go1.27.3 go version >/dev/null 2>&1; then
  GOTOOLCHAIN=go1.27.3 "${fuzz[@]}"
  exit
fi

# Without it: fail on a real finding only. A run that fails with nothing but
# that message, and writes no crasher, is the coordinator's race.
echo "go1.27.3 cannot be fetched: fuzzing with $(go version | cut -d' ' -f3), which has golang/go#75804"
corpus=target/testdata/fuzz/FuzzParse
before=$(ls "$corpus" 2>/dev/null | sort || true)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if "${fuzz[@]}" 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" = 0 ]; then
  exit 0
fi
after=$(ls "$corpus" 2>/dev/null | sort || true)
if [ "$before" = "$after" ] && grep -qx '    context deadline exceeded' "$log" &&
  ! grep -q 'panic\|Failing input\|--- FAIL: FuzzParse/' "$log"; then
  echo "note: the run ended in golang/go#75804 (no crasher written); the fuzzing itself found nothing"
  exit 0
fi
exit 1
