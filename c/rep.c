/* rep.c: the replier: for --count requests, check each against the array expected for the seed
 * (length first, then every value bit for bit) and answer SUCCESS or FAILURE, or answer world
 * to hello (case hello); print a verdict line per request; exit 1 if any verdict was FAILURE.
 * A multipart request is answered FAILURE too, then ends the run with exit 5. The cases
 * (contract: "Cases"): large answers a matching request with the expected array itself (sent
 * without a copy); multipart echoes every request whole and empty answers zero bytes, both
 * printing frames lines; reconnect plays hello and then holds its socket open; heartbeat plays
 * hello. */
#include "contract.h" /* first: it sets up stdio for MinGW */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The verdict on one request. */
struct verdict {
    bool success;
    char detail[256]; /* the failure, in words (empty on success) */
    bool has_index;   /* a value mismatch: the first differing index */
    size_t index;
    bool has_lengths; /* a length mismatch: the two sizes in bytes */
    size_t expected_bytes;
    size_t got_bytes;
};

/* Case hello: the request must be exactly `hello`. */
static void judge_hello(const unsigned char *got, size_t size, struct verdict *v) {
    if (size == 5 && memcmp(got, "hello", 5) == 0) {
        v->success = true;
        return;
    }
    /* Like the other repliers: the size, then at most 32 bytes in hex. */
    int n = snprintf(v->detail, sizeof v->detail, "expected \"hello\", got %zu bytes: ", size);
    for (size_t i = 0; i < size && i < 32 && n > 0 && (size_t)n + 3 <= sizeof v->detail; i++) {
        n += snprintf(v->detail + n, sizeof v->detail - (size_t)n, "%02x", (unsigned)got[i]);
    }
}

/* Case array: length first, then the values' 8-byte little-endian encodings, bit for bit
 * (so -0.0 differs from 0.0 and NaNs compare by payload). */
static void judge_array(const unsigned char *got, size_t size, const unsigned char *expected, size_t len,
                        struct verdict *v) {
    const size_t expected_size = len * 8;
    if (size != expected_size) {
        v->has_lengths = true;
        v->expected_bytes = expected_size;
        v->got_bytes = size;
        snprintf(v->detail, sizeof v->detail, "length mismatch: expected %zu bytes (%zu float64), got %zu bytes",
                 expected_size, len, size);
        return;
    }
    if (memcmp(got, expected, size) == 0) {
        v->success = true;
        return;
    }
    size_t index = 0;
    while (index < len && memcmp(got + index * 8, expected + index * 8, 8) == 0) index++;
    v->has_index = true;
    v->index = index;
    snprintf(v->detail, sizeof v->detail, "value mismatch at index %zu: expected %.17g, got %.17g", index,
             zi_f64_at(expected, index), zi_f64_at(got, index));
}

/* The verdict line on stdout. */
static void report(uint64_t seq, const struct verdict *v) {
    if (v->success) {
        printf("{\"seq\":%llu,\"verdict\":\"SUCCESS\"}\n", (unsigned long long)seq);
        fflush(stdout);
        return;
    }
    printf("{\"seq\":%llu,\"verdict\":\"FAILURE\",\"detail\":", (unsigned long long)seq);
    zi_print_json_string(stdout, v->detail, strlen(v->detail));
    if (v->has_index) printf(",\"index\":%zu", v->index);
    if (v->has_lengths) printf(",\"expected_bytes\":%zu,\"got_bytes\":%zu", v->expected_bytes, v->got_bytes);
    fputs("}\n", stdout);
    fflush(stdout);
}

/* The frames cases: print each request whole and answer it (multipart: the very same frames,
 * moved, not copied; empty: zero bytes). Nothing is checked. */
static int reply_frames(void *responder, const struct zi_options *o) {
    int rc = ZI_OK;
    for (uint64_t seq = 0; rc == ZI_OK && seq < o->count; seq++) {
        char what[64];
        snprintf(what, sizeof what, "request %llu of %llu", (unsigned long long)seq, (unsigned long long)o->count);
        struct zi_frames request;
        zi_frames_init(&request);
        rc = zi_recv_all(responder, &request, o, what);
        if (rc == ZI_OK) {
            zi_emit_frames(seq, &request);
            snprintf(what, sizeof what, "the reply to request %llu", (unsigned long long)seq);
            rc = o->play_case == ZI_CASE_MULTIPART ? zi_send_all(responder, &request, o, what)
                                                   : zi_send(responder, "", 0, o, what);
        }
        zi_frames_close(&request);
    }
    return rc;
}

