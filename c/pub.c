/* pub.c: the publisher, in the shape of the classic hw_interface.c: read packet_size samples
 * from the fancyhw device into an int16_t buffer, put them in a zmq_msg_t envelope (topic, one
 * space, the samples as little-endian int16) and publish it, checking every zmq call. With
 * --sync it is an XPUB that first waits for a subscription; with --raw-hex it publishes the
 * given bytes instead (to test subscribers on malformed input). The cases (contract: "Cases")
 * change what is sent: burst keeps libzmq's default high-water mark; multipart sends topic,
 * empty frame, envelope; empty alternates a zero-byte message and a zero-sample envelope;
 * topics waits on an XPUB for two subscriptions and, half-way, an unsubscription; reconnect
 * plays fancyhw and then holds its socket open. */
#include "contract.h" /* first: it sets up stdio for MinGW */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakehw.h"

static int configure_publisher(void *publisher, const struct zi_options *o) {
    if (o->play_case == ZI_CASE_BURST) return ZI_OK; /* the engine's own high-water mark */
    const int unlimited = 0; /* no high-water mark: a synchronised run drops nothing */
    if (zmq_setsockopt(publisher, ZMQ_SNDHWM, &unlimited, sizeof unlimited) != 0) {
        return zi_zmq_fail("zmq_setsockopt(ZMQ_SNDHWM)");
    }
    return ZI_OK;
}

/* Receives XPUB messages until one equal to want (a 0x01/0x00 byte and a topic) arrives, or,
 * with want NULL, until any subscription (first byte 1) arrives; other messages are ignored. */
static int wait_for(void *publisher, const struct zi_options *o, const char *want, size_t want_size,
                    const char *waiting_for) {
    for (;;) {
        zmq_msg_t message;
        if (zmq_msg_init(&message) != 0) return zi_zmq_fail("zmq_msg_init");
        const int rc = zi_recv(publisher, &message, o, waiting_for);
        const unsigned char *data = zmq_msg_data(&message);
        const size_t size = zmq_msg_size(&message);
        const bool arrived = rc == ZI_OK && (want == NULL ? size > 0 && data[0] == 1
                                                          : size == want_size && memcmp(data, want, size) == 0);
        if (zmq_msg_close(&message) != 0 && rc == ZI_OK) return zi_zmq_fail("zmq_msg_close");
        if (rc != ZI_OK) return rc;
        if (arrived) return ZI_OK;
    }
}

/* XPUB delivers each subscription as a message whose first byte is 1 (0 is an unsubscribe). */
static int wait_for_subscriber(void *publisher, const struct zi_options *o) {
    const int rc = wait_for(publisher, o, NULL, 0, "a subscriber");
    if (rc == ZI_OK) fprintf(stderr, "publisher: a subscriber arrived\n");
    return rc;
}

/* Case topics: both subscriptions, in either order; anything else is ignored. */
static int wait_for_both_subscriptions(void *publisher, const struct zi_options *o) {
    bool data = false, prefix = false;
    while (!(data && prefix)) {
        zmq_msg_t message;
        if (zmq_msg_init(&message) != 0) return zi_zmq_fail("zmq_msg_init");
        const int rc = zi_recv(publisher, &message, o, "the subscriptions fancyhw_data and fancy");
        const unsigned char *bytes = zmq_msg_data(&message);
        const size_t size = zmq_msg_size(&message);
        if (rc == ZI_OK && size == 13 && memcmp(bytes, "\x01" "fancyhw_data", 13) == 0) data = true;
        if (rc == ZI_OK && size == 6 && memcmp(bytes, "\x01" "fancy", 6) == 0) prefix = true;
        if (zmq_msg_close(&message) != 0 && rc == ZI_OK) return zi_zmq_fail("zmq_msg_close");
        if (rc != ZI_OK) return rc;
    }
    fprintf(stderr, "publisher: subscriptions fancyhw_data and fancy arrived\n");
    return ZI_OK;
}

