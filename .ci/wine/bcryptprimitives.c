/*
 * bcryptprimitives.dll for Wine 8, used only by CI to run the Windows tests.
 *
 * Why it exists: since Go 1.22 the Windows runtime gets its random bytes from
 * ProcessPrng in bcryptprimitives.dll, and loads that DLL at start. Wine 8.0
 * (Debian bookworm's) has no ProcessPrng, so every Go program, test binaries
 * included, dies before main with "bcryptprimitives.dll not found". This DLL
 * supplies ProcessPrng on top of advapi32's SystemFunction036 (RtlGenRandom),
 * which Wine has. Newer Wine versions have ProcessPrng themselves; there
 * this file is not needed.
 *
 * It is never shipped: .ci/wine/setup.sh builds it with
 *   x86_64-w64-mingw32-gcc -shared -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 * into the test prefix's drive_c/windows/system32.
 */
#include <windows.h>

/* RtlGenRandom's real name: the header macro hides it behind ntsecapi.h. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/*
 * ProcessPrng fills data with len random bytes. Windows documents that it
 * always succeeds and returns TRUE; RtlGenRandom takes a ULONG length, so a
 * larger request is served in pieces. If RtlGenRandom ever fails, return
 * FALSE: Go then stops with a clear error rather than use weak randomness.
 */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
