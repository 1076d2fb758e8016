// security.hpp: the contract's section "Security" for the C++ peer: --security and its material
// (files read and checked before any socket exists), the mechanism's socket options, and the
// binder's ZAP handler (RFC 27) on a thread. The same behaviour, and the same usage errors, as
// the C peer's c/security.c.
#ifndef ZI_CPP_SECURITY_HPP
#define ZI_CPP_SECURITY_HPP

#include <zmq.hpp>

#include <string>
#include <string_view>

#include "contract.hpp"

namespace zi {

// "null", "plain", "curve".
std::string_view mechanism_name(Mechanism m);
// Whether the loaded libzmq has the mechanism (CURVE: zmq_has("curve")).
bool has_mechanism(Mechanism m);
// Why CURVE is missing, for --info and the exit-4 line.
std::string missing_mechanism();

// Whether name is one of the security options that take a value.
bool is_security_option(std::string_view name);
// Takes one of them (parse); --security's value is checked here, a usage error if unknown.
void security_option(Security &s, std::string_view name, std::string_view value);
// Checks the options as a whole and reads their files (server: this side binds); a usage error
// names the option, never a secret.
void check_security(Security &s, bool server);
// Exit 4 when the loaded libzmq lacks --security's mechanism; before any socket exists.
void check_mechanism(const Options &o);

// Sets the mechanism's socket options on socket, before it binds or connects; a server also
// starts the ZAP handler in context (once per process).
void secure(zmq::context_t &context, zmq::socket_t &socket, const Options &o);

// Joins the ZAP handler, if one was started, when destroyed. The handler ends when its context
// terminates, so one is declared before the context (main's play) and outlives it.
struct ZapJoin {
    ZapJoin() = default;
    ZapJoin(const ZapJoin &) = delete;
    ZapJoin &operator=(const ZapJoin &) = delete;
    ~ZapJoin();
};

} // namespace zi

#endif