/* A failed zmq_msg_send: a timeout (exit 3) or another error (exit 6). */
static int send_failed(const struct zi_options *o, uint64_t seq) {
    if (zmq_errno() == EAGAIN) {
        return zi_fail(ZI_TIMEOUT, "timed out after %d ms sending message %llu", o->timeout_ms,
                       (unsigned long long)seq);
    }
    return zi_zmq_fail("zmq_msg_send");
}

/* Sends one frame (flags: ZMQ_SNDMORE for all but a message's last), checking the size
 * zmq_msg_send reports (clamped to INT_MAX). The frame is closed whatever happens. */
static int send_frame(void *publisher, zmq_msg_t *frame, int flags, const struct zi_options *o, uint64_t seq) {
    const size_t size = zmq_msg_size(frame);
    const int sent = zmq_msg_send(frame, publisher, flags);
    if (sent < 0) {
        const int rc = send_failed(o, seq);
        zmq_msg_close(frame); /* still ours after a failed send */
        return rc;
    }
    /* After a successful send the message is empty; closing it is harmless, as in the classic. */
    if (zmq_msg_close(frame) != 0) return zi_zmq_fail("zmq_msg_close");
    if ((size_t)sent != (size < (size_t)INT_MAX ? size : (size_t)INT_MAX)) {
        return zi_fail(ZI_ERROR, "zmq_msg_send sent %d bytes of a frame of %zu", sent, size);
    }
    return ZI_OK;
}

/* One envelope of `samples` fresh samples under topic: the body of the classic program's loop,
 * built in *envelope (initialised here; the caller sends or closes it). */
static int build_envelope(zmq_msg_t *envelope, const char *topic, int16_t *buffer, size_t samples) {
    const size_t topic_size = strlen(topic);
    const size_t envelope_size = topic_size + 1 + samples * sizeof(int16_t);

    for (size_t i = 0; i < samples; i++) buffer[i] = fancyhw_read_val();

    if (zmq_msg_init_size(envelope, envelope_size) != 0) return zi_zmq_fail("zmq_msg_init_size");
    unsigned char *data = zmq_msg_data(envelope);
    memcpy(data, topic, topic_size);
    memcpy(data + topic_size, " ", 1);
    /* The samples little-endian whatever the host, byte by byte (the classic program memcpy'd
     * the buffer, which is the same bytes on a little-endian host). */
    unsigned char *bytes = data + topic_size + 1;
    for (size_t i = 0; i < samples; i++) {
        const uint16_t bits = (uint16_t)buffer[i]; /* modulo 2^16: well defined */
        bytes[2 * i] = (unsigned char)(bits & 0xffu);
        bytes[2 * i + 1] = (unsigned char)(bits >> 8);
    }
    return ZI_OK;
}

/* A frame of these bytes (copied). */
static int build_bytes(zmq_msg_t *frame, const void *bytes, size_t size) {
    if (zmq_msg_init_size(frame, size) != 0) return zi_zmq_fail("zmq_msg_init_size");
    if (size > 0) memcpy(zmq_msg_data(frame), bytes, size);
    return ZI_OK;
}

/* The topic of message seq in case topics. */
static const char *topics_topic(uint64_t seq) {
    static const char *const topics[3] = {"fancyhw_data", "fancyhw_status", "other_data"};
    return topics[seq % 3];
}

