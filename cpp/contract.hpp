// contract.hpp: the peer contract (docs/peer-contract.md) for the C++ peer, in one place: exit
// codes, the failure that carries one out of a role, options, the case catalog and the output
// lines. Knows nothing of sockets (net.hpp has those).
#ifndef ZI_CPP_CONTRACT_HPP
#define ZI_CPP_CONTRACT_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zi {

// The exit codes, as in the contract's table.
enum class Exit : int {
    ok = 0,          // done, data as expected
    mismatch = 1,    // a replier saw a wrong array, a requester an unexpected reply
    usage = 2,       // bad option: one `error:` line, before any socket exists
    timeout = 3,     // gave up waiting (subscriber, message, reply)
    unsupported = 4, // transport or feature missing here
    malformed = 5,   // malformed message received
    error = 6        // a library or system call failed
};

// How a role ends other than with exit 0: thrown, and turned by main into the one `error:`
// line and the exit code. Sockets close on the way out (RAII), as they would on success.
struct Failure {
    Exit code;
    std::string reason;
};

// The contract's integer ranges (the `range` column of its options table): the same in every
// language, whatever C++'s types could hold. Out of range is a usage error.
struct Range {
    std::uint64_t min;
    std::uint64_t max;
};
inline constexpr Range seed_range{0, 4294967295u};
inline constexpr Range count_range{1, 2147483647u};
inline constexpr Range packet_size_range{1, 1048576u};
inline constexpr Range len_range{1, 33554432u};
inline constexpr Range interval_ms_range{0, 3600000u};
inline constexpr Range timeout_ms_range{1, 3600000u};
inline constexpr Range size_range{1, 268435456u};
inline constexpr Range hwm_range{0, 2147483647u};
inline constexpr Range pause_after_range{1, 2147483647u};
inline constexpr Range heartbeat_ivl_ms_range{1, 60000u};
inline constexpr Range silence_ms_range{0, 3600000u};
// --topic (also non-empty) and --subscribe, in bytes.
inline constexpr std::size_t topic_max_bytes = 255;

enum class Role { none, pub, sub, rep, req, thr_push, thr_pull, lat_req, lat_rep };

// The contract's cases ("Cases"), in its report order; unknown is a name this peer does not know.
enum class Case { unknown, fancyhw, burst, multipart, empty, topics, reconnect, array, hello, large, heartbeat };
inline constexpr Case all_cases[] = {Case::fancyhw,   Case::burst, Case::multipart, Case::empty,
                                     Case::topics,    Case::reconnect, Case::array, Case::hello,
                                     Case::large,     Case::heartbeat};

// The contract's name of a case ("" for unknown).
std::string_view case_name(Case c);
// The case of a name, unknown for any other.
Case case_from_name(std::string_view name);
// Whether this peer plays case c in role (pub/sub: fancyhw burst multipart empty topics
// reconnect; req/rep: array hello large multipart empty reconnect heartbeat).
bool role_plays(Role role, Case c);
// Whether the case prints frames lines, and so takes multipart messages as data.
bool prints_frames(Case c);
// Case topics, the subscriber's counts for --count: first the i < count with i mod 3 != 2,
// second the count <= i < 2 count with i mod 3 == 0 (0 for --count 1).
std::pair<std::uint64_t, std::uint64_t> topics_counts(std::uint64_t count);
// Whether the role's last act is sending (ZMQ_LINGER = the timeout); the others linger 0.
bool sends_last(Role role);

// The security mechanisms (--security).
enum class Mechanism { null, plain, curve };

// The security options and their material, read from the files before any socket exists
// (security.cpp). The binder is the server (with the ZAP handler), the connector the client.
struct Security {
    Mechanism mechanism = Mechanism::null;
    bool server = false;
    std::optional<std::string> plain_user;          // --plain-user
    std::optional<std::string> plain_password_file; // --plain-password-file
    std::optional<std::string> curve_keys_file;     // --curve-keys-file
    std::optional<std::string> curve_server_key;    // --curve-server-key (Z85)
    std::optional<std::string> zap_allow_file;      // --zap-allow-file
    std::string password;                           // PLAIN client
    std::string public_key;                         // CURVE: this side's pair, Z85
    std::string secret_key;
    std::vector<std::string> allowed; // server: the allow list (`USER PASSWORD`, or a Z85 public key)
};

// The parsed, validated options; defaults as in the contract.
struct Options {
    bool info = false;
    Role role = Role::none;
    std::string endpoint;
    bool is_ipc = false;
    bool bind = false;
    std::string topic = "fancyhw_data";
    std::string subscription; // the topic unless --subscribe
    std::uint32_t seed = 12345;
    std::uint64_t count = 10;
    std::uint32_t packet_size = 16;
    std::uint32_t len = 131072;
    std::string case_name; // --case as given, else the role's default case's name
    Case play_case = Case::unknown;
    bool sync = false;
    std::uint64_t interval_ms = 0;
    int timeout_ms = 10000;
    bool report_sent = false;
    std::optional<std::vector<unsigned char>> raw_message; // --raw-hex
    std::optional<std::uint32_t> corrupt_index;
    std::optional<std::vector<unsigned char>> raw_reply; // --raw-reply-hex
    std::uint32_t size = 16;
    int hwm = 0;
    std::optional<std::uint64_t> pause_after;
    int heartbeat_ivl_ms = 100; // req, case heartbeat
    std::uint64_t silence_ms = 1500; // req, case heartbeat
    bool exit_with_stdin = false;
    Security security;
};

// Parses argv; a usage error throws Failure{Exit::usage, one line}.
Options parse(int argc, char **argv);

// Throws exit 4 with `case "NAME" is not implemented by this peer` (NAME escaped the way the
// Rust peers' `{:?}` does) unless the role plays --case. Only pub, sub, rep and req play cases:
// the benchmark roles ignore --case. Called before any socket exists.
void check_case(const Options &o);

// `malformed message: N frames, expected 1` (contract: "Unexpected messages").
std::string multipart_reason(std::uint64_t frames);

// ---- output: stdout carries JSON lines only, flushed per line ----

// Writes one line (the newline added) and flushes; safe from any thread (lines never interleave).
void emit(const std::string &line);
// A JSON string literal: `"`, `\\` and control bytes escaped, other bytes as they are.
std::string json_string(std::string_view text);
// Bytes as lowercase hex, no separator.
std::string hex(const void *data, std::size_t size);
// `%.17g`: the shortest text that round-trips a double, as every other peer writes it.
std::string shortest(double value);

void emit_ready(const std::string &endpoint);
void emit_sent(std::uint64_t seq);
void emit_paused();

// Little-endian float64 arrays: the expected one for a seed (value corrupt_index + 1.0 when
// given), and reading one value back.
std::vector<unsigned char> f64_array(std::uint32_t seed, std::uint32_t len,
                                     std::optional<std::uint32_t> corrupt_index = std::nullopt);
double f64_at(const unsigned char *bytes, std::size_t index);

} // namespace zi

#endif
