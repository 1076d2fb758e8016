// net.hpp: the socket side of the contract for every role, on cppzmq: opening a socket with the
// contract's options and its ready line, receives and sends that turn a timeout into exit 3 and
// a failed call into exit 6 naming it, whole messages for the frames cases, transports, time.
#ifndef ZI_CPP_NET_HPP
#define ZI_CPP_NET_HPP

#include <zmq.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "contract.hpp"

namespace zi {

// Runs f, turning a zmq::error_t into exit 6 with `<call> failed: <zmq_strerror>`.
template <class F> decltype(auto) call(const std::string &name, F &&f) {
    try {
        return std::forward<F>(f)();
    } catch (const zmq::error_t &e) {
        throw Failure{Exit::error, name + " failed: " + e.what()};
    }
}

// Whether the loaded libzmq has the transport (tcp always; zmq_has knows the optional ones).
bool has_transport(const char *name);
// Why a transport is missing, for --info and the exit-4 line.
std::string missing_reason(const char *transport);
// Exit 4 when the endpoint's transport is missing from the loaded libzmq.
void check_endpoint(const Options &o);

// A socket of type with linger and timeouts set, configure() run on it (role options), bound or
// connected, and the ready line printed.
zmq::socket_t open_socket(zmq::context_t &context, zmq::socket_type type, const Options &o,
                          const std::function<void(zmq::socket_t &)> &configure = {});

// One single-frame message; a timeout is exit 3 naming what was awaited, a multipart message
// exit 5 once all its frames are read.
zmq::message_t recv_one(zmq::socket_t &socket, const Options &o, const std::string &waiting_for);
// recv_one for the repliers, which answer a multipart message before failing: returns the frame
// count (1 for a single frame), msg the first frame, the others read and dropped.
std::uint64_t recv_counted(zmq::socket_t &socket, zmq::message_t &msg, const Options &o,
                           const std::string &waiting_for);
// A whole message, every frame (the frames cases); a timeout is exit 3.
std::vector<zmq::message_t> recv_all(zmq::socket_t &socket, const Options &o, const std::string &waiting_for);

// Sends msg (moved: it is empty afterwards); a timeout is exit 3 naming what.
void send_msg(zmq::socket_t &socket, zmq::message_t &msg, zmq::send_flags flags, const Options &o,
              const std::string &what);
// Sends a copy of the bytes.
void send_bytes(zmq::socket_t &socket, zmq::const_buffer bytes, const Options &o, const std::string &what);
// Sends every frame in order (sndmore but the last), moving them; a timeout is exit 3.
void send_all(zmq::socket_t &socket, std::vector<zmq::message_t> &frames, const Options &o,
              const std::string &what);

// The frames line: `{"seq":0,"frames":["66616e6379","","01ff"]}`.
void emit_frames(std::uint64_t seq, const std::vector<zmq::message_t> &frames);

void sleep_ms(std::uint64_t ms);
// A monotonic clock in nanoseconds, for the benchmark roles.
std::uint64_t now_ns();
// Holds (reconnect case: the binder keeps its socket open, sending nothing) for --timeout-ms.
void hold(const Options &o);

} // namespace zi

#endif
