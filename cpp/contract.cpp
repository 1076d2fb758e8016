// contract.cpp: the C++ peer's side of the peer contract (docs/peer-contract.md): option parsing
// with the contract's one-line usage errors (the same words as every other peer), the case
// catalog, output lines and JSON escaping, and the float64 arrays from fakehw.
#include "contract.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "../c/fakehw.h"
#include "security.hpp"

namespace zi {

namespace {

Failure usage(std::string reason) { return Failure{Exit::usage, std::move(reason)}; }

constexpr std::array<std::pair<Case, std::string_view>, 10> case_names{{
    {Case::fancyhw, "fancyhw"},
    {Case::burst, "burst"},
    {Case::multipart, "multipart"},
    {Case::empty, "empty"},
    {Case::topics, "topics"},
    {Case::reconnect, "reconnect"},
    {Case::array, "array"},
    {Case::hello, "hello"},
    {Case::large, "large"},
    {Case::heartbeat, "heartbeat"},
}};

// One byte of a name as Rust's `{:?}` shows a str: \t \r \n \" \\ escaped, other control bytes
// as \u{hex}, everything else as it is (a case name is ASCII in practice; see c/contract.c).
void put_rust_debug(std::string &out, unsigned char c) {
    switch (c) {
    case '\t': out += "\\t"; break;
    case '\r': out += "\\r"; break;
    case '\n': out += "\\n"; break;
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    default:
        if (c < 0x20 || c == 0x7f) {
            char escaped[16];
            std::snprintf(escaped, sizeof escaped, "\\u{%x}", static_cast<unsigned>(c));
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
}

// One of the contract's integers, in range: plain decimal, an optional leading + or -, then
// ASCII digits only (no spaces, no `_`, no trailing garbage). Its value decides, whatever its
// digits: -0 is 0, and 00010 is 10.
std::uint64_t parse_integer(const std::string &name, std::string_view text, Range range) {
    std::size_t at = 0;
    const bool negative = !text.empty() && text[0] == '-';
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) at = 1;
    bool is_integer = at < text.size();
    std::uint64_t magnitude = 0;
    bool beyond = false; // past max: the magnitude stops counting, it is out of range
    for (; is_integer && at < text.size(); at++) {
        const char c = text[at];
        if (c < '0' || c > '9') {
            is_integer = false;
        } else if (!beyond) {
            const auto d = static_cast<std::uint64_t>(c - '0');
            if (d > range.max || magnitude > (range.max - d) / 10) {
                beyond = true;
            } else {
                magnitude = magnitude * 10 + d;
            }
        }
    }
    const std::string bounds = std::to_string(range.min) + "..=" + std::to_string(range.max);
    if (!is_integer) {
        throw usage("invalid value '" + std::string(text) + "' for " + name + ": expected an integer in " + bounds);
    }
    if (beyond || (negative && magnitude > 0) || magnitude < range.min) {
        throw usage("invalid value '" + std::string(text) + "' for " + name + ": out of range " + bounds);
    }
    return magnitude;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::vector<unsigned char> parse_hex(const std::string &name, std::string_view text) {
    if (text.size() % 2 != 0) {
        throw usage(name + ": hex string has odd length " + std::to_string(text.size()));
    }
    std::vector<unsigned char> bytes(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = hex_value(text[i]);
        const int lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) {
            const std::size_t bad = hi < 0 ? i : i + 1;
            throw usage(name + ": '" + std::string(1, text[bad]) + "' at offset " + std::to_string(bad) +
                        " is not a hex digit");
        }
        bytes[i / 2] = static_cast<unsigned char>(hi * 16 + lo);
    }
    return bytes;
}

void check_topic(const std::string &topic) {
    if (topic.empty()) throw usage("--topic: topic is empty");
    for (std::size_t i = 0; i < topic.size(); i++) {
        const auto c = static_cast<unsigned char>(topic[i]);
        if (c == ' ') {
            throw usage("--topic: topic \"" + topic + "\" contains a space, which separates topic from samples");
        }
        if (c < 0x21 || c > 0x7e) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned>(c));
            throw usage(std::string("--topic: topic is not printable ASCII (byte ") + byte + " at offset " +
                        std::to_string(i) + ")");
        }
    }
}

Role role_of(std::string_view name) {
    constexpr std::array<std::pair<std::string_view, Role>, 8> roles{{
        {"pub", Role::pub},
        {"sub", Role::sub},
        {"rep", Role::rep},
        {"req", Role::req},
        {"thr-push", Role::thr_push},
        {"thr-pull", Role::thr_pull},
        {"lat-req", Role::lat_req},
        {"lat-rep", Role::lat_rep},
    }};
    for (const auto &[text, role] : roles) {
        if (text == name) return role;
    }
    return Role::none;
}

constexpr std::array<std::string_view, 18> valued{
    "--endpoint", "--topic",         "--subscribe", "--seed",          "--count",       "--packet-size",
    "--len",      "--case",          "--interval-ms", "--timeout-ms",  "--raw-hex",     "--corrupt-index",
    "--raw-reply-hex", "--size",     "--hwm",       "--pause-after",   "--heartbeat-ivl-ms", "--silence-ms"};
constexpr std::array<std::string_view, 6> flags{"--info", "--sync", "--bind", "--connect", "--report-sent",
                                                "--exit-with-stdin"};

template <std::size_t N> bool listed(std::string_view name, const std::array<std::string_view, N> &list) {
    for (const auto &entry : list) {
        if (entry == name) return true;
    }
    return false;
}

void apply(Options &o, const std::string &name, std::string_view value) {
    const auto integer = [&](Range range) { return parse_integer(name, value, range); };
    if (name == "--endpoint") {
        o.endpoint = value;
    } else if (name == "--topic") {
        o.topic = value;
    } else if (name == "--subscribe") {
        o.subscription = value;
    } else if (name == "--seed") {
        o.seed = static_cast<std::uint32_t>(integer(seed_range));
    } else if (name == "--count") {
        o.count = integer(count_range);
    } else if (name == "--packet-size") {
        o.packet_size = static_cast<std::uint32_t>(integer(packet_size_range));
    } else if (name == "--len") {
        o.len = static_cast<std::uint32_t>(integer(len_range));
    } else if (name == "--case") {
        // Any name: one this peer does not play is exit 4 when a role plays it, not a usage error.
        o.case_name = value;
    } else if (name == "--interval-ms") {
        o.interval_ms = integer(interval_ms_range);
    } else if (name == "--timeout-ms") {
        o.timeout_ms = static_cast<int>(integer(timeout_ms_range)); // the range's top fits zmq's int
    } else if (name == "--raw-hex") {
        o.raw_message = parse_hex(name, value);
    } else if (name == "--corrupt-index") {
        // Any u32 here; past the end of --len is checked once every option is known.
        o.corrupt_index = static_cast<std::uint32_t>(integer(Range{0, 4294967295u}));
    } else if (name == "--raw-reply-hex") {
        o.raw_reply = parse_hex(name, value);
    } else if (name == "--size") {
        o.size = static_cast<std::uint32_t>(integer(size_range));
    } else if (name == "--hwm") {
        o.hwm = static_cast<int>(integer(hwm_range));
    } else if (name == "--pause-after") {
        o.pause_after = integer(pause_after_range);
    } else if (name == "--heartbeat-ivl-ms") {
        // Three times the range's top (the heartbeat timeout) still fits zmq's int.
        o.heartbeat_ivl_ms = static_cast<int>(integer(heartbeat_ivl_ms_range));
    } else if (name == "--silence-ms") {
        o.silence_ms = integer(silence_ms_range);
    } else {
        security_option(o.security, name, value);
    }
}

} // namespace

