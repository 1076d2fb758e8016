/* bcryptprimitives.c: a stand-in for Windows' bcryptprimitives.dll, which Wine 8.0 lacks, so that
 * Rust test binaries built for x86_64-pc-windows-gnu run under Wine on this project's Linux CI.
 * Rust's standard library imports one function from it, ProcessPrng (its random source for
 * HashMap seeds); this DLL provides it over advapi32's RtlGenRandom (SystemFunction036), which
 * Wine has. Built with MinGW-w64 and placed beside the test binary by scripts/windows-unit-tests;
 * never shipped, never used on a real Windows. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
