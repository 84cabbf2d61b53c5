# Shared helpers for the CI steps. Source it: . "$(dirname "$0")/../lib.sh"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="/usr/local/go/bin:$(go env GOPATH)/bin:$PATH"

apt_updated=""
# need CMD PACKAGE: installs the Debian PACKAGE when CMD is missing.
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
}
