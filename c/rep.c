/* rep.c: the replier: check each request against the array expected for the seed (length
 * first, then every value bit for bit) and answer SUCCESS or FAILURE; or world to hello. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"

/* Judges one request; prints the verdict line (and a human line on stderr on a failure).
 * Returns whether it matched. */
static bool judge(const unsigned char *got, size_t size, uint64_t seq, const unsigned char *expected,
                  const struct zi_options *o) {
    printf("{\"seq\":%llu,\"verdict\":", (unsigned long long)seq);
    if (expected == NULL) {
        bool hello = size == 5 && memcmp(got, "hello", 5) == 0;
        if (hello) {
            fputs("\"SUCCESS\"}\n", stdout);
        } else {
            printf("\"FAILURE\",\"detail\":\"expected \\\"hello\\\", got %zu bytes\"}\n", size);
            fprintf(stderr, "request %llu: expected \"hello\", got %zu bytes\n", (unsigned long long)seq, size);
        }
        fflush(stdout);
        return hello;
    }
    const size_t expected_size = (size_t)o->len * 8;
    if (size != expected_size) {
        printf("\"FAILURE\",\"detail\":\"length mismatch: expected %zu bytes (%lu float64), got %zu bytes\","
               "\"expected_bytes\":%zu,\"got_bytes\":%zu}\n",
               expected_size, (unsigned long)o->len, size, expected_size, size);
        fprintf(stderr, "request %llu: length mismatch: expected %zu bytes, got %zu bytes\n", (unsigned long long)seq,
                expected_size, size);
        fflush(stdout);
        return false;
    }
    if (memcmp(got, expected, size) == 0) {
        fputs("\"SUCCESS\"}\n", stdout);
        fflush(stdout);
        return true;
    }
    size_t index = 0;
    while (index < o->len && memcmp(got + index * 8, expected + index * 8, 8) == 0) index++;
    double want = zi_f64_at(expected, index);
    double value = zi_f64_at(got, index);
    printf("\"FAILURE\",\"detail\":\"value mismatch at index %zu: expected %.17g, got %.17g\",\"index\":%zu}\n", index,
           want, value, index);
    fprintf(stderr, "request %llu: value mismatch at index %zu: expected %.17g, got %.17g\n", (unsigned long long)seq,
            index, want, value);
    fflush(stdout);
    return false;
}

int zi_rep(void *context, const struct zi_options *o) {
    unsigned char *expected = NULL;
    if (!o->case_hello && (expected = zi_f64_array(o->seed, o->len, false, 0)) == NULL) {
        return zi_fail(ZI_ERROR, "cannot allocate the expected array of %lu values", (unsigned long)o->len);
    }
    void *responder = NULL;
    int rc = zi_open_socket(context, ZMQ_REP, o, NULL, &responder);
    if (rc != ZI_OK) {
        free(expected);
        return rc;
    }
    uint64_t failures = 0;
    for (uint64_t seq = 0; rc == ZI_OK && seq < o->count; seq++) {
        zmq_msg_t request;
        if (zmq_msg_init(&request) != 0) {
            rc = zi_zmq_fail("zmq_msg_init");
            break;
        }
        char waiting_for[64];
        snprintf(waiting_for, sizeof waiting_for, "request %llu of %llu", (unsigned long long)seq,
                 (unsigned long long)o->count);
        rc = zi_recv(responder, &request, o, waiting_for);
        bool matched = false;
        if (rc == ZI_OK) matched = judge(zmq_msg_data(&request), zmq_msg_size(&request), seq, expected, o);
        zmq_msg_close(&request);
        if (rc != ZI_OK) break;
        if (!matched) failures++;
        const void *answer = matched ? (o->case_hello ? "world" : "SUCCESS") : "FAILURE";
        size_t answer_size = strlen(answer);
        if (o->raw_reply.present) {
            answer = o->raw_reply.data;
            answer_size = o->raw_reply.len;
        }
        rc = zi_send(responder, answer, answer_size, o, "a reply");
    }
    free(expected);
    if (zmq_close(responder) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    if (rc == ZI_OK && failures > 0) {
        rc = zi_fail(ZI_MISMATCH, "%llu of %llu requests did not match", (unsigned long long)failures,
                     (unsigned long long)o->count);
    }
    return rc;
}
