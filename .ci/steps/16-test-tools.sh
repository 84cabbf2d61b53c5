# What the tests use beyond Go, so that none of them skips in CI (the skip
# check of 30-test.sh fails on a skip not in .ci/skips-allowed.txt): the
# tools testtool.Need names and the files testtool.NeedFile names.
. "$(dirname "$0")/../lib.sh"
need ip iproute2
need setpriv util-linux
need unshare util-linux
need sleep coreutils
need true coreutils
need bash bash

# need_file FILE PACKAGE: installs PACKAGE when FILE is missing (packages
# that bring no command for need to look for).
need_file() {
  [ -e "$1" ] && return 0
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
}
need_file /etc/services netbase
need_file /usr/share/bash-completion/bash_completion bash-completion
