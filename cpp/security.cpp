// security.cpp: the contract's security options for the C++ peer (security.hpp): --security and
// its material, checked and read before any socket exists with the C peer's words, the
// mechanism's socket options in cppzmq's idiom, and the binder's ZAP handler on a std::thread,
// which admits exactly the allow list and prints a zap line for each request it answers.
#include "security.hpp"

#include <zmq_addon.hpp>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iterator>
#include <memory>
#include <system_error>
#include <thread>
#include <vector>

#include "net.hpp"

namespace zi {

namespace {

constexpr std::array<std::string_view, 3> mechanism_names{"null", "plain", "curve"};

// The options that take a value, beside --security.
constexpr std::array<std::string_view, 6> options{"--security",        "--plain-user",       "--plain-password-file",
                                                  "--curve-keys-file", "--curve-server-key", "--zap-allow-file"};

// The most lines a material file may have (the C peer's array).
constexpr std::size_t max_lines = 64;
// A line of this many bytes or more is too long (the C peer reads with a 1024-byte fgets).
constexpr std::size_t max_line_bytes = 1023;

Failure usage(std::string reason) { return Failure{Exit::usage, std::move(reason)}; }

// A Z85 key: 40 characters that zmq_z85_decode takes.
bool valid_key(const std::string &text) {
    std::array<std::uint8_t, 32> bytes{};
    return text.size() == 40 && text.find('\0') == std::string::npos &&
           zmq_z85_decode(bytes.data(), text.c_str()) != nullptr;
}

void check_key(std::string_view option, const std::string &text) {
    if (text.size() != 40) {
        throw usage(std::string(option) + ": a Z85 key is 40 characters, not " + std::to_string(text.size()));
    }
    if (!valid_key(text)) throw usage(std::string(option) + ": not a Z85 key");
}

// 1..=255 bytes of printable ASCII (and spaces, when space is true).
bool printable(std::string_view text, bool space) {
    if (text.empty() || text.size() > 255) return false;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x21 || c > 0x7e) && !(space && c == ' ')) return false;
    }
    return true;
}

void check_plain(std::string_view option, std::string_view user, std::string_view password) {
    if (!printable(user, false)) {
        throw usage(std::string(option) + ": a user name is 1..=255 bytes of printable ASCII without space");
    }
    if (!printable(password, true)) throw usage(std::string(option) + ": a password is 1..=255 bytes of printable ASCII");
}

// The non-empty lines of a file, a final newline and \r before it allowed; the C peer's limits.
std::vector<std::string> read_lines(std::string_view option, const std::string &path) {
    const std::string named = std::string(option) + " " + path;
    const std::unique_ptr<std::FILE, int (*)(std::FILE *)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) throw usage(named + ": " + std::strerror(errno));
    std::vector<std::string> lines;
    std::string line;
    const auto finish = [&] {
        while (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) return;
        if (lines.size() == max_lines) throw usage(named + ": more than " + std::to_string(max_lines) + " lines");
        lines.push_back(std::move(line));
        line.clear();
    };
    for (int c = std::getc(file.get()); c != EOF; c = std::getc(file.get())) {
        if (c == '\n') {
            finish();
            continue;
        }
        line += static_cast<char>(c);
        if (line.size() == max_line_bytes) throw usage(named + ": a line is too long");
    }
    finish();
    if (lines.empty()) throw usage(named + ": the file is empty");
    return lines;
}

std::string side(bool server) { return server ? "the binder (server)" : "the connector (client)"; }

void need(const Security &s, std::string_view option, bool present, bool server) {
    if (present) return;
    throw usage("--security " + std::string(mechanism_name(s.mechanism)) + " needs " + std::string(option) + " on " +
                side(server));
}

void unused(const Security &s, std::string_view option, bool present) {
    if (!present) return;
    throw usage(std::string(option) + " does not apply to --security " + std::string(mechanism_name(s.mechanism)));
}

// ---- the ZAP handler ----

// Started for the first server socket; joined by ZapJoin once the context has terminated.
std::thread zap_thread;

// Frames of a ZAP request: version, request id, domain, address, routing id, mechanism, then
// the credentials (PLAIN: user and password; CURVE: the client's 32-byte public key).
constexpr std::size_t plain_request_frames = 8;
constexpr std::size_t curve_request_frames = 7;
constexpr std::size_t first_credential = 6;

// Whether the request's credentials are on the allow list.
bool admits(const Security &s, const std::vector<zmq::message_t> &frames) {
    if (s.mechanism == Mechanism::plain && frames.size() == plain_request_frames) {
        const std::string_view user = frames[first_credential].to_string_view();
        const std::string_view password = frames[first_credential + 1].to_string_view();
        for (const std::string &line : s.allowed) {
            const std::size_t space = line.find(' ');
            if (space == std::string::npos) continue;
            if (std::string_view(line).substr(0, space) == user && std::string_view(line).substr(space + 1) == password) {
                return true;
            }
        }
    }
    if (s.mechanism == Mechanism::curve && frames.size() == curve_request_frames &&
        frames[first_credential].size() == 32) {
        for (const std::string &line : s.allowed) {
            std::array<std::uint8_t, 32> key{};
            if (zmq_z85_decode(key.data(), line.c_str()) != nullptr &&
                std::memcmp(key.data(), frames[first_credential].data(), key.size()) == 0) {
                return true;
            }
        }
    }
    return false;
}

