/* req.c: the requester: send the array expected for the seed (optionally with one value
 * corrupted, --corrupt-index), or hello (case hello), --count times; print each reply and exit 1
 * at the end if any reply was not the expected SUCCESS (or world); a multipart reply is exit 5.
 * The cases (contract: "Cases"): large compares each reply with the array it sent; multipart
 * sends `multipart`, an empty frame and the array, empty a zero-length request, both printing
 * each reply as a frames line; reconnect is hello (with --pause-after, the harness's); heartbeat
 * sets ZMTP heartbeats, turns reconnection off and stays silent --silence-ms between two
 * requests. The array is sent without a copy (it outlives the context: zi_keep_until_term). */
#include "contract.h" /* first: it sets up stdio for MinGW */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool printable(const unsigned char *data, size_t size) {
    for (size_t i = 0; i < size; i++) {
        if (data[i] < 0x20 || data[i] > 0x7e) return false;
    }
    return true;
}

/* The reply line: the text when printable ASCII, else its hex. */
static void print_reply(uint64_t seq, const unsigned char *data, size_t size) {
    printf("{\"seq\":%llu,", (unsigned long long)seq);
    if (printable(data, size)) {
        fputs("\"reply\":", stdout);
        zi_print_json_string(stdout, (const char *)data, size);
    } else {
        fputs("\"reply_hex\":\"", stdout);
        zi_print_hex(stdout, data, size);
        putchar('"');
    }
    fputs("}\n", stdout);
    fflush(stdout);
}

/* The first reply that was not the expected one, kept for the final `error:` line. */
struct unexpected {
    bool seen;
    uint64_t seq;
    unsigned char *bytes;
    size_t size;
};

/* Exit 1 with one line naming the reply: as text (other bytes as \xNN) and in hex. */
static int report_unexpected(const struct unexpected *u, const char *expected) {
    fprintf(stderr, "error: reply to request %llu was \"", (unsigned long long)u->seq);
    for (size_t i = 0; i < u->size; i++) {
        const unsigned char c = u->bytes[i];
        if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
            fputc(c, stderr);
        } else {
            fprintf(stderr, "\\x%02x", (unsigned)c);
        }
    }
    fputs("\" (hex ", stderr);
    zi_print_hex(stderr, u->bytes, u->size);
    fprintf(stderr, "), expected \"%s\"\n", expected);
    fflush(stderr);
    return ZI_MISMATCH;
}

/* Case large: exit 1 with one line naming the first reply that was not the array sent. */
static int report_large_mismatch(const struct unexpected *u, size_t sent_size) {
    fprintf(stderr, "error: reply to request %llu (%zu bytes) is not the %zu bytes sent", (unsigned long long)u->seq,
            u->size, sent_size);
    if (u->size <= 32) { /* a short one (FAILURE, say) is worth seeing */
        fputs(": hex ", stderr);
        zi_print_hex(stderr, u->bytes, u->size);
    }
    fputc('\n', stderr);
    fflush(stderr);
    return ZI_MISMATCH;
}

/* Case heartbeat: ZMTP heartbeats every --heartbeat-ivl-ms, a link silent for three times that
 * dropped, and a dropped link never reconnected. A libzmq without these options cannot play
 * the case: exit 4 naming what it lacks. */
static int configure_heartbeat(void *requester, const struct zi_options *o) {
    int major = 0, minor = 0, patch = 0;
    zmq_version(&major, &minor, &patch);
#ifdef ZMQ_HEARTBEAT_IVL
    const int timeout = 3 * o->heartbeat_ivl_ms;
    const int never = -1;
    if (zmq_setsockopt(requester, ZMQ_HEARTBEAT_IVL, &o->heartbeat_ivl_ms, sizeof o->heartbeat_ivl_ms) != 0) {
        if (zmq_errno() != EINVAL) return zi_zmq_fail("zmq_setsockopt(ZMQ_HEARTBEAT_IVL)");
        return zi_fail(ZI_UNSUPPORTED, "libzmq %d.%d.%d has no ZMQ_HEARTBEAT_IVL (ZMTP heartbeats)", major, minor,
                       patch);
    }
    if (zmq_setsockopt(requester, ZMQ_HEARTBEAT_TIMEOUT, &timeout, sizeof timeout) != 0) {
        if (zmq_errno() != EINVAL) return zi_zmq_fail("zmq_setsockopt(ZMQ_HEARTBEAT_TIMEOUT)");
        return zi_fail(ZI_UNSUPPORTED, "libzmq %d.%d.%d has no ZMQ_HEARTBEAT_TIMEOUT", major, minor, patch);
    }
    if (zmq_setsockopt(requester, ZMQ_RECONNECT_IVL, &never, sizeof never) != 0) {
        if (zmq_errno() != EINVAL) return zi_zmq_fail("zmq_setsockopt(ZMQ_RECONNECT_IVL)");
        return zi_fail(ZI_UNSUPPORTED, "libzmq %d.%d.%d cannot turn reconnection off (ZMQ_RECONNECT_IVL -1 refused)",
                       major, minor, patch);
    }
    return ZI_OK;
#else
    (void)requester;
    (void)o;
    return zi_fail(ZI_UNSUPPORTED, "the libzmq %d.%d.%d headers this peer was built with have no ZMQ_HEARTBEAT_IVL",
                   ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR, ZMQ_VERSION_PATCH);
#endif
}

