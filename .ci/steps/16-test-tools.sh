# What the tests use beyond Go, so that none of them skips in CI (the skip
# check of 30-test.sh fails on a skip not in .ci/skips-allowed.txt): the
# tools testtool.Need names, and /etc/services for the service-name tests.
. "$(dirname "$0")/../lib.sh"
need ip iproute2
need setpriv util-linux
need unshare util-linux
need sleep coreutils
need true coreutils
if [ ! -f /etc/services ]; then # netbase has no command for need to look for
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends netbase >/dev/null
fi
