// reqrep.cpp: the replier and the requester. The replier checks each of --count requests
// against the array expected for the seed (length first, then every value bit for bit) and
// answers SUCCESS or FAILURE, or answers world to hello, printing a verdict line per request
// (exit 1 if any was FAILURE; a multipart request is answered FAILURE, then exit 5). The
// requester sends the array (optionally with one value corrupted) or hello --count times and
// prints each reply (exit 1 at the end if one was not the expected one). The cases (contract:
// "Cases"): large answers a matching request with the expected array itself and the requester
// compares it with what it sent; multipart and empty print frames lines (rep echoes the very
// frames, moved); reconnect plays hello, the replier then holds, the requester pauses
// (--pause-after); heartbeat sets ZMTP heartbeats, turns reconnection off and stays silent
// between two requests. Arrays are sent without a copy: they live in Kept, past the context.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net.hpp"
#include "roles.hpp"
#include "stdin.hpp"

namespace zi {

namespace {

// The verdict on one request.
struct Verdict {
    bool success = false;
    std::string detail;                       // the failure, in words (empty on success)
    std::optional<std::size_t> index;         // a value mismatch: the first differing index
    std::optional<std::size_t> expected_bytes; // a length mismatch: the two sizes in bytes
    std::size_t got_bytes = 0;
};

// Case hello: the request must be exactly `hello`.
Verdict judge_hello(const zmq::message_t &request) {
    Verdict v;
    if (request.to_string_view() == "hello") {
        v.success = true;
        return v;
    }
    // Like the other repliers: the size, then at most 32 bytes in hex.
    const std::size_t shown = request.size() < 32 ? request.size() : 32;
    v.detail = "expected \"hello\", got " + std::to_string(request.size()) + " bytes: " + hex(request.data(), shown);
    return v;
}

// Case array: length first, then the values' 8-byte little-endian encodings, bit for bit (so
// -0.0 differs from 0.0 and NaNs compare by payload).
Verdict judge_array(const zmq::message_t &request, const std::vector<unsigned char> &expected, std::size_t len) {
    Verdict v;
    const auto *got = request.data<unsigned char>();
    if (request.size() != expected.size()) {
        v.expected_bytes = expected.size();
        v.got_bytes = request.size();
        v.detail = "length mismatch: expected " + std::to_string(expected.size()) + " bytes (" + std::to_string(len) +
                   " float64), got " + std::to_string(request.size()) + " bytes";
        return v;
    }
    if (expected.empty() || std::memcmp(got, expected.data(), expected.size()) == 0) {
        v.success = true;
        return v;
    }
    std::size_t index = 0;
    while (index < len && std::memcmp(got + index * 8, expected.data() + index * 8, 8) == 0) index++;
    v.index = index;
    v.detail = "value mismatch at index " + std::to_string(index) + ": expected " +
               shortest(f64_at(expected.data(), index)) + ", got " + shortest(f64_at(got, index));
    return v;
}

// The verdict line on stdout.
void report(std::uint64_t seq, const Verdict &v) {
    std::string line = "{\"seq\":" + std::to_string(seq) + ",\"verdict\":";
    if (v.success) {
        emit(line + "\"SUCCESS\"}");
        return;
    }
    line += "\"FAILURE\",\"detail\":" + json_string(v.detail);
    if (v.index) line += ",\"index\":" + std::to_string(*v.index);
    if (v.expected_bytes) {
        line += ",\"expected_bytes\":" + std::to_string(*v.expected_bytes) +
                ",\"got_bytes\":" + std::to_string(v.got_bytes);
    }
    emit(line + "}");
}

// The frames cases: print each request whole and answer it (multipart: the very same frames,
// moved, not copied; empty: zero bytes). Nothing is checked.
void reply_frames(zmq::socket_t &responder, const Options &o) {
    for (std::uint64_t seq = 0; seq < o.count; seq++) {
        std::vector<zmq::message_t> request =
            recv_all(responder, o, "request " + std::to_string(seq) + " of " + std::to_string(o.count));
        emit_frames(seq, request);
        const std::string what = "the reply to request " + std::to_string(seq);
        if (o.play_case == Case::multipart) {
            send_all(responder, request, o, what);
        } else {
            send_bytes(responder, zmq::const_buffer(), o, what);
        }
    }
}

// The verdict cases (array, hello, large, reconnect, heartbeat): judge each request, answer,
// print the verdict line. Returns how many verdicts were FAILURE.
std::uint64_t reply_verdicts(zmq::socket_t &responder, const Options &o, std::vector<unsigned char> &expected) {
    const bool hello = o.play_case != Case::array && o.play_case != Case::large;
    std::uint64_t failures = 0;
    for (std::uint64_t seq = 0; seq < o.count; seq++) {
        zmq::message_t request; // received in place: the array is not copied again
        const std::uint64_t frames = recv_counted(
            responder, request, o, "request " + std::to_string(seq) + " of " + std::to_string(o.count));
        Verdict v;
        if (frames > 1) {
            v.detail = multipart_reason(frames); // malformed before anything else is looked at
        } else {
            v = hello ? judge_hello(request) : judge_array(request, expected, o.len);
        }
        // Answered first, so that the requester is not left waiting.
        const std::string what = "the reply to request " + std::to_string(seq);
        if (o.raw_reply && frames == 1) {
            send_bytes(responder, zmq::buffer(*o.raw_reply), o, what);
        } else if (v.success && o.play_case == Case::large) {
            // 64 MiB, not copied: no free function, the bytes outlive the context (Kept).
            zmq::message_t reply(expected.data(), expected.size(), nullptr, nullptr);
            send_msg(responder, reply, zmq::send_flags::none, o, what);
        } else {
            const std::string_view answer = v.success ? (hello ? "world" : "SUCCESS") : "FAILURE";
            send_bytes(responder, zmq::buffer(answer), o, what);
        }
        if (frames > 1) {
            report(seq, v);
            throw Failure{Exit::malformed, v.detail};
        }
        if (!v.success) {
            failures++;
            std::fprintf(stderr, "request %llu: %s\n", static_cast<unsigned long long>(seq), v.detail.c_str());
            std::fflush(stderr);
        }
        report(seq, v);
    }
    return failures;
}

// ---- requester ----

bool printable(std::string_view bytes) {
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
}

// The reply line: the text when printable ASCII, else its hex.
void print_reply(std::uint64_t seq, const zmq::message_t &reply) {
    const std::string_view text = reply.to_string_view();
    const std::string shown =
        printable(text) ? "\"reply\":" + json_string(text) : "\"reply_hex\":\"" + hex(reply.data(), reply.size()) + "\"";
    emit("{\"seq\":" + std::to_string(seq) + "," + shown + "}");
}

// The first reply that was not the expected one, kept for the final `error:` line.
struct Unexpected {
    std::uint64_t seq = 0;
    std::string bytes; // whole, but for a large reply's, of which only the size tells enough
    std::size_t size = 0;
};

// The exit-1 line naming the reply: as text (other bytes as \xNN) and in hex.
Failure unexpected_reply(const Unexpected &u, std::string_view expected) {
    std::string text;
    for (const char ch : u.bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
            text += ch;
        } else {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(c));
            text += escaped;
        }
    }
    return Failure{Exit::mismatch, "reply to request " + std::to_string(u.seq) + " was \"" + text + "\" (hex " +
                                       hex(u.bytes.data(), u.bytes.size()) + "), expected \"" + std::string(expected) +
                                       "\""};
}

