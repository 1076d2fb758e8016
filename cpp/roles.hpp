// roles.hpp: the eight roles of the contract, each one function playing it inside the context
// main gives it; a failure is thrown as zi::Failure (or zmq::error_t, which main maps to exit 6).
#ifndef ZI_CPP_ROLES_HPP
#define ZI_CPP_ROLES_HPP

#include <zmq.hpp>

#include <vector>

#include "contract.hpp"

namespace zi {

// Buffers sent without a copy (zmq::message_t over borrowed bytes): libzmq's I/O thread may still
// hold them after a socket closes (a lingering message), so they live until the context has
// terminated. main declares one before its context, so it is destroyed after it.
struct Kept {
    std::vector<unsigned char> array;
};

void play_pub(zmq::context_t &context, const Options &o);
void play_sub(zmq::context_t &context, const Options &o);
void play_rep(zmq::context_t &context, const Options &o, Kept &kept);
void play_req(zmq::context_t &context, const Options &o, Kept &kept);
void play_thr_push(zmq::context_t &context, const Options &o);
void play_thr_pull(zmq::context_t &context, const Options &o);
void play_lat_req(zmq::context_t &context, const Options &o);
void play_lat_rep(zmq::context_t &context, const Options &o);

} // namespace zi

#endif
