// pubsub.cpp: the publisher and the subscriber. The publisher reads --packet-size samples from
// the fancyhw device into an int16_t buffer, puts them in a message_t envelope (topic, one
// space, the samples as little-endian int16) and publishes it; with --sync it is an XPUB that
// first waits for a subscription; --raw-hex publishes the given bytes instead. The subscriber
// decodes each envelope with the contract's checks, in its order and with its reason texts.
// The cases (contract: "Cases"): burst keeps libzmq's default high-water mark; multipart sends
// topic, empty frame, envelope; empty alternates a zero-byte message and a zero-sample
// envelope; topics waits on an XPUB for two subscriptions and, half-way, an unsubscription;
// reconnect plays fancyhw and then holds its socket open.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "../c/fakehw.h"
#include "net.hpp"
#include "roles.hpp"

namespace zi {

namespace {

// ---- publisher ----

// Receives XPUB messages until want (a 0x01/0x00 byte and a topic) arrives, or, with want
// empty, until any subscription (first byte 1) arrives; other messages are ignored.
void wait_for(zmq::socket_t &publisher, const Options &o, std::string_view want, const std::string &waiting_for) {
    for (;;) {
        const zmq::message_t message = recv_one(publisher, o, waiting_for);
        const std::string_view got = message.to_string_view();
        if (want.empty() ? !got.empty() && got[0] == '\x01' : got == want) return;
    }
}

// Case topics: both subscriptions, in either order; anything else is ignored.
void wait_for_both_subscriptions(zmq::socket_t &publisher, const Options &o) {
    using namespace std::string_view_literals;
    bool data = false;
    bool prefix = false;
    while (!(data && prefix)) {
        const zmq::message_t message = recv_one(publisher, o, "the subscriptions fancyhw_data and fancy");
        const std::string_view got = message.to_string_view();
        data = data || got == "\x01" "fancyhw_data"sv;
        prefix = prefix || got == "\x01" "fancy"sv;
    }
    std::fprintf(stderr, "publisher: subscriptions fancyhw_data and fancy arrived\n");
}

// One envelope of `samples` fresh samples under topic: the body of the classic program's loop.
zmq::message_t build_envelope(fancyhw &hw, std::string_view topic, std::vector<std::int16_t> &buffer,
                              std::size_t samples) {
    for (std::size_t i = 0; i < samples; i++) buffer[i] = fancyhw_read_sample(&hw);
    zmq::message_t envelope(topic.size() + 1 + samples * sizeof(std::int16_t));
    auto *data = envelope.data<unsigned char>();
    std::memcpy(data, topic.data(), topic.size());
    data[topic.size()] = ' ';
    // The samples little-endian whatever the host, byte by byte.
    unsigned char *bytes = data + topic.size() + 1;
    for (std::size_t i = 0; i < samples; i++) {
        const auto bits = static_cast<std::uint16_t>(buffer[i]); // modulo 2^16: well defined
        bytes[2 * i] = static_cast<unsigned char>(bits & 0xffu);
        bytes[2 * i + 1] = static_cast<unsigned char>(bits >> 8);
    }
    return envelope;
}

// The topic of message seq in case topics.
std::string_view topics_topic(std::uint64_t seq) {
    static constexpr std::array<std::string_view, 3> topics{"fancyhw_data", "fancyhw_status", "other_data"};
    return topics[seq % 3];
}

// Publishes message seq of the case.
void publish(zmq::socket_t &publisher, const Options &o, fancyhw &hw, std::vector<std::int16_t> &buffer,
             std::uint64_t seq) {
    const std::string what = "message " + std::to_string(seq);
    std::vector<zmq::message_t> frames;
    switch (o.play_case) {
    case Case::multipart: // the topic; an empty frame; the envelope fancyhw would send
        frames.emplace_back(o.topic);
        frames.emplace_back();
        frames.push_back(build_envelope(hw, o.topic, buffer, o.packet_size));
        break;
    case Case::empty: // zero bytes (even), the envelope of zero samples (odd)
        frames.push_back(seq % 2 == 0 ? zmq::message_t() : build_envelope(hw, o.topic, buffer, 0));
        break;
    case Case::topics:
        frames.push_back(build_envelope(hw, topics_topic(seq), buffer, o.packet_size));
        break;
    default: // fancyhw, burst, reconnect
        if (o.raw_message) {
            frames.emplace_back(o.raw_message->data(), o.raw_message->size());
        } else {
            frames.push_back(build_envelope(hw, o.topic, buffer, o.packet_size));
        }
        break;
    }
    send_all(publisher, frames, o, what);
}

// Messages first..last-1, --interval-ms between two (not before the very first).
void publish_range(zmq::socket_t &publisher, const Options &o, fancyhw &hw, std::vector<std::int16_t> &buffer,
                   std::uint64_t first, std::uint64_t last) {
    for (std::uint64_t seq = first; seq < last; seq++) {
        if (seq > 0 && o.interval_ms > 0) sleep_ms(o.interval_ms);
        publish(publisher, o, hw, buffer, seq);
        if (o.report_sent) emit_sent(seq);
    }
}

// ---- subscriber ----

Failure malformed(const std::string &reason) { return Failure{Exit::malformed, "malformed envelope: " + reason}; }

// Checks one envelope and prints it; exit 5 with the contract's reason when malformed. The
// topic must be --topic, except in case topics, which takes any.
void decode_and_print(const zmq::message_t &message, std::uint64_t seq, const Options &o) {
    const std::string_view data = message.to_string_view();
    if (data.empty()) throw malformed("empty message");
    const std::size_t space = data.find(' ');
    if (space == std::string_view::npos) throw malformed("no space separating topic and samples");
    if (space == 0) throw malformed("empty topic");
    const std::string_view topic = data.substr(0, space);
    for (std::size_t i = 0; i < topic.size(); i++) {
        const auto c = static_cast<unsigned char>(topic[i]);
        if (c < 0x21 || c > 0x7e) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned>(c));
            throw malformed(std::string("topic is not printable ASCII (byte ") + byte + " at offset " +
                            std::to_string(i) + ")");
        }
    }
    if (o.play_case != Case::topics && topic != o.topic) {
        throw malformed("topic \"" + std::string(topic) + "\" is not the expected \"" + o.topic + "\"");
    }
    const std::size_t payload = data.size() - space - 1;
    if (payload % 2 != 0) {
        throw malformed("payload of " + std::to_string(payload) + " bytes is not a whole number of int16 samples");
    }
    if (payload / 2 != o.packet_size) {
        throw malformed("expected " + std::to_string(o.packet_size) + " samples, got " + std::to_string(payload / 2));
    }
    const auto *samples = reinterpret_cast<const unsigned char *>(data.data()) + space + 1;
    std::string line = "{\"seq\":" + std::to_string(seq) + ",\"topic\":" + json_string(topic) + ",\"samples\":[";
    for (std::size_t j = 0; j < payload / 2; j++) {
        // Little-endian int16 assembled from bytes: no unaligned or aliased access.
        const long bits = static_cast<long>(samples[2 * j]) | (static_cast<long>(samples[2 * j + 1]) << 8);
        if (j) line += ',';
        line += std::to_string(bits >= 0x8000 ? bits - 0x10000 : bits);
    }
    emit(line + "]}");
}