// Case large: the exit-1 line naming the first reply that was not the array sent.
Failure large_mismatch(const Unexpected &u, std::size_t sent_size) {
    std::string reason = "reply to request " + std::to_string(u.seq) + " (" + std::to_string(u.size) +
                         " bytes) is not the " + std::to_string(sent_size) + " bytes sent";
    if (u.size <= 32) reason += ": hex " + hex(u.bytes.data(), u.bytes.size()); // a short one (FAILURE) is worth seeing
    return Failure{Exit::mismatch, reason};
}

// Case heartbeat: ZMTP heartbeats every --heartbeat-ivl-ms, a link silent for three times that
// dropped, and a dropped link never reconnected. A libzmq that refuses one of these options
// (EINVAL) cannot play the case: exit 4 naming what it lacks.
void configure_heartbeat(zmq::socket_t &requester, const Options &o) {
#ifdef ZMQ_HEARTBEAT_IVL
    const auto [major, minor, patch] = zmq::version();
    const std::string libzmq =
        "libzmq " + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    const auto set = [&](const char *name, const std::string &lacks, auto &&apply) {
        try {
            apply();
        } catch (const zmq::error_t &e) {
            if (e.num() == EINVAL) throw Failure{Exit::unsupported, libzmq + " " + lacks};
            throw Failure{Exit::error, std::string(name) + " failed: " + e.what()};
        }
    };
    set("set(sockopt::heartbeat_ivl)", "has no ZMQ_HEARTBEAT_IVL (ZMTP heartbeats)",
        [&] { requester.set(zmq::sockopt::heartbeat_ivl, o.heartbeat_ivl_ms); });
    set("set(sockopt::heartbeat_timeout)", "has no ZMQ_HEARTBEAT_TIMEOUT",
        [&] { requester.set(zmq::sockopt::heartbeat_timeout, 3 * o.heartbeat_ivl_ms); });
    set("set(sockopt::reconnect_ivl)", "cannot turn reconnection off (ZMQ_RECONNECT_IVL -1 refused)",
        [&] { requester.set(zmq::sockopt::reconnect_ivl, -1); });
#else
    (void)requester;
    (void)o;
    throw Failure{Exit::unsupported, "the libzmq " + std::to_string(ZMQ_VERSION_MAJOR) + "." +
                                         std::to_string(ZMQ_VERSION_MINOR) + "." + std::to_string(ZMQ_VERSION_PATCH) +
                                         " headers this peer was built with have no ZMQ_HEARTBEAT_IVL"};
#endif
}

