# The release, as a snapshot: scripts/release-check builds every artifact
# with GoReleaser and checks it. GoReleaser v2.15.1 takes about 15 minutes to
# build from source on two cores, so CI does not build it: this step runs
# only where it is already installed, and says so plainly when it skips.
. "$(dirname "$0")/../lib.sh"
want=2.15.1
gr=$(command -v goreleaser || echo "$(go env GOPATH)/bin/goreleaser")
if [ ! -x "$gr" ]; then
  echo "SKIPPED: the release check needs GoReleaser v$want, which is not installed here."
  echo "         Install it (go install github.com/goreleaser/goreleaser/v2@v$want) or run scripts/release-check, which does."
  exit 0
fi
if ! "$gr" --version 2>/dev/null | grep -q "GitVersion: *v\?$want\$"; then
  echo "SKIPPED: the release check needs GoReleaser v$want; $gr is $("$gr" --version 2>/dev/null | grep GitVersion | tr -s ' ')."
  exit 0
fi
need jq jq
need unzip unzip
need dpkg-deb dpkg
bash scripts/release-check