// The zap line: who asked (the PLAIN user, the CURVE key in Z85; never a password). emit writes
// it whole under its lock, so it never splits a line of the main thread's.
void emit_zap(const Security &s, const std::vector<zmq::message_t> &frames, bool allowed) {
    std::string identity;
    if (s.mechanism == Mechanism::plain && frames.size() == plain_request_frames) {
        identity = std::string(frames[first_credential].to_string_view().substr(0, 255));
    } else if (s.mechanism == Mechanism::curve && frames.size() == curve_request_frames &&
               frames[first_credential].size() == 32) {
        std::array<char, 41> z85{};
        zmq_z85_encode(z85.data(), static_cast<const std::uint8_t *>(frames[first_credential].data()), 32);
        identity = z85.data();
    }
    emit("{\"event\":\"zap\",\"mechanism\":\"" + std::string(mechanism_name(s.mechanism)) +
         "\",\"identity\":" + json_string(identity) + ",\"allowed\":" + (allowed ? "true" : "false") + "}");
}

// Answers ZAP requests until the context terminates (the blocked receive throws ETERM). Nothing
// may leave a thread's function: any other failure is written on stderr and ends the handler,
// and the clients then time out as with a refusal.
void serve_zap(zmq::socket_t socket, const Security &s) noexcept {
    try {
        for (;;) {
            std::vector<zmq::message_t> frames;
            // No receive timeout is set on this socket: an empty result cannot come.
            if (!zmq::recv_multipart(socket, std::back_inserter(frames))) continue;
            const bool allowed = frames.size() >= first_credential && admits(s, frames);
            emit_zap(s, frames, allowed);
            // Reply: version, request id, status code, status text, user id, metadata.
            const zmq::const_buffer request_id =
                frames.size() >= 2 ? zmq::const_buffer(frames[1].data(), frames[1].size()) : zmq::const_buffer();
            const std::array<zmq::const_buffer, 6> reply{
                zmq::str_buffer("1.0"),
                request_id,
                allowed ? zmq::str_buffer("200") : zmq::str_buffer("400"),
                allowed ? zmq::str_buffer("OK") : zmq::str_buffer("not on the allow list"),
                allowed ? zmq::str_buffer("interop") : zmq::const_buffer(),
                zmq::const_buffer(),
            };
            zmq::send_multipart(socket, reply);
        }
    } catch (const zmq::error_t &e) {
        if (e.num() == ETERM) return; // the context is terminating: the peer is ending
        std::fprintf(stderr, "ZAP handler stopped: %s\n", e.what());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "ZAP handler stopped: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "ZAP handler stopped: an unknown exception\n");
    }
    std::fflush(stderr);
}

// Binds the ZAP endpoint in context and starts the handler (once per process).
void start_zap(zmq::context_t &context, const Security &s) {
    if (zap_thread.joinable()) return;
    zmq::socket_t socket =
        call("socket_t(ZAP handler)", [&] { return zmq::socket_t(context, zmq::socket_type::rep); });
    // Set now, not at the end: once the context terminates, setting options fails with ETERM,
    // and a reply to a client already gone must not hold the context's termination.
    call("set(sockopt::linger)", [&] { socket.set(zmq::sockopt::linger, 0); });
    call("bind(inproc://zeromq.zap.01)", [&] { socket.bind("inproc://zeromq.zap.01"); });
    try {
        zap_thread = std::thread(serve_zap, std::move(socket), std::cref(s));
    } catch (const std::system_error &e) {
        throw Failure{Exit::error, std::string("std::thread(ZAP handler) failed: ") + e.what()};
    }
}

} // namespace

std::string_view mechanism_name(Mechanism m) { return mechanism_names[static_cast<std::size_t>(m)]; }

bool has_mechanism(Mechanism m) {
    // NULL and PLAIN are always built into libzmq 4; CURVE needs libsodium (or tweetnacl).
    return m != Mechanism::curve || zmq_has("curve") == 1;
}

std::string missing_mechanism() {
    const auto [major, minor, patch] = zmq::version();
    return "libzmq " + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch) +
           " was built without CURVE (zmq_has(\"curve\") is 0)";
}

bool is_security_option(std::string_view name) {
    for (const std::string_view option : options) {
        if (option == name) return true;
    }
    return false;
}

void security_option(Security &s, std::string_view name, std::string_view value) {
    if (name == "--security") {
        for (std::size_t m = 0; m < mechanism_names.size(); m++) {
            if (value == mechanism_names[m]) {
                s.mechanism = static_cast<Mechanism>(m);
                return;
            }
        }
        throw usage("invalid value '" + std::string(value) + "' for '--security <MECH>': expected null, plain or curve");
    }
    if (name == "--plain-user") s.plain_user = value;
    if (name == "--plain-password-file") s.plain_password_file = value;
    if (name == "--curve-keys-file") s.curve_keys_file = value;
    if (name == "--curve-server-key") s.curve_server_key = value;
    if (name == "--zap-allow-file") s.zap_allow_file = value;
}

