// net.cpp: the socket helpers every role shares (net.hpp), in cppzmq's idiom: socket_t with
// socket_type, set(sockopt::...), recv/send returning an empty result on a timeout (EAGAIN),
// zmq::error_t for every other failure.
#include "net.hpp"

#include <zmq_addon.hpp>

#include <chrono>
#include <cstdio>
#include <iterator>
#include <thread>

#include "security.hpp"

namespace zi {

namespace {

Failure timed_out(const Options &o, const std::string &what) {
    return Failure{Exit::timeout, "timed out after " + std::to_string(o.timeout_ms) + " ms " + what};
}

} // namespace

bool has_transport(const char *name) { return std::string(name) == "tcp" || zmq_has(name) != 0; }

std::string missing_reason(const char *transport) {
    const auto [major, minor, patch] = zmq::version();
    return "libzmq " + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch) +
           " was built without " + transport;
}

void check_endpoint(const Options &o) {
    if (o.is_ipc && !has_transport("ipc")) throw Failure{Exit::unsupported, missing_reason("ipc")};
}

zmq::socket_t open_socket(zmq::context_t &context, zmq::socket_type type, const Options &o,
                          const std::function<void(zmq::socket_t &)> &configure) {
    zmq::socket_t socket = call("socket_t", [&] { return zmq::socket_t(context, type); });
    // Senders wait for their last messages to leave; receivers have nothing left to send.
    const int linger = sends_last(o.role) ? o.timeout_ms : 0;
    call("set(sockopt::linger)", [&] { socket.set(zmq::sockopt::linger, linger); });
    call("set(sockopt::rcvtimeo)", [&] { socket.set(zmq::sockopt::rcvtimeo, o.timeout_ms); });
    call("set(sockopt::sndtimeo)", [&] { socket.set(zmq::sockopt::sndtimeo, o.timeout_ms); });
    secure(context, socket, o); // the mechanism, and a server's ZAP handler, before it binds
    if (configure) configure(socket);
    if (o.bind) {
        call("bind(" + o.endpoint + ")", [&] { socket.bind(o.endpoint); });
        emit_ready(call("get(sockopt::last_endpoint)", [&] { return socket.get(zmq::sockopt::last_endpoint); }));
    } else {
        call("connect(" + o.endpoint + ")", [&] { socket.connect(o.endpoint); });
        emit_ready(o.endpoint);
    }
    return socket;
}

std::uint64_t recv_counted(zmq::socket_t &socket, zmq::message_t &msg, const Options &o,
                           const std::string &waiting_for) {
    if (!call("recv", [&] { return socket.recv(msg, zmq::recv_flags::none); })) {
        throw timed_out(o, "waiting for " + waiting_for);
    }
    // The rest of a multipart message is already there: zmq delivers a message's frames together.
    std::uint64_t frames = 1;
    zmq::message_t rest;
    for (bool more = msg.more(); more; more = rest.more()) {
        if (!call("recv", [&] { return socket.recv(rest, zmq::recv_flags::none); })) {
            throw timed_out(o, "waiting for " + waiting_for);
        }
        frames++;
    }
    return frames;
}

zmq::message_t recv_one(zmq::socket_t &socket, const Options &o, const std::string &waiting_for) {
    zmq::message_t msg;
    const std::uint64_t frames = recv_counted(socket, msg, o, waiting_for);
    if (frames != 1) throw Failure{Exit::malformed, multipart_reason(frames)};
    return msg;
}

std::vector<zmq::message_t> recv_all(zmq::socket_t &socket, const Options &o, const std::string &waiting_for) {
    std::vector<zmq::message_t> frames;
    // Only the first frame can time out: the others arrive with it.
    const auto received = call("recv_multipart", [&] {
        return zmq::recv_multipart(socket, std::back_inserter(frames), zmq::recv_flags::none);
    });
    if (!received) throw timed_out(o, "waiting for " + waiting_for);
    return frames;
}

void send_msg(zmq::socket_t &socket, zmq::message_t &msg, zmq::send_flags flags, const Options &o,
              const std::string &what) {
    if (!call("send", [&] { return socket.send(msg, flags); })) throw timed_out(o, "sending " + what);
}

void send_bytes(zmq::socket_t &socket, zmq::const_buffer bytes, const Options &o, const std::string &what) {
    if (!call("send", [&] { return socket.send(bytes, zmq::send_flags::none); })) {
        throw timed_out(o, "sending " + what);
    }
}

void send_all(zmq::socket_t &socket, std::vector<zmq::message_t> &frames, const Options &o,
              const std::string &what) {
    if (!call("send_multipart", [&] { return zmq::send_multipart(socket, frames); })) {
        throw timed_out(o, "sending " + what);
    }
}

void emit_frames(std::uint64_t seq, const std::vector<zmq::message_t> &frames) {
    std::string line = "{\"seq\":" + std::to_string(seq) + ",\"frames\":[";
    for (std::size_t i = 0; i < frames.size(); i++) {
        line += i ? ",\"" : "\"";
        line += hex(frames[i].data(), frames[i].size());
        line += '"';
    }
    emit(line + "]}");
}

void sleep_ms(std::uint64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

std::uint64_t now_ns() {
    const auto since = std::chrono::steady_clock::now().time_since_epoch();
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(since).count());
}

void hold(const Options &o) {
    std::fprintf(stderr, "holding the socket open for %d ms (until killed)\n", o.timeout_ms);
    std::fflush(stderr);
    sleep_ms(static_cast<std::uint64_t>(o.timeout_ms));
}

} // namespace zi