/* Message seq of the case: built and sent. */
static int publish(void *publisher, const struct zi_options *o, int16_t *buffer, uint64_t seq) {
    zmq_msg_t frame;
    int rc = ZI_OK;
    switch (o->play_case) {
    case ZI_CASE_MULTIPART: /* the topic; an empty frame; the envelope fancyhw would send */
        if ((rc = build_bytes(&frame, o->topic, strlen(o->topic))) != ZI_OK) return rc;
        if ((rc = send_frame(publisher, &frame, ZMQ_SNDMORE, o, seq)) != ZI_OK) return rc;
        if ((rc = build_bytes(&frame, "", 0)) != ZI_OK) return rc;
        if ((rc = send_frame(publisher, &frame, ZMQ_SNDMORE, o, seq)) != ZI_OK) return rc;
        rc = build_envelope(&frame, o->topic, buffer, o->packet_size);
        break;
    case ZI_CASE_EMPTY: /* zero bytes (even), the envelope of zero samples (odd) */
        rc = seq % 2 == 0 ? build_bytes(&frame, "", 0) : build_envelope(&frame, o->topic, buffer, 0);
        break;
    case ZI_CASE_TOPICS:
        rc = build_envelope(&frame, topics_topic(seq), buffer, o->packet_size);
        break;
    default: /* fancyhw, burst, reconnect */
        rc = o->raw_message.present ? build_bytes(&frame, o->raw_message.data, o->raw_message.len)
                                    : build_envelope(&frame, o->topic, buffer, o->packet_size);
        break;
    }
    if (rc != ZI_OK) return rc;
    return send_frame(publisher, &frame, 0, o, seq);
}

/* Messages first..last-1, --interval-ms between two (not before the very first). */
static int publish_range(void *publisher, const struct zi_options *o, int16_t *buffer, uint64_t first,
                         uint64_t last) {
    int rc = ZI_OK;
    for (uint64_t seq = first; rc == ZI_OK && seq < last; seq++) {
        if (seq > 0 && o->interval_ms > 0) zi_sleep_ms(o->interval_ms);
        rc = publish(publisher, o, buffer, seq);
        if (rc == ZI_OK && o->report_sent) zi_emit_sent(seq);
    }
    return rc;
}

int zi_pub(void *context, const struct zi_options *o) {
    const enum zi_case c = o->play_case;
    /* Case topics waits for subscriptions and an unsubscription; reconnect plays fancyhw
     * --sync. */
    const bool xpub = o->sync || c == ZI_CASE_TOPICS || c == ZI_CASE_RECONNECT;
    void *publisher = NULL;
    int rc = zi_open_socket(context, xpub ? ZMQ_XPUB : ZMQ_PUB, o, configure_publisher, &publisher);
    if (rc != ZI_OK) return rc;
    fprintf(stderr, "publisher: case %s, topic %s, %lu samples per envelope, %llu messages\n", o->case_name,
            o->topic, (unsigned long)o->packet_size, (unsigned long long)o->count);
    if (c == ZI_CASE_TOPICS) {
        rc = wait_for_both_subscriptions(publisher, o);
    } else if (xpub) {
        rc = wait_for_subscriber(publisher, o);
    }

    int16_t *buffer = NULL; /* the classic int16_t buffer[PACKET_SIZE], sized at run time */
    if (rc == ZI_OK && (buffer = calloc(o->packet_size, sizeof *buffer)) == NULL) {
        rc = zi_fail(ZI_ERROR, "cannot allocate %lu samples", (unsigned long)o->packet_size);
    }
    fancyhw_init(o->seed); /* one sequence across every message, whatever its topic */
    if (rc == ZI_OK) rc = publish_range(publisher, o, buffer, 0, o->count);
    if (rc == ZI_OK && c == ZI_CASE_TOPICS) {
        rc = wait_for(publisher, o, "\x00" "fancy", 6, "the unsubscription of fancy");
        if (rc == ZI_OK) {
            fprintf(stderr, "publisher: fancy unsubscribed\n");
            rc = publish_range(publisher, o, buffer, o->count, 2 * o->count);
        }
    }
    free(buffer);
    if (rc == ZI_OK && c == ZI_CASE_RECONNECT) zi_hold(o);
    /* Closing leaves queued envelopes up to ZMQ_LINGER (the timeout) to go out. */
    if (zmq_close(publisher) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    return rc;
}
