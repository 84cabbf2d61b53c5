# Fuzz target parsing for 30 seconds: it must never panic, and its errors
# are one line. A crasher is saved under match/testdata/fuzz and fails CI.
. "$(dirname "$0")/../lib.sh"
go test -run='^$' -fuzz=FuzzParseTarget -fuzztime=30s ./match
