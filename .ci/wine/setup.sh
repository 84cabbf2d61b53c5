#!/usr/bin/env bash
# setup.sh PREFIX: makes a headless Wine prefix in PREFIX (a new or empty
# directory) that can run Go test binaries, and prints nothing on success.
#
#   WINEPREFIX=PREFIX WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
#     GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -exec wine ./inspect/ ...
#
# Needs wine (with wine64) and x86_64-w64-mingw32-gcc; .ci/steps/60-wine.sh
# installs them. No display is used: DISPLAY is unset and stdin is /dev/null,
# and the Mono and Gecko installers are disabled (they would ask).
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 PREFIX" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
export WINEPREFIX
WINEPREFIX=$(cd "$1" && pwd)
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY

wine wineboot -i </dev/null >/dev/null 2>&1 || {
  echo "wineboot -i failed in $WINEPREFIX" >&2
  exit 1
}
# wineboot returns before the wineserver has written the registry: wait for
# it, so that the prefix is whole before the first test starts.
wineserver -w

# Wine 8 lacks ProcessPrng, which every Go >= 1.22 program needs at start:
# see bcryptprimitives.c.
sys32="$WINEPREFIX/drive_c/windows/system32"
if [ ! -d "$sys32" ]; then
  echo "no $sys32 after wineboot: is wine64 installed?" >&2
  exit 1
fi
x86_64-w64-mingw32-gcc -O2 -s -shared -Wall \
  -o "$sys32/bcryptprimitives.dll" "$here/bcryptprimitives.c" -ladvapi32
