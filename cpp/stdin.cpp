// stdin.cpp: the contract's "Stdin": --exit-with-stdin's watcher, a detached std::thread that
// reads stdin to its end and then ends the process at once with exit 6; --pause-after's line.
#include "stdin.hpp"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#include "contract.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <cerrno>
#include <unistd.h>
#endif

namespace zi {

namespace {

// Held by whichever comes first: the watcher, which then ends the process, or the run, which has
// finished and exits with its own status (the watcher then waits on it for ever, and the
// process's exit ends it). Never destroyed: a locked mutex must not be destroyed at exit.
std::mutex &ending() {
    static auto *lock = new std::mutex;
    return *lock;
}

// Reads stdin until end-of-file (or a read error, which means the same: no harness there), with
// raw reads: stdio's stdin lock is never taken from this thread.
void read_to_end() {
    char sink[256];
#ifdef _WIN32
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD got = 0;
    if (in == NULL || in == INVALID_HANDLE_VALUE) return;
    while (ReadFile(in, sink, static_cast<DWORD>(sizeof sink), &got, NULL) && got > 0) {
    }
#else
    for (;;) {
        const ssize_t got = read(STDIN_FILENO, sink, sizeof sink);
        if (got > 0 || (got < 0 && errno == EINTR)) continue;
        return;
    }
#endif
}

// _Exit rather than exit(): the role's thread is still running, and no static destructor
// (libzmq's, the iostreams') may run under it. stderr is unbuffered: the line is out first.
[[noreturn]] void watch() {
    read_to_end();
    ending().lock();
    std::fprintf(stderr, "error: %s\n", stdin_closed);
    std::fflush(stderr);
    std::_Exit(static_cast<int>(Exit::error));
}

} // namespace

void watch_stdin() {
    try {
        std::thread(watch).detach(); // never joined: a normal exit does not wait for it
    } catch (const std::system_error &e) {
        throw Failure{Exit::error, std::string("std::thread failed: cannot watch stdin (") + e.what() + ")"};
    }
}

void finishing() { ending().lock(); }

void wait_for_line() {
    bool any = false;
    for (;;) {
        const int c = std::getchar();
        if (c == EOF) break;
        any = true;
        if (c == '\n') break;
    }
    if (std::ferror(stdin)) throw Failure{Exit::error, "reading stdin failed"};
    if (!any) throw Failure{Exit::error, stdin_closed};
}

} // namespace zi
