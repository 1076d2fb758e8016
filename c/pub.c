/* pub.c: the publisher, in the shape of the classic hw_interface.c: read packet_size samples
 * from the fancyhw device into an int16_t buffer, put them in a zmq_msg_t envelope (topic, one
 * space, the samples as little-endian int16) and publish it, checking every zmq call. With
 * --sync it is an XPUB that first waits for a subscription; with --raw-hex it publishes the
 * given bytes instead (to test subscribers on malformed input). */
#include "contract.h" /* first: it sets up stdio for MinGW */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakehw.h"

static int configure_publisher(void *publisher, const struct zi_options *o) {
    (void)o;
    const int unlimited = 0; /* no high-water mark: a synchronised run drops nothing */
    if (zmq_setsockopt(publisher, ZMQ_SNDHWM, &unlimited, sizeof unlimited) != 0) {
        return zi_zmq_fail("zmq_setsockopt(ZMQ_SNDHWM)");
    }
    return ZI_OK;
}

/* XPUB delivers each subscription as a message whose first byte is 1 (0 is an unsubscribe). */
static int wait_for_subscriber(void *publisher, const struct zi_options *o) {
    for (;;) {
        zmq_msg_t subscription;
        if (zmq_msg_init(&subscription) != 0) return zi_zmq_fail("zmq_msg_init");
        const int rc = zi_recv(publisher, &subscription, o, "a subscriber");
        const bool subscribed = rc == ZI_OK && zmq_msg_size(&subscription) > 0 &&
                                ((const unsigned char *)zmq_msg_data(&subscription))[0] == 1;
        if (zmq_msg_close(&subscription) != 0 && rc == ZI_OK) return zi_zmq_fail("zmq_msg_close");
        if (rc != ZI_OK) return rc;
        if (subscribed) {
            fprintf(stderr, "publisher: a subscriber arrived\n");
            return ZI_OK;
        }
    }
}

/* A failed zmq_msg_send: a timeout (exit 3) or another error (exit 6). */
static int send_failed(const struct zi_options *o, uint64_t seq) {
    if (zmq_errno() == EAGAIN) {
        return zi_fail(ZI_TIMEOUT, "timed out after %d ms sending envelope %llu", o->timeout_ms,
                       (unsigned long long)seq);
    }
    return zi_zmq_fail("zmq_msg_send");
}

/* One envelope of packet_size fresh samples: the body of the classic program's loop. */
static int send_envelope(void *publisher, const struct zi_options *o, int16_t *buffer, uint64_t seq) {
    const char *topic = o->topic;
    const size_t topic_size = strlen(topic);
    const size_t packet_size = o->packet_size;
    const size_t envelope_size = topic_size + 1 + packet_size * sizeof(int16_t);

    for (size_t i = 0; i < packet_size; i++) buffer[i] = fancyhw_read_val();

    zmq_msg_t envelope;
    if (zmq_msg_init_size(&envelope, envelope_size) != 0) return zi_zmq_fail("zmq_msg_init_size");
    unsigned char *data = zmq_msg_data(&envelope);
    memcpy(data, topic, topic_size);
    memcpy(data + topic_size, " ", 1);
    /* The samples little-endian whatever the host, byte by byte (the classic program memcpy'd
     * the buffer, which is the same bytes on a little-endian host). */
    unsigned char *samples = data + topic_size + 1;
    for (size_t i = 0; i < packet_size; i++) {
        const uint16_t bits = (uint16_t)buffer[i]; /* modulo 2^16: well defined */
        samples[2 * i] = (unsigned char)(bits & 0xffu);
        samples[2 * i + 1] = (unsigned char)(bits >> 8);
    }
    const int sent = zmq_msg_send(&envelope, publisher, 0);
    if (sent < 0) {
        const int rc = send_failed(o, seq);
        zmq_msg_close(&envelope); /* still ours after a failed send */
        return rc;
    }
    /* After a successful send the message is empty; closing it is harmless, as in the classic. */
    if (zmq_msg_close(&envelope) != 0) return zi_zmq_fail("zmq_msg_close");
    /* zmq_msg_send reports the size, clamped to INT_MAX. */
    if ((size_t)sent != (envelope_size < (size_t)INT_MAX ? envelope_size : (size_t)INT_MAX)) {
        return zi_fail(ZI_ERROR, "zmq_msg_send sent %d bytes of an envelope of %zu", sent, envelope_size);
    }
    return ZI_OK;
}

/* One --raw-hex message, as given. */
static int send_raw(void *publisher, const struct zi_options *o, uint64_t seq) {
    zmq_msg_t message;
    if (zmq_msg_init_size(&message, o->raw_message.len) != 0) return zi_zmq_fail("zmq_msg_init_size");
    if (o->raw_message.len > 0) memcpy(zmq_msg_data(&message), o->raw_message.data, o->raw_message.len);
    if (zmq_msg_send(&message, publisher, 0) < 0) {
        const int rc = send_failed(o, seq);
        zmq_msg_close(&message);
        return rc;
    }
    if (zmq_msg_close(&message) != 0) return zi_zmq_fail("zmq_msg_close");
    return ZI_OK;
}

int zi_pub(void *context, const struct zi_options *o) {
    void *publisher = NULL;
    int rc = zi_open_socket(context, o->sync ? ZMQ_XPUB : ZMQ_PUB, o, configure_publisher, &publisher);
    if (rc != ZI_OK) return rc;
    fprintf(stderr, "publisher: topic %s, %lu samples per envelope, %llu envelopes\n", o->topic,
            (unsigned long)o->packet_size, (unsigned long long)o->count);
    if (o->sync) rc = wait_for_subscriber(publisher, o);

    int16_t *buffer = NULL; /* the classic int16_t buffer[PACKET_SIZE], sized at run time */
    if (rc == ZI_OK && (buffer = calloc(o->packet_size, sizeof *buffer)) == NULL) {
        rc = zi_fail(ZI_ERROR, "cannot allocate %lu samples", (unsigned long)o->packet_size);
    }
    fancyhw_init(o->seed);
    for (uint64_t seq = 0; rc == ZI_OK && seq < o->count; seq++) {
        if (seq > 0 && o->interval_ms > 0) zi_sleep_ms(o->interval_ms);
        rc = o->raw_message.present ? send_raw(publisher, o, seq) : send_envelope(publisher, o, buffer, seq);
        if (rc == ZI_OK && o->report_sent) zi_emit_sent(seq);
    }
    free(buffer);
    /* Closing leaves queued envelopes up to ZMQ_LINGER (the timeout) to go out. */
    if (zmq_close(publisher) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    return rc;
}
