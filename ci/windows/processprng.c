/*
 * bcryptprimitives.dll for running ssoenv.exe under Debian's wine 8.0 in CI (.ci/run,
 * tests/it/windows_wine.rs). It is test scaffolding: it never ships, and real Windows (10 and
 * later) has its own bcryptprimitives.dll with this function.
 *
 * Why: Rust's std (1.78 and later) gets its random bytes (the HashMap seed) from
 * ProcessPrng in bcryptprimitives.dll, imported at load time. Wine has that function only since
 * 8.13; bookworm's wine 8.0 has no bcryptprimitives.dll at all, so every Rust .exe fails to load
 * before main. This DLL exports ProcessPrng on top of RtlGenRandom (advapi32's SystemFunction036),
 * which wine 8.0 implements. Windows documents ProcessPrng as always returning TRUE.
 *
 * Build (.ci/run does): x86_64-w64-mingw32-gcc -shared -O2 -s -o bcryptprimitives.dll \
 *   processprng.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a ULONG: a larger request goes in pieces. */
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
