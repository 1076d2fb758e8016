/* stdin.c: the contract's "Stdin" section. --exit-with-stdin: a background thread (pthreads on
 * POSIX, _beginthreadex on Windows) reads stdin to its end and then ends the process at once,
 * exit 6; --pause-after: one line read from stdin at the pause. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* read, pthreads; before any system header */
#endif

#include "contract.h" /* first: it sets up stdio for MinGW */

#include <stdio.h>
#include <stdlib.h>

#ifdef _WIN32
#include <windows.h>
#include <process.h>
#else
#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#endif

/* Held by whichever comes first: the watcher, which then ends the process, or the run, which
 * has finished and exits with its own status (the watcher then waits on it for ever, and the
 * process's exit ends it). So a peer that is already exiting never turns into an exit 6. */
#ifdef _WIN32
static SRWLOCK ending = SRWLOCK_INIT;
static void take_ending(void) { AcquireSRWLockExclusive(&ending); }
#else
static pthread_mutex_t ending = PTHREAD_MUTEX_INITIALIZER;
static void take_ending(void) { pthread_mutex_lock(&ending); }
#endif

/* Reads stdin until end-of-file (or a read error, which means the same: no harness there). */
static void read_to_end(void) {
    char sink[256];
#ifdef _WIN32
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD got = 0;
    if (in == NULL || in == INVALID_HANDLE_VALUE) return;
    while (ReadFile(in, sink, (DWORD)sizeof sink, &got, NULL) && got > 0) {
    }
#else
    for (;;) {
        const ssize_t got = read(STDIN_FILENO, sink, sizeof sink);
        if (got > 0 || (got < 0 && errno == EINTR)) continue;
        return;
    }
#endif
}

/* Raw reads and _Exit rather than stdio and exit(): the role's thread is still running, and
 * neither stdin's lock nor libzmq's static destructors (which exit() would run under it) may
 * be touched from here. stderr is unbuffered: the line is out before _Exit. */
static void watch(void) {
    read_to_end();
    take_ending();
    fputs("error: " ZI_STDIN_CLOSED "\n", stderr);
    fflush(stderr);
    _Exit(ZI_ERROR);
}

#ifdef _WIN32
static unsigned __stdcall watcher(void *unused) {
    (void)unused;
    watch();
    return 0;
}
#else
static void *watcher(void *unused) {
    (void)unused;
    watch();
    return NULL;
}
#endif

int zi_watch_stdin(void) {
#ifdef _WIN32
    const uintptr_t thread = _beginthreadex(NULL, 0, watcher, NULL, 0, NULL);
    if (thread == 0) return zi_fail(ZI_ERROR, "_beginthreadex failed: cannot watch stdin");
    CloseHandle((HANDLE)thread); /* detached: never joined */
#else
    pthread_t thread;
    const int rc = pthread_create(&thread, NULL, watcher, NULL);
    if (rc != 0) return zi_fail(ZI_ERROR, "pthread_create failed: cannot watch stdin (error %d)", rc);
    pthread_detach(thread); /* never joined: a normal exit does not wait for it */
#endif
    return ZI_OK;
}

void zi_finishing(void) { take_ending(); }

int zi_wait_for_line(void) {
    bool any = false;
    for (;;) {
        const int c = getchar();
        if (c == EOF) break;
        any = true;
        if (c == '\n') break;
    }
    if (ferror(stdin)) return zi_fail(ZI_ERROR, "reading stdin failed");
    if (!any) return zi_fail(ZI_ERROR, ZI_STDIN_CLOSED);
    return ZI_OK;
}