std::string_view case_name(Case c) {
    for (const auto &[known, name] : case_names) {
        if (known == c) return name;
    }
    return "";
}

Case case_from_name(std::string_view name) {
    for (const auto &[known, text] : case_names) {
        if (text == name) return known;
    }
    return Case::unknown;
}

bool role_plays(Role role, Case c) {
    switch (role) {
    case Role::pub:
    case Role::sub:
        return c == Case::fancyhw || c == Case::burst || c == Case::multipart || c == Case::empty ||
               c == Case::topics || c == Case::reconnect;
    case Role::req:
    case Role::rep:
        return c == Case::array || c == Case::hello || c == Case::large || c == Case::multipart ||
               c == Case::empty || c == Case::reconnect || c == Case::heartbeat;
    default:
        return false;
    }
}

bool prints_frames(Case c) { return c == Case::multipart || c == Case::empty; }

std::pair<std::uint64_t, std::uint64_t> topics_counts(std::uint64_t count) {
    // How many i in [0, n) have i mod 3 == r (r in 0..2).
    const auto residues_below = [](std::uint64_t n, std::uint64_t r) -> std::uint64_t {
        return n > r ? (n - r + 2) / 3 : 0;
    };
    return {count - residues_below(count, 2), residues_below(2 * count, 0) - residues_below(count, 0)};
}