static int reply_verdicts(void *responder, const struct zi_options *o, const unsigned char *expected,
                          uint64_t *failures);

int zi_rep(void *context, const struct zi_options *o) {
    const bool hello = o->play_case != ZI_CASE_ARRAY && o->play_case != ZI_CASE_LARGE;
    const bool frames_case = zi_case_prints_frames(o->play_case);
    unsigned char *expected = NULL; /* built once, before the socket exists */
    if (!hello && !frames_case) {
        if ((expected = zi_f64_array(o->seed, o->len, false, 0)) == NULL) {
            return zi_fail(ZI_ERROR, "cannot allocate the expected array of %lu values", (unsigned long)o->len);
        }
        /* Case large sends it without a copy: it must outlive the context (freed by play()). */
        const int kept = zi_keep_until_term(expected);
        if (kept != ZI_OK) {
            free(expected);
            return kept;
        }
    }
    void *responder = NULL;
    int rc = zi_open_socket(context, ZMQ_REP, o, NULL, &responder);
    if (rc != ZI_OK) return rc;
    uint64_t failures = 0;
    rc = frames_case ? reply_frames(responder, o) : reply_verdicts(responder, o, expected, &failures);
    if (rc == ZI_OK && o->play_case == ZI_CASE_RECONNECT) zi_hold(o);
    /* Closing leaves the last reply up to ZMQ_LINGER (the timeout) to go out. */
    if (zmq_close(responder) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    if (rc == ZI_OK && failures > 0) {
        rc = zi_fail(ZI_MISMATCH, "%llu of %llu requests did not match", (unsigned long long)failures,
                     (unsigned long long)o->count);
    }
    return rc;
}

/* The verdict cases (array, hello, large, reconnect, heartbeat): judge each request, answer,
 * print the verdict line; *failures counts the FAILURE verdicts. */
static int reply_verdicts(void *responder, const struct zi_options *o, const unsigned char *expected,
                          uint64_t *failures) {
    const bool hello = o->play_case != ZI_CASE_ARRAY && o->play_case != ZI_CASE_LARGE;
    const bool large = o->play_case == ZI_CASE_LARGE;
    int rc = ZI_OK;
    for (uint64_t seq = 0; rc == ZI_OK && seq < o->count; seq++) {
        zmq_msg_t request; /* received in place: the array is not copied again */
        if (zmq_msg_init(&request) != 0) {
            rc = zi_zmq_fail("zmq_msg_init");
            break;
        }
        char waiting_for[64];
        snprintf(waiting_for, sizeof waiting_for, "request %llu of %llu", (unsigned long long)seq,
                 (unsigned long long)o->count);
        uint64_t frames = 1;
        rc = zi_recv_frames(responder, &request, o, waiting_for, &frames);
        struct verdict v;
        memset(&v, 0, sizeof v);
        if (rc == ZI_OK && frames > 1) {
            /* Malformed before anything else is looked at; answered all the same, FAILURE. */
            zi_multipart_reason(v.detail, sizeof v.detail, frames);
        } else if (rc == ZI_OK) {
            const unsigned char *got = zmq_msg_data(&request);
            const size_t size = zmq_msg_size(&request);
            if (hello) {
                judge_hello(got, size, &v);
            } else {
                judge_array(got, size, expected, o->len, &v);
            }
        }
        if (zmq_msg_close(&request) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_msg_close");
        if (rc != ZI_OK) break;

        char what[64];
        snprintf(what, sizeof what, "the reply to request %llu", (unsigned long long)seq);
        /* Answered first, so that the requester is not left waiting. */
        if (o->raw_reply.present && frames == 1) {
            rc = zi_send(responder, o->raw_reply.data, o->raw_reply.len, o, what);
        } else if (v.success && large) {
            rc = zi_send_borrowed(responder, expected, (size_t)o->len * 8, 0, o, what); /* 64 MiB, not copied */
        } else {
            const char *answer = v.success ? (hello ? "world" : "SUCCESS") : "FAILURE";
            rc = zi_send(responder, answer, strlen(answer), o, what);
        }
        if (rc != ZI_OK) break;
        if (frames > 1) {
            report(seq, &v);
            rc = zi_fail(ZI_MALFORMED, "%s", v.detail);
            break;
        }
        if (!v.success) {
            (*failures)++;
            fprintf(stderr, "request %llu: %s\n", (unsigned long long)seq, v.detail);
            fflush(stderr);
        }
        report(seq, &v);
    }
    return rc;
}