/* Request seq of the case. */
static int send_request(void *requester, const struct zi_options *o, const unsigned char *array, uint64_t seq) {
    char what[64];
    snprintf(what, sizeof what, "request %llu", (unsigned long long)seq);
    const size_t array_size = (size_t)o->len * 8;
    switch (o->play_case) {
    case ZI_CASE_ARRAY:
    case ZI_CASE_LARGE:
        return zi_send_borrowed(requester, array, array_size, 0, o, what);
    case ZI_CASE_MULTIPART: {
        int rc = zi_send_borrowed(requester, "multipart", 9, ZMQ_SNDMORE, o, what);
        if (rc == ZI_OK) rc = zi_send_borrowed(requester, "", 0, ZMQ_SNDMORE, o, what);
        if (rc == ZI_OK) rc = zi_send_borrowed(requester, array, array_size, 0, o, what);
        return rc;
    }
    case ZI_CASE_EMPTY:
        return zi_send(requester, "", 0, o, what);
    default: /* hello, reconnect, heartbeat */
        return zi_send(requester, "hello", 5, o, what);
    }
}

/* Case large's reply line: its size and whether it is the array sent. */
static void print_large_reply(uint64_t seq, size_t size, bool matches) {
    printf("{\"seq\":%llu,\"reply_bytes\":%zu,\"matches\":%s}\n", (unsigned long long)seq, size,
           matches ? "true" : "false");
    fflush(stdout);
}

/* Receives and prints the reply to request seq; the first unexpected one is kept in *first. */
static int receive_reply(void *requester, const struct zi_options *o, const unsigned char *array, uint64_t seq,
                         struct unexpected *first) {
    char what[64];
    snprintf(what, sizeof what, "the reply to request %llu", (unsigned long long)seq);
    if (zi_case_prints_frames(o->play_case)) { /* every frame is data; nothing is checked */
        struct zi_frames reply;
        zi_frames_init(&reply);
        const int rc = zi_recv_all(requester, &reply, o, what);
        if (rc == ZI_OK) zi_emit_frames(seq, &reply);
        zi_frames_close(&reply);
        return rc;
    }
    zmq_msg_t reply;
    if (zmq_msg_init(&reply) != 0) return zi_zmq_fail("zmq_msg_init");
    int rc = zi_recv(requester, &reply, o, what);
    if (rc == ZI_OK) {
        const unsigned char *data = zmq_msg_data(&reply);
        const size_t size = zmq_msg_size(&reply);
        bool as_expected;
        if (o->play_case == ZI_CASE_LARGE) {
            const size_t array_size = (size_t)o->len * 8;
            as_expected = size == array_size && memcmp(data, array, size) == 0;
            print_large_reply(seq, size, as_expected);
        } else {
            const char *expected = o->play_case == ZI_CASE_ARRAY ? "SUCCESS" : "world";
            print_reply(seq, data, size);
            as_expected = size == strlen(expected) && memcmp(data, expected, size) == 0;
        }
        if (!as_expected && !first->seen) {
            /* Kept whole but for a large one's, of which the first 32 bytes tell enough. */
            const size_t kept = o->play_case == ZI_CASE_LARGE && size > 32 ? 0 : size;
            first->seen = true;
            first->seq = seq;
            first->size = size;
            first->bytes = malloc(kept > 0 ? kept : 1);
            if (first->bytes == NULL) {
                rc = zi_fail(ZI_ERROR, "cannot allocate %zu bytes for a reply", kept);
            } else if (kept > 0) {
                memcpy(first->bytes, data, kept);
            }
        }
    }
    if (zmq_msg_close(&reply) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_msg_close");
    return rc;
}

int zi_req(void *context, const struct zi_options *o) {
    const enum zi_case c = o->play_case;
    unsigned char *array = NULL;
    if (c == ZI_CASE_ARRAY || c == ZI_CASE_LARGE || c == ZI_CASE_MULTIPART) {
        array = zi_f64_array(o->seed, o->len, o->has_corrupt_index, o->corrupt_index);
        if (array == NULL) return zi_fail(ZI_ERROR, "cannot allocate an array of %lu values", (unsigned long)o->len);
        /* Sent without a copy: it must outlive the context (freed by play()). */
        const int kept = zi_keep_until_term(array);
        if (kept != ZI_OK) {
            free(array);
            return kept;
        }
    }
    void *requester = NULL;
    int rc = zi_open_socket(context, ZMQ_REQ, o, c == ZI_CASE_HEARTBEAT ? configure_heartbeat : NULL, &requester);
    if (rc != ZI_OK) return rc;
    struct unexpected first_unexpected = {false, 0, NULL, 0};
    for (uint64_t seq = 0; rc == ZI_OK && seq < o->count; seq++) {
        /* Case heartbeat: a deliberate silence between two requests, heartbeats only. */
        if (c == ZI_CASE_HEARTBEAT && seq > 0 && o->silence_ms > 0) zi_sleep_ms(o->silence_ms);
        rc = send_request(requester, o, array, seq);
        if (rc == ZI_OK) rc = receive_reply(requester, o, array, seq, &first_unexpected);
        if (rc == ZI_OK && o->has_pause_after && seq + 1 == o->pause_after) {
            zi_emit_paused();
            rc = zi_wait_for_line();
        }
    }
    if (zmq_close(requester) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    /* One `error:` line in all: the unexpected reply only when nothing else failed. */
    if (rc == ZI_OK && first_unexpected.seen) {
        rc = c == ZI_CASE_LARGE ? report_large_mismatch(&first_unexpected, (size_t)o->len * 8)
                                : report_unexpected(&first_unexpected, c == ZI_CASE_ARRAY ? "SUCCESS" : "world");
    }
    free(first_unexpected.bytes);
    return rc;
}