bool sends_last(Role role) {
    return role == Role::pub || role == Role::rep || role == Role::thr_push || role == Role::lat_rep;
}

Options parse(int argc, char **argv) {
    Options o;
    bool bind = false;
    bool connect = false;
    bool has_subscription = false; // `--subscribe ""` is a subscription too (to everything)
    bool has_case = false;         // and `--case ""` a case, which no role plays
    bool has_endpoint = false;     // and `--endpoint ""` an endpoint, of no transport
    for (int i = 1; i < argc; i++) {
        const std::string_view arg = argv[i];
        if (arg.substr(0, 2) != "--") {
            if (o.role != Role::none) throw usage("unexpected argument '" + std::string(arg) + "'");
            o.role = role_of(arg);
            if (o.role == Role::none) {
                throw usage("invalid role '" + std::string(arg) +
                            "': expected pub, sub, rep, req, thr-push, thr-pull, lat-req or lat-rep");
            }
            continue;
        }
        const std::size_t eq = arg.find('=');
        const std::string_view name = arg.substr(0, eq);
        if (listed(name, flags)) {
            if (eq != std::string_view::npos) throw usage(std::string(name) + " takes no value");
            if (name == "--info") o.info = true;
            if (name == "--bind") bind = true;
            if (name == "--connect") connect = true;
            if (name == "--sync") o.sync = true;
            if (name == "--report-sent") o.report_sent = true;
            if (name == "--exit-with-stdin") o.exit_with_stdin = true;
            continue;
        }
        if (!listed(name, valued) && !is_security_option(name)) throw usage("unexpected argument '" + std::string(arg) + "'");
        std::string_view value;
        if (eq != std::string_view::npos) {
            value = arg.substr(eq + 1);
        } else {
            if (i + 1 >= argc) throw usage("a value is required for '" + std::string(name) + "'");
            value = argv[++i];
        }
        if (name == "--subscribe") has_subscription = true;
        if (name == "--case") has_case = true;
        if (name == "--endpoint") has_endpoint = true;
        apply(o, std::string(name), value);
    }
    if (o.pause_after && o.exit_with_stdin) {
        // Both read stdin: as clap's conflicts_with in the Rust peers, whatever the role.
        throw usage("--pause-after cannot be used with --exit-with-stdin (both read stdin)");
    }
    if (o.info) return o;
    if (o.role == Role::none) {
        throw usage("a role is required (pub, sub, rep, req, thr-push, thr-pull, lat-req, lat-rep), or --info");
    }
    if (bind && connect) throw usage("--bind and --connect cannot be used together");
    if (!has_endpoint) throw usage("--endpoint is required");
    if (o.endpoint.rfind("ipc://", 0) == 0 && o.endpoint.size() > 6) {
        o.is_ipc = true;
    } else if (o.endpoint.rfind("tcp://", 0) != 0) {
        throw usage("endpoint \"" + o.endpoint + "\" is neither tcp://HOST:PORT nor ipc://PATH");
    }
    check_topic(o.topic);
    if (o.topic.size() > topic_max_bytes) {
        throw usage("--topic: " + std::to_string(o.topic.size()) + " bytes is longer than " +
                    std::to_string(topic_max_bytes));
    }
    if (o.subscription.size() > topic_max_bytes) {
        throw usage("--subscribe: " + std::to_string(o.subscription.size()) + " bytes is longer than " +
                    std::to_string(topic_max_bytes));
    }
    if (!has_subscription) o.subscription = o.topic;
    if (!has_case) {
        o.case_name = case_name(o.role == Role::pub || o.role == Role::sub ? Case::fancyhw : Case::array);
    }
    o.play_case = case_from_name(o.case_name);
    if (o.corrupt_index && *o.corrupt_index >= o.len) {
        throw usage("--corrupt-index " + std::to_string(*o.corrupt_index) + " is past the end of an array of " +
                    std::to_string(o.len) + " values");
    }
    o.bind = bind || (!connect && (o.role == Role::pub || o.role == Role::rep || o.role == Role::thr_pull ||
                                   o.role == Role::lat_rep));
    check_security(o.security, o.bind);
    return o;
}