// Receives messages first..last-1 of total: envelopes, decoded and printed (exit 5 on a
// malformed or multipart one), or, in the frames cases, whole messages as frames lines.
void receive_range(zmq::socket_t &subscriber, const Options &o, std::uint64_t first, std::uint64_t last,
                   std::uint64_t total) {
    for (std::uint64_t seq = first; seq < last; seq++) {
        const std::string waiting_for = "message " + std::to_string(seq) + " of " + std::to_string(total);
        if (prints_frames(o.play_case)) {
            emit_frames(seq, recv_all(subscriber, o, waiting_for));
        } else {
            decode_and_print(recv_one(subscriber, o, waiting_for), seq, o);
        }
    }
}

} // namespace

void play_pub(zmq::context_t &context, const Options &o) {
    const Case c = o.play_case;
    // Case topics waits for subscriptions and an unsubscription; reconnect plays fancyhw --sync.
    const bool xpub = o.sync || c == Case::topics || c == Case::reconnect;
    zmq::socket_t publisher = open_socket(context, xpub ? zmq::socket_type::xpub : zmq::socket_type::pub, o,
                                          [&](zmq::socket_t &socket) {
                                              if (c == Case::burst) return; // the engine's own high-water mark
                                              // No high-water mark: a synchronised run drops nothing.
                                              call("set(sockopt::sndhwm)", [&] { socket.set(zmq::sockopt::sndhwm, 0); });
                                          });
    std::fprintf(stderr, "publisher: case %s, topic %s, %lu samples per envelope, %llu messages\n",
                 o.case_name.c_str(), o.topic.c_str(), static_cast<unsigned long>(o.packet_size),
                 static_cast<unsigned long long>(o.count));
    if (c == Case::topics) {
        wait_for_both_subscriptions(publisher, o);
    } else if (xpub) {
        // XPUB delivers each subscription as a message whose first byte is 1 (0: unsubscribe).
        wait_for(publisher, o, "", "a subscriber");
        std::fprintf(stderr, "publisher: a subscriber arrived\n");
    }
    std::vector<std::int16_t> buffer(o.packet_size); // the classic int16_t buffer[PACKET_SIZE]
    fancyhw hw{};
    fancyhw_seed(&hw, o.seed); // one sequence across every message, whatever its topic
    publish_range(publisher, o, hw, buffer, 0, o.count);
    if (c == Case::topics) {
        using namespace std::string_view_literals;
        wait_for(publisher, o, "\x00" "fancy"sv, "the unsubscription of fancy");
        std::fprintf(stderr, "publisher: fancy unsubscribed\n");
        publish_range(publisher, o, hw, buffer, o.count, 2 * o.count);
    }
    if (c == Case::reconnect) hold(o);
    // The socket closes here: queued envelopes have up to ZMQ_LINGER (the timeout) to go out.
}

