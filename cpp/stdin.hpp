// stdin.hpp: the contract's "Stdin" section: --exit-with-stdin's watcher and --pause-after's
// one-line read.
#ifndef ZI_CPP_STDIN_HPP
#define ZI_CPP_STDIN_HPP

namespace zi {

// The reason of --exit-with-stdin when stdin closes, and of --pause-after at end-of-file.
inline constexpr const char *stdin_closed = "stdin closed: the harness is gone";

// Starts a detached thread that reads stdin to its end, then writes
// `error: stdin closed: the harness is gone` and ends the process at once with exit 6.
void watch_stdin();
// Called once the run is over, before main returns: from then on the watcher, if stdin closes,
// does nothing (the process is exiting with its own status).
void finishing();
// Reads one line from stdin (what it says means nothing); at end-of-file before any byte,
// throws exit 6 with stdin_closed.
void wait_for_line();

} // namespace zi

#endif