void check_security(Security &s, bool server) {
    s.server = server;
    if (s.curve_server_key) check_key("--curve-server-key", *s.curve_server_key);
    switch (s.mechanism) {
    case Mechanism::null:
        unused(s, "--plain-user", s.plain_user.has_value());
        unused(s, "--plain-password-file", s.plain_password_file.has_value());
        unused(s, "--curve-keys-file", s.curve_keys_file.has_value());
        unused(s, "--curve-server-key", s.curve_server_key.has_value());
        unused(s, "--zap-allow-file", s.zap_allow_file.has_value());
        return;
    case Mechanism::plain:
        unused(s, "--curve-keys-file", s.curve_keys_file.has_value());
        unused(s, "--curve-server-key", s.curve_server_key.has_value());
        if (server) {
            need(s, "--zap-allow-file", s.zap_allow_file.has_value(), true);
            s.allowed = read_lines("--zap-allow-file", *s.zap_allow_file);
            for (const std::string &line : s.allowed) {
                const std::size_t space = line.find(' ');
                if (space == std::string::npos) throw usage("--zap-allow-file: a PLAIN line is `USER PASSWORD`");
                const std::string_view text = line;
                check_plain("--zap-allow-file", text.substr(0, space), text.substr(space + 1));
            }
            return;
        }
        need(s, "--plain-user", s.plain_user.has_value(), false);
        need(s, "--plain-password-file", s.plain_password_file.has_value(), false);
        {
            std::vector<std::string> lines = read_lines("--plain-password-file", *s.plain_password_file);
            if (lines.size() != 1) throw usage("--plain-password-file: one line, the password");
            check_plain("--plain-user", *s.plain_user, lines[0]);
            s.password = std::move(lines[0]);
        }
        return;
    case Mechanism::curve: {
        unused(s, "--plain-user", s.plain_user.has_value());
        unused(s, "--plain-password-file", s.plain_password_file.has_value());
        need(s, "--curve-keys-file", s.curve_keys_file.has_value(), server);
        std::vector<std::string> keys = read_lines("--curve-keys-file", *s.curve_keys_file);
        if (keys.size() != 2) throw usage("--curve-keys-file: two lines, the public key then the secret key (Z85)");
        check_key("--curve-keys-file", keys[0]);
        check_key("--curve-keys-file", keys[1]);
        s.public_key = std::move(keys[0]);
        s.secret_key = std::move(keys[1]);
        if (server) {
            unused(s, "--curve-server-key", s.curve_server_key.has_value());
            need(s, "--zap-allow-file", s.zap_allow_file.has_value(), true);
            s.allowed = read_lines("--zap-allow-file", *s.zap_allow_file);
            for (const std::string &line : s.allowed) check_key("--zap-allow-file", line);
            return;
        }
        unused(s, "--zap-allow-file", s.zap_allow_file.has_value());
        need(s, "--curve-server-key", s.curve_server_key.has_value(), false);
        return;
    }
    }
}

void check_mechanism(const Options &o) {
    if (!has_mechanism(o.security.mechanism)) throw Failure{Exit::unsupported, missing_mechanism()};
}

void secure(zmq::context_t &context, zmq::socket_t &socket, const Options &o) {
    const Security &s = o.security;
    if (s.mechanism == Mechanism::null) return;
    if (s.server) {
        start_zap(context, s);
        call("set(sockopt::zap_domain)", [&] { socket.set(zmq::sockopt::zap_domain, "interop"); });
    }
    if (s.mechanism == Mechanism::plain) {
        if (s.server) {
            call("set(sockopt::plain_server)", [&] { socket.set(zmq::sockopt::plain_server, true); });
            return;
        }
        call("set(sockopt::plain_username)", [&] { socket.set(zmq::sockopt::plain_username, *s.plain_user); });
        call("set(sockopt::plain_password)", [&] { socket.set(zmq::sockopt::plain_password, s.password); });
        return;
    }
    if (s.server) {
        call("set(sockopt::curve_server)", [&] { socket.set(zmq::sockopt::curve_server, true); });
        call("set(sockopt::curve_secretkey)", [&] { socket.set(zmq::sockopt::curve_secretkey, s.secret_key); });
        return;
    }
    call("set(sockopt::curve_serverkey)", [&] { socket.set(zmq::sockopt::curve_serverkey, *s.curve_server_key); });
    call("set(sockopt::curve_publickey)", [&] { socket.set(zmq::sockopt::curve_publickey, s.public_key); });
    call("set(sockopt::curve_secretkey)", [&] { socket.set(zmq::sockopt::curve_secretkey, s.secret_key); });
}

ZapJoin::~ZapJoin() {
    // The handler's receive failed with ETERM when the context terminated: it has ended.
    if (zap_thread.joinable()) zap_thread.join();
}

} // namespace zi
