/* perf.c: the benchmark roles, the method of libzmq's perf tools (remote_thr/local_thr,
 * remote_lat/local_lat) with the contract's result lines: zmq_msg_init_size per sent message,
 * one zmq_msg_t reused for every receive. Message contents are unspecified, as in those tools;
 * a message of several frames or of another size is exit 5 (lat-rep answers FAILURE first). */
#include "contract.h" /* first: it sets up stdio for MinGW */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static int set_hwm(void *socket, const struct zi_options *o) {
    int option = o->role == ZI_THR_PUSH ? ZMQ_SNDHWM : ZMQ_RCVHWM;
    if (zmq_setsockopt(socket, option, &o->hwm, sizeof o->hwm) != 0) return zi_zmq_fail("zmq_setsockopt(HWM)");
    return ZI_OK;
}

static int send_sized(void *socket, size_t size, const struct zi_options *o) {
    zmq_msg_t msg;
    if (zmq_msg_init_size(&msg, size) != 0) return zi_zmq_fail("zmq_msg_init_size");
    if (zmq_msg_send(&msg, socket, 0) < 0) {
        int rc = zmq_errno() == EAGAIN ? zi_fail(ZI_TIMEOUT, "timed out after %d ms sending", o->timeout_ms)
                                       : zi_zmq_fail("zmq_msg_send");
        zmq_msg_close(&msg);
        return rc;
    }
    return ZI_OK;
}

/* Receives one benchmark message. What is wrong with it (several frames, checked first, or
 * another size than --size) is exit 5 with the reason in `malformed`, not yet reported: a
 * replier answers before it fails. Timeouts and failed calls are reported and returned. */
static int recv_sized(void *socket, zmq_msg_t *msg, const struct zi_options *o, const char *what,
                      char *malformed, size_t malformed_size) {
    uint64_t frames = 1;
    const int rc = zi_recv_frames(socket, msg, o, what, &frames);
    if (rc != ZI_OK) return rc;
    if (frames > 1) {
        zi_multipart_reason(malformed, malformed_size, frames);
        return ZI_MALFORMED;
    }
    if (zmq_msg_size(msg) != o->size) {
        snprintf(malformed, malformed_size, "message of %zu bytes, expected %lu", zmq_msg_size(msg),
                 (unsigned long)o->size);
        return ZI_MALFORMED;
    }
    return ZI_OK;
}

/* recv_sized for the roles that only receive: the malformed message is reported at once. */
static int recv_checked(void *socket, zmq_msg_t *msg, const struct zi_options *o, const char *what) {
    char malformed[96];
    const int rc = recv_sized(socket, msg, o, what, malformed, sizeof malformed);
    return rc == ZI_MALFORMED ? zi_fail(ZI_MALFORMED, "%s", malformed) : rc;
}

int zi_thr_push(void *context, const struct zi_options *o) {
    void *push = NULL;
    int rc = zi_open_socket(context, ZMQ_PUSH, o, set_hwm, &push);
    for (uint64_t i = 0; rc == ZI_OK && i < o->count; i++) rc = send_sized(push, o->size, o);
    if (push != NULL && zmq_close(push) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    return rc;
}

int zi_thr_pull(void *context, const struct zi_options *o) {
    void *pull = NULL;
    int rc = zi_open_socket(context, ZMQ_PULL, o, set_hwm, &pull);
    if (rc != ZI_OK) return rc;
    zmq_msg_t msg;
    if (zmq_msg_init(&msg) != 0) {
        zmq_close(pull);
        return zi_zmq_fail("zmq_msg_init");
    }
    rc = recv_checked(pull, &msg, o, "the first message");
    const uint64_t started = zi_now_ns();
    for (uint64_t i = 1; rc == ZI_OK && i < o->count; i++) rc = recv_checked(pull, &msg, o, "a message");
    const uint64_t elapsed = zi_now_ns() - started;
    zmq_msg_close(&msg);
    if (rc == ZI_OK) {
        printf("{\"event\":\"result\",\"kind\":\"thr\",\"count\":%llu,\"size\":%lu,\"elapsed_ns\":%llu}\n",
               (unsigned long long)o->count, (unsigned long)o->size, (unsigned long long)elapsed);
        fflush(stdout);
    }
    if (zmq_close(pull) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    return rc;
}

int zi_lat_rep(void *context, const struct zi_options *o) {
    void *rep = NULL;
    int rc = zi_open_socket(context, ZMQ_REP, o, NULL, &rep);
    if (rc != ZI_OK) return rc;
    zmq_msg_t msg;
    if (zmq_msg_init(&msg) != 0) {
        zmq_close(rep);
        return zi_zmq_fail("zmq_msg_init");
    }
    char malformed[96];
    for (uint64_t i = 0; rc == ZI_OK && i < o->count; i++) {
        rc = recv_sized(rep, &msg, o, "a round trip", malformed, sizeof malformed);
        if (rc == ZI_MALFORMED) {
            /* Answered first, so that the requester is not left waiting for its echo. */
            rc = zi_send(rep, "FAILURE", 7, o, "the reply to a malformed message");
            if (rc == ZI_OK) rc = zi_fail(ZI_MALFORMED, "%s", malformed);
            break;
        }
        /* The echo is the received message itself; sending leaves msg empty for the next receive. */
        if (rc == ZI_OK && zmq_msg_send(&msg, rep, 0) < 0) rc = zi_zmq_fail("zmq_msg_send");
    }
    zmq_msg_close(&msg);
    if (zmq_close(rep) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    return rc;
}

int zi_lat_req(void *context, const struct zi_options *o) {
    uint64_t *rtt = calloc(o->count > 0 ? o->count : 1, sizeof *rtt);
    if (rtt == NULL) return zi_fail(ZI_ERROR, "cannot allocate %llu timings", (unsigned long long)o->count);
    void *req = NULL;
    int rc = zi_open_socket(context, ZMQ_REQ, o, NULL, &req);
    if (rc != ZI_OK) {
        free(rtt);
        return rc;
    }
    zmq_msg_t reply;
    if (zmq_msg_init(&reply) != 0) rc = zi_zmq_fail("zmq_msg_init");
    for (uint64_t i = 0; rc == ZI_OK && i < o->count; i++) {
        const uint64_t started = zi_now_ns();
        rc = send_sized(req, o->size, o);
        if (rc == ZI_OK) rc = recv_checked(req, &reply, o, "a round trip");
        rtt[i] = zi_now_ns() - started;
    }
    if (rc == ZI_OK) {
        printf("{\"event\":\"result\",\"kind\":\"lat\",\"count\":%llu,\"size\":%lu,\"rtt_ns\":[",
               (unsigned long long)o->count, (unsigned long)o->size);
        for (uint64_t i = 0; i < o->count; i++) printf("%s%llu", i ? "," : "", (unsigned long long)rtt[i]);
        puts("]}");
        fflush(stdout);
    }
    zmq_msg_close(&reply);
    free(rtt);
    if (zmq_close(req) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    return rc;
}
