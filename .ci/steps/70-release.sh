# The release, as a snapshot: scripts/release-check builds every artifact
# with GoReleaser and checks it (binaries, archives, .deb and .rpm, man
# pages, completions). It installs the pinned GoReleaser v2.15.1 when it is
# missing: go install builds it from source through the module proxy, about
# 15 minutes on two cores, once per machine (it stays in GOPATH/bin).
. "$(dirname "$0")/../lib.sh"
need jq jq
need unzip unzip
need dpkg-deb dpkg
need bash bash
if [ ! -f /usr/share/bash-completion/bash_completion ]; then # a file, not a command
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bash-completion >/dev/null
fi
start=$SECONDS
bash scripts/release-check
echo "release check: $((SECONDS - start))s (GoReleaser's first install included, when it happened)"