void play_sub(zmq::context_t &context, const Options &o) {
    zmq::socket_t subscriber = open_socket(context, zmq::socket_type::sub, o, [&](zmq::socket_t &socket) {
        if (o.play_case != Case::burst) call("set(sockopt::rcvhwm)", [&] { socket.set(zmq::sockopt::rcvhwm, 0); });
        if (o.play_case == Case::topics) { // whatever --subscribe says
            call("set(sockopt::subscribe)", [&] { socket.set(zmq::sockopt::subscribe, "fancyhw_data"); });
            call("set(sockopt::subscribe)", [&] { socket.set(zmq::sockopt::subscribe, "fancy"); });
        } else {
            call("set(sockopt::subscribe)", [&] { socket.set(zmq::sockopt::subscribe, o.subscription); });
        }
    });
    if (o.play_case != Case::topics) {
        receive_range(subscriber, o, 0, o.count, o.count);
        return;
    }
    // The counts, trusted rather than the topics.
    const auto [first, second] = topics_counts(o.count);
    receive_range(subscriber, o, 0, first, first + second);
    call("set(sockopt::unsubscribe)", [&] { subscriber.set(zmq::sockopt::unsubscribe, "fancy"); });
    if (second == 0) {
        // Nothing left to receive (--count 1): linger, so that the unsubscription the publisher
        // waits for leaves before the socket closes.
        call("set(sockopt::linger)", [&] { subscriber.set(zmq::sockopt::linger, o.timeout_ms); });
    }
    receive_range(subscriber, o, first, first + second, first + second);
}

} // namespace zi