// Request seq of the case; the array is borrowed, not copied (it lives in Kept).
void send_request(zmq::socket_t &requester, const Options &o, std::vector<unsigned char> &array, std::uint64_t seq) {
    const std::string what = "request " + std::to_string(seq);
    switch (o.play_case) {
    case Case::array:
    case Case::large: {
        zmq::message_t request(array.data(), array.size(), nullptr, nullptr);
        send_msg(requester, request, zmq::send_flags::none, o, what);
        return;
    }
    case Case::multipart: {
        std::vector<zmq::message_t> frames;
        frames.emplace_back(std::string_view("multipart"));
        frames.emplace_back();
        frames.emplace_back(array.data(), array.size(), nullptr, nullptr);
        send_all(requester, frames, o, what);
        return;
    }
    case Case::empty:
        send_bytes(requester, zmq::const_buffer(), o, what);
        return;
    default: // hello, reconnect, heartbeat
        send_bytes(requester, zmq::str_buffer("hello"), o, what);
        return;
    }
}

// Receives and prints the reply to request seq; the first unexpected one is kept in *first.
void receive_reply(zmq::socket_t &requester, const Options &o, const std::vector<unsigned char> &array,
                   std::uint64_t seq, std::optional<Unexpected> &first) {
    const std::string what = "the reply to request " + std::to_string(seq);
    if (prints_frames(o.play_case)) { // every frame is data; nothing is checked
        emit_frames(seq, recv_all(requester, o, what));
        return;
    }
    const zmq::message_t reply = recv_one(requester, o, what);
    bool as_expected = false;
    if (o.play_case == Case::large) {
        as_expected = reply.size() == array.size() && std::memcmp(reply.data(), array.data(), array.size()) == 0;
        emit("{\"seq\":" + std::to_string(seq) + ",\"reply_bytes\":" + std::to_string(reply.size()) +
             ",\"matches\":" + (as_expected ? "true" : "false") + "}");
    } else {
        print_reply(seq, reply);
        as_expected = reply.to_string_view() == (o.play_case == Case::array ? "SUCCESS" : "world");
    }
    if (!as_expected && !first) {
        const bool whole = o.play_case != Case::large || reply.size() <= 32;
        first = Unexpected{seq, whole ? reply.to_string() : std::string(), reply.size()};
    }
}

} // namespace

void play_rep(zmq::context_t &context, const Options &o, Kept &kept) {
    const bool hello = o.play_case != Case::array && o.play_case != Case::large;
    const bool frames_case = prints_frames(o.play_case);
    if (!hello && !frames_case) kept.array = f64_array(o.seed, o.len); // built once, before the socket
    zmq::socket_t responder = open_socket(context, zmq::socket_type::rep, o);
    std::uint64_t failures = 0;
    if (frames_case) {
        reply_frames(responder, o);
    } else {
        failures = reply_verdicts(responder, o, kept.array);
    }
    if (o.play_case == Case::reconnect) hold(o);
    responder.close(); // the last reply has up to ZMQ_LINGER (the timeout) to go out
    if (failures > 0) {
        throw Failure{Exit::mismatch,
                      std::to_string(failures) + " of " + std::to_string(o.count) + " requests did not match"};
    }
}

void play_req(zmq::context_t &context, const Options &o, Kept &kept) {
    const Case c = o.play_case;
    if (c == Case::array || c == Case::large || c == Case::multipart) kept.array = f64_array(o.seed, o.len, o.corrupt_index);
    zmq::socket_t requester = open_socket(context, zmq::socket_type::req, o, [&](zmq::socket_t &socket) {
        if (c == Case::heartbeat) configure_heartbeat(socket, o);
    });
    std::optional<Unexpected> first_unexpected;
    for (std::uint64_t seq = 0; seq < o.count; seq++) {
        // Case heartbeat: a deliberate silence between two requests, heartbeats only.
        if (c == Case::heartbeat && seq > 0 && o.silence_ms > 0) sleep_ms(o.silence_ms);
        send_request(requester, o, kept.array, seq);
        receive_reply(requester, o, kept.array, seq, first_unexpected);
        if (o.pause_after && seq + 1 == *o.pause_after) {
            emit_paused();
            wait_for_line();
        }
    }
    requester.close();
    // One `error:` line in all: the unexpected reply only when nothing else failed.
    if (first_unexpected) {
        throw c == Case::large ? large_mismatch(*first_unexpected, kept.array.size())
                               : unexpected_reply(*first_unexpected, c == Case::array ? "SUCCESS" : "world");
    }
}

} // namespace zi
