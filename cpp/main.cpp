// main.cpp: cpp-peer's entry point, `cpp-peer --info` or `cpp-peer <role> [options]`
// (docs/peer-contract.md): parses the options, plays the role inside one zmq::context_t, and
// turns every way a run can end into the contract's exit code and its one `error:` line: no
// exception leaves main.
#include <zmq.hpp>

#include <cstdio>
#include <new>
#include <string>

#include "contract.hpp"
#include "net.hpp"
#include "roles.hpp"
#include "security.hpp"
#include "stdin.hpp"

namespace {

using zi::Role;

// --info: cppzmq's version (the headers this peer was built with: impl_version), the libzmq
// it runs on (the engine on the wire, and libzmq), the transports that library has, the cases
// and the security mechanisms played. No workarounds: libzmq does everything the contract asks
// itself.
void print_info() {
    const auto [major, minor, patch] = zmq::version();
    const std::string loaded = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    const bool ipc = zi::has_transport("ipc");
    std::string line = "{\"lang\":\"cpp\",\"impl\":\"cppzmq\",\"impl_version\":\"" +
                       std::to_string(CPPZMQ_VERSION_MAJOR) + "." + std::to_string(CPPZMQ_VERSION_MINOR) + "." +
                       std::to_string(CPPZMQ_VERSION_PATCH) + "\",";
    line += "\"engine\":\"libzmq\",\"engine_version\":\"" + loaded + "\",\"libzmq\":\"" + loaded + "\",";
    line += std::string("\"transports\":[\"tcp\"") + (ipc ? ",\"ipc\"" : "") + "],";
    line += "\"roles\":[\"pub\",\"sub\",\"rep\",\"req\",\"thr-push\",\"thr-pull\",\"lat-req\",\"lat-rep\"]";
    // Every case some role plays, in the contract's order.
    line += ",\"cases\":[";
    bool first = true;
    for (const zi::Case c : zi::all_cases) {
        if (!zi::role_plays(Role::pub, c) && !zi::role_plays(Role::req, c)) continue;
        line += (first ? "\"" : ",\"") + std::string(zi::case_name(c)) + "\"";
        first = false;
    }
    line += "]";
    const bool curve = zi::has_mechanism(zi::Mechanism::curve);
    line += std::string(",\"mechanisms\":[\"null\",\"plain\"") + (curve ? ",\"curve\"" : "") + "]";
    if (!ipc || !curve) {
        line += ",\"unsupported\":{";
        if (!ipc) line += "\"ipc\":" + zi::json_string(zi::missing_reason("ipc"));
        if (!curve) line += std::string(ipc ? "" : ",") + "\"curve\":" + zi::json_string(zi::missing_mechanism());
        line += "}";
    }
    // The libzmq headers cppzmq was compiled against, beside the library loaded at run time.
    line += ",\"libzmq_headers\":\"" + std::to_string(ZMQ_VERSION_MAJOR) + "." + std::to_string(ZMQ_VERSION_MINOR) +
            "." + std::to_string(ZMQ_VERSION_PATCH) + "\"";
    zi::emit(line + "}");
}

// Runs the role in a fresh context. The kept buffers and the ZAP handler's joiner are declared
// first, so they outlive the context, whose destructor terminates it once every socket (closed
// by its role) has lingered; that termination is what ends the ZAP handler.
void play(const zi::Options &o) {
    zi::check_case(o); // exit 4 before any socket exists
    zi::check_endpoint(o);
    zi::check_mechanism(o);
    zi::Kept kept;
    const zi::ZapJoin zap;
    zmq::context_t context = zi::call("context_t", [] { return zmq::context_t(); });
    switch (o.role) {
    case Role::pub: zi::play_pub(context, o); break;
    case Role::sub: zi::play_sub(context, o); break;
    case Role::rep: zi::play_rep(context, o, kept); break;
    case Role::req: zi::play_req(context, o, kept); break;
    case Role::thr_push: zi::play_thr_push(context, o); break;
    case Role::thr_pull: zi::play_thr_pull(context, o); break;
    case Role::lat_req: zi::play_lat_req(context, o); break;
    case Role::lat_rep: zi::play_lat_rep(context, o); break;
    case Role::none: break;
    }
}

// The one `error:` line: newlines inside a quoted value cannot split it.
int fail(zi::Exit code, std::string reason) {
    for (char &c : reason) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    std::fprintf(stderr, "error: %s\n", reason.c_str());
    std::fflush(stderr);
    return static_cast<int>(code);
}

int run(int argc, char **argv) {
    try {
        const zi::Options options = zi::parse(argc, argv);
        if (options.info) {
            print_info();
        } else {
            if (options.exit_with_stdin) zi::watch_stdin();
            play(options);
        }
        return static_cast<int>(zi::Exit::ok);
    } catch (const zi::Failure &failure) {
        return fail(failure.code, failure.reason);
    } catch (const zmq::error_t &e) {
        return fail(zi::Exit::error, std::string("zmq call failed: ") + e.what());
    } catch (const std::bad_alloc &) {
        return fail(zi::Exit::error, "out of memory");
    } catch (const std::exception &e) {
        return fail(zi::Exit::error, e.what());
    } catch (...) {
        return fail(zi::Exit::error, "an unknown exception");
    }
}

} // namespace

int main(int argc, char **argv) {
    const int code = run(argc, argv);
    zi::finishing(); // stdin closing from now on changes nothing: this is the exit status
    return code;
}
