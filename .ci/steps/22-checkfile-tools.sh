# Tools the check -f test needs: netcat holds a listener as user nobody
# (setpriv, from util-linux, drops to it), so that "user NAME" and
# "process NAME" are judged on a process other than the test's own.
. "$(dirname "$0")/../lib.sh"
need nc netcat-openbsd
need setpriv util-linux