void check_case(const Options &o) {
    const bool plays_cases = o.role == Role::pub || o.role == Role::sub || o.role == Role::req || o.role == Role::rep;
    if (!plays_cases || role_plays(o.role, o.play_case)) return;
    // Escaped, so the reason stays one line.
    std::string name;
    for (const char c : o.case_name) put_rust_debug(name, static_cast<unsigned char>(c));
    throw Failure{Exit::unsupported, "case \"" + name + "\" is not implemented by this peer"};
}

std::string multipart_reason(std::uint64_t frames) {
    return "malformed message: " + std::to_string(frames) + " frames, expected 1";
}

// ---- output ----

void emit(const std::string &line) {
    // The ZAP handler's thread emits too: one lock around the whole line and its flush.
    static std::mutex stdout_lock;
    const std::lock_guard<std::mutex> hold(stdout_lock);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            out += escaped;
        } else {
            out += ch; // bytes past 0x7f: the text is taken to be UTF-8 (argv)
        }
    }
    out += '"';
    return out;
}

std::string hex(const void *data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto *bytes = static_cast<const unsigned char *>(data);
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    return out;
}

std::string shortest(double value) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

void emit_ready(const std::string &endpoint) {
    emit("{\"event\":\"ready\",\"endpoint\":" + json_string(endpoint) + "}");
}

void emit_sent(std::uint64_t seq) { emit("{\"event\":\"sent\",\"seq\":" + std::to_string(seq) + "}"); }

void emit_paused() { emit("{\"event\":\"paused\"}"); }

// ---- float64 arrays ----

std::vector<unsigned char> f64_array(std::uint32_t seed, std::uint32_t len, std::optional<std::uint32_t> corrupt_index) {
    std::vector<unsigned char> bytes(static_cast<std::size_t>(len) * 8);
    fancyhw hw{};
    fancyhw_seed(&hw, seed);
    for (std::uint32_t i = 0; i < len; i++) {
        double value = fancyhw_read_f64(&hw);
        if (corrupt_index == i) value += 1.0;
        std::uint64_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        for (std::size_t b = 0; b < 8; b++) bytes[std::size_t{i} * 8 + b] = static_cast<unsigned char>(bits >> (8 * b));
    }
    return bytes;
}

double f64_at(const unsigned char *bytes, std::size_t index) {
    std::uint64_t bits = 0;
    for (int i = 7; i >= 0; i--) bits = (bits << 8) | bytes[index * 8 + static_cast<std::size_t>(i)];
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

} // namespace zi
