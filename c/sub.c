/* sub.c: the subscriber: subscribe (to --subscribe, by default the topic), receive --count
 * fancyhw envelopes with zmq_msg_t, decode each with the contract's checks in the contract's
 * order and reason texts (exit 5 on the first malformed one), and print each as a JSON line.
 * The cases (contract: "Cases"): burst keeps libzmq's default high-water mark; multipart and
 * empty print every message whole as a frames line; topics subscribes to fancyhw_data and
 * fancy, takes envelopes of any topic, and unsubscribes fancy half-way. */
#include "contract.h" /* first: it sets up stdio for MinGW */

#include <limits.h>
#include <stdio.h>
#include <string.h>

static int subscribe(void *subscriber, int option, const char *prefix) {
    if (zmq_setsockopt(subscriber, option, prefix, strlen(prefix)) != 0) {
        return zi_zmq_fail(option == ZMQ_SUBSCRIBE ? "zmq_setsockopt(ZMQ_SUBSCRIBE)" : "zmq_setsockopt(ZMQ_UNSUBSCRIBE)");
    }
    return ZI_OK;
}

static int configure_subscriber(void *subscriber, const struct zi_options *o) {
    const int unlimited = 0;
    if (o->play_case != ZI_CASE_BURST && zmq_setsockopt(subscriber, ZMQ_RCVHWM, &unlimited, sizeof unlimited) != 0) {
        return zi_zmq_fail("zmq_setsockopt(ZMQ_RCVHWM)");
    }
    if (o->play_case == ZI_CASE_TOPICS) { /* whatever --subscribe says */
        const int rc = subscribe(subscriber, ZMQ_SUBSCRIBE, "fancyhw_data");
        return rc == ZI_OK ? subscribe(subscriber, ZMQ_SUBSCRIBE, "fancy") : rc;
    }
    return subscribe(subscriber, ZMQ_SUBSCRIBE, o->subscription);
}

/* Checks one envelope and prints it; exit 5 with the contract's reason when malformed. The
 * topic must be --topic, except in case topics, which takes any. */
static int decode_and_print(const unsigned char *data, size_t size, uint64_t seq, const struct zi_options *o) {
    if (size == 0) return zi_fail(ZI_MALFORMED, "malformed envelope: empty message");
    const unsigned char *space = memchr(data, ' ', size);
    if (space == NULL) return zi_fail(ZI_MALFORMED, "malformed envelope: no space separating topic and samples");
    const size_t topic_size = (size_t)(space - data);
    if (topic_size == 0) return zi_fail(ZI_MALFORMED, "malformed envelope: empty topic");
    for (size_t i = 0; i < topic_size; i++) {
        if (data[i] < 0x21 || data[i] > 0x7e) {
            return zi_fail(ZI_MALFORMED, "malformed envelope: topic is not printable ASCII (byte 0x%02x at offset %zu)",
                           (unsigned)data[i], i);
        }
    }
    const bool any_topic = o->play_case == ZI_CASE_TOPICS;
    if (!any_topic && (strlen(o->topic) != topic_size || memcmp(o->topic, data, topic_size) != 0)) {
        return zi_fail(ZI_MALFORMED, "malformed envelope: topic \"%.*s\" is not the expected \"%s\"",
                       (int)(topic_size < INT_MAX ? topic_size : INT_MAX),
                       (const char *)data, o->topic);
    }
    const size_t payload = size - topic_size - 1;
    if (payload % 2 != 0) {
        return zi_fail(ZI_MALFORMED, "malformed envelope: payload of %zu bytes is not a whole number of int16 samples",
                       payload);
    }
    if (payload / 2 != o->packet_size) {
        return zi_fail(ZI_MALFORMED, "malformed envelope: expected %lu samples, got %zu", (unsigned long)o->packet_size,
                       payload / 2);
    }
    const unsigned char *samples = space + 1;
    printf("{\"seq\":%llu,\"topic\":", (unsigned long long)seq);
    zi_print_json_string(stdout, (const char *)data, topic_size);
    fputs(",\"samples\":[", stdout);
    for (size_t j = 0; j < payload / 2; j++) {
        /* Little-endian int16 assembled from bytes: no unaligned or aliased access. */
        const long bits = (long)samples[2 * j] | ((long)samples[2 * j + 1] << 8);
        const long value = bits >= 0x8000 ? bits - 0x10000 : bits;
        printf("%s%ld", j ? "," : "", value);
    }
    fputs("]}\n", stdout);
    fflush(stdout);
    return ZI_OK;
}

/* Receives messages first..last-1 of total: envelopes, decoded and printed (exit 5 on a
 * malformed or multipart one), or, in the frames cases, whole messages as frames lines. */
static int receive_range(void *subscriber, const struct zi_options *o, uint64_t first, uint64_t last, uint64_t total) {
    int rc = ZI_OK;
    for (uint64_t seq = first; rc == ZI_OK && seq < last; seq++) {
        char waiting_for[64];
        snprintf(waiting_for, sizeof waiting_for, "message %llu of %llu", (unsigned long long)seq,
                 (unsigned long long)total);
        if (zi_case_prints_frames(o->play_case)) {
            struct zi_frames frames;
            zi_frames_init(&frames);
            rc = zi_recv_all(subscriber, &frames, o, waiting_for);
            if (rc == ZI_OK) zi_emit_frames(seq, &frames);
            zi_frames_close(&frames);
            continue;
        }
        zmq_msg_t message;
        if (zmq_msg_init(&message) != 0) return zi_zmq_fail("zmq_msg_init");
        rc = zi_recv(subscriber, &message, o, waiting_for);
        if (rc == ZI_OK) rc = decode_and_print(zmq_msg_data(&message), zmq_msg_size(&message), seq, o);
        zmq_msg_close(&message);
    }
    return rc;
}

int zi_sub(void *context, const struct zi_options *o) {
    void *subscriber = NULL;
    int rc = zi_open_socket(context, ZMQ_SUB, o, configure_subscriber, &subscriber);
    if (rc != ZI_OK) return rc;
    if (o->play_case != ZI_CASE_TOPICS) {
        rc = receive_range(subscriber, o, 0, o->count, o->count);
    } else {
        /* The counts, trusted rather than the topics. */
        uint64_t first = 0, second = 0;
        zi_topics_counts(o->count, &first, &second);
        rc = receive_range(subscriber, o, 0, first, first + second);
        if (rc == ZI_OK) rc = subscribe(subscriber, ZMQ_UNSUBSCRIBE, "fancy");
        if (rc == ZI_OK && second == 0) {
            /* Nothing left to receive (--count 1): linger, so that the unsubscription the
             * publisher waits for leaves before the socket closes. */
            if (zmq_setsockopt(subscriber, ZMQ_LINGER, &o->timeout_ms, sizeof o->timeout_ms) != 0) {
                rc = zi_zmq_fail("zmq_setsockopt(ZMQ_LINGER)");
            }
        }
        if (rc == ZI_OK) rc = receive_range(subscriber, o, first, first + second, first + second);
    }
    if (zmq_close(subscriber) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    return rc;
}
