// perf.cpp: the benchmark roles, the method of libzmq's perf tools (remote_thr/local_thr,
// remote_lat/local_lat) with the contract's result lines: a message_t of --size bytes per sent
// message, one message_t reused for every receive. Contents are unspecified, as in those tools;
// a message of several frames or of another size is exit 5 (lat-rep answers FAILURE first).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net.hpp"
#include "roles.hpp"

namespace zi {

namespace {

void set_hwm(zmq::socket_t &socket, const Options &o) {
    if (o.role == Role::thr_push) {
        call("set(sockopt::sndhwm)", [&] { socket.set(zmq::sockopt::sndhwm, o.hwm); });
    } else {
        call("set(sockopt::rcvhwm)", [&] { socket.set(zmq::sockopt::rcvhwm, o.hwm); });
    }
}

void send_sized(zmq::socket_t &socket, const Options &o) {
    zmq::message_t msg(static_cast<std::size_t>(o.size));
    if (!call("send", [&] { return socket.send(msg, zmq::send_flags::none); })) {
        throw Failure{Exit::timeout, "timed out after " + std::to_string(o.timeout_ms) + " ms sending"};
    }
}

// Receives one benchmark message into msg. What is wrong with it (several frames, checked
// first, or another size than --size) is returned, not yet reported: a replier answers first.
std::optional<std::string> recv_sized(zmq::socket_t &socket, zmq::message_t &msg, const Options &o,
                                      const std::string &what) {
    const std::uint64_t frames = recv_counted(socket, msg, o, what);
    if (frames > 1) return multipart_reason(frames);
    if (msg.size() != o.size) {
        return "message of " + std::to_string(msg.size()) + " bytes, expected " + std::to_string(o.size);
    }
    return std::nullopt;
}

// recv_sized for the roles that only receive: the malformed message is exit 5 at once.
void recv_checked(zmq::socket_t &socket, zmq::message_t &msg, const Options &o, const std::string &what) {
    if (auto malformed = recv_sized(socket, msg, o, what)) throw Failure{Exit::malformed, *malformed};
}

} // namespace

void play_thr_push(zmq::context_t &context, const Options &o) {
    zmq::socket_t push = open_socket(context, zmq::socket_type::push, o, [&](zmq::socket_t &s) { set_hwm(s, o); });
    for (std::uint64_t i = 0; i < o.count; i++) send_sized(push, o);
}

void play_thr_pull(zmq::context_t &context, const Options &o) {
    zmq::socket_t pull = open_socket(context, zmq::socket_type::pull, o, [&](zmq::socket_t &s) { set_hwm(s, o); });
    zmq::message_t msg;
    recv_checked(pull, msg, o, "the first message");
    const std::uint64_t started = now_ns();
    for (std::uint64_t i = 1; i < o.count; i++) recv_checked(pull, msg, o, "a message");
    const std::uint64_t elapsed = now_ns() - started;
    emit("{\"event\":\"result\",\"kind\":\"thr\",\"count\":" + std::to_string(o.count) +
         ",\"size\":" + std::to_string(o.size) + ",\"elapsed_ns\":" + std::to_string(elapsed) + "}");
}

void play_lat_rep(zmq::context_t &context, const Options &o) {
    zmq::socket_t rep = open_socket(context, zmq::socket_type::rep, o);
    zmq::message_t msg;
    for (std::uint64_t i = 0; i < o.count; i++) {
        if (auto malformed = recv_sized(rep, msg, o, "a round trip")) {
            // Answered first, so that the requester is not left waiting for its echo.
            send_bytes(rep, zmq::str_buffer("FAILURE"), o, "the reply to a malformed message");
            throw Failure{Exit::malformed, *malformed};
        }
        // The echo is the received message itself; sending leaves msg empty for the next receive.
        send_msg(rep, msg, zmq::send_flags::none, o, "an echo");
    }
}

void play_lat_req(zmq::context_t &context, const Options &o) {
    std::vector<std::uint64_t> rtt(o.count);
    zmq::socket_t req = open_socket(context, zmq::socket_type::req, o);
    zmq::message_t reply;
    for (std::uint64_t i = 0; i < o.count; i++) {
        const std::uint64_t started = now_ns();
        send_sized(req, o);
        recv_checked(req, reply, o, "a round trip");
        rtt[i] = now_ns() - started;
    }
    std::string line = "{\"event\":\"result\",\"kind\":\"lat\",\"count\":" + std::to_string(o.count) +
                       ",\"size\":" + std::to_string(o.size) + ",\"rtt_ns\":[";
    for (std::uint64_t i = 0; i < o.count; i++) {
        if (i) line += ',';
        line += std::to_string(rtt[i]);
    }
    emit(line + "]}");
}

} // namespace zi
