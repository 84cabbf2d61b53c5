# The Windows tests, run for real under Wine (see .ci/wine/test.sh): installs
# Wine and the MinGW compiler when missing. Fails when a test fails.
. "$(dirname "$0")/../lib.sh"
need wine wine
need /usr/lib/wine/wine64 wine64
need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64-win32
bash .ci/wine/test.sh
