/* pub.c: the publisher, in the shape of the classic hw_interface.c: read PACKET_SIZE samples
 * from the fancyhw device, put them in a zmq_msg_t envelope (topic, one space, the samples as
 * little-endian int16) and publish it; every zmq call's error is checked. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"
#include "fakehw.h"

static int configure_publisher(void *publisher, const struct zi_options *o) {
    (void)o;
    const int unlimited = 0; /* no high-water mark: a synchronised run drops nothing */
    if (zmq_setsockopt(publisher, ZMQ_SNDHWM, &unlimited, sizeof unlimited) != 0) {
        return zi_zmq_fail("zmq_setsockopt(ZMQ_SNDHWM)");
    }
    return ZI_OK;
}

/* XPUB delivers each subscription as a message whose first byte is 1. */
static int wait_for_subscriber(void *publisher, const struct zi_options *o) {
    for (;;) {
        zmq_msg_t subscription;
        if (zmq_msg_init(&subscription) != 0) return zi_zmq_fail("zmq_msg_init");
        int rc = zi_recv(publisher, &subscription, o, "a subscriber");
        bool subscribed = rc == ZI_OK && zmq_msg_size(&subscription) > 0 &&
                          ((const unsigned char *)zmq_msg_data(&subscription))[0] == 1;
        zmq_msg_close(&subscription);
        if (rc != ZI_OK || subscribed) return rc;
    }
}

/* Sends one envelope of o->packet_size fresh samples. */
static int send_envelope(void *publisher, const struct zi_options *o, int16_t *buffer) {
    const char *topic = o->topic;
    const size_t topic_size = strlen(topic);
    const size_t envelope_size = topic_size + 1 + (size_t)o->packet_size * sizeof(int16_t);

    for (uint32_t j = 0; j < o->packet_size; j++) buffer[j] = fancyhw_read_val();

    zmq_msg_t envelope;
    if (zmq_msg_init_size(&envelope, envelope_size) != 0) return zi_zmq_fail("zmq_msg_init_size");
    unsigned char *data = zmq_msg_data(&envelope);
    memcpy(data, topic, topic_size);
    memcpy(data + topic_size, " ", 1);
    /* Little-endian whatever the host: the wire format says so. */
    unsigned char *samples = data + topic_size + 1;
    for (uint32_t j = 0; j < o->packet_size; j++) {
        uint16_t bits = (uint16_t)buffer[j];
        samples[2 * (size_t)j] = (unsigned char)(bits & 0xff);
        samples[2 * (size_t)j + 1] = (unsigned char)(bits >> 8);
    }
    const int rs = zmq_msg_send(&envelope, publisher, 0);
    if (rs < 0 || (size_t)rs != envelope_size) {
        int rc = zmq_errno() == EAGAIN ? zi_fail(ZI_TIMEOUT, "timed out after %d ms sending an envelope", o->timeout_ms)
                                       : zi_zmq_fail("zmq_msg_send");
        zmq_msg_close(&envelope);
        return rc;
    }
    /* A sent message belongs to libzmq; closing it here would be a no-op. */
    return ZI_OK;
}

int zi_pub(void *context, const struct zi_options *o) {
    void *publisher = NULL;
    int rc = zi_open_socket(context, o->sync ? ZMQ_XPUB : ZMQ_PUB, o, configure_publisher, &publisher);
    if (rc != ZI_OK) return rc;
    fprintf(stderr, "publisher: topic %s, %lu samples per envelope\n", o->topic, (unsigned long)o->packet_size);
    if (o->sync) rc = wait_for_subscriber(publisher, o);

    int16_t *buffer = NULL;
    if (rc == ZI_OK && (buffer = calloc(o->packet_size, sizeof *buffer)) == NULL) {
        rc = zi_fail(ZI_ERROR, "cannot allocate %lu samples", (unsigned long)o->packet_size);
    }
    fancyhw_init(o->seed);
    for (uint64_t i = 0; rc == ZI_OK && i < o->count; i++) {
        if (i > 0 && o->interval_ms > 0) zi_sleep_ms(o->interval_ms);
        if (o->raw_message.present) {
            rc = zi_send(publisher, o->raw_message.data, o->raw_message.len, o, "a raw message");
        } else {
            rc = send_envelope(publisher, o, buffer);
        }
        if (rc == ZI_OK && o->report_sent) zi_emit_sent(i);
    }
    free(buffer);
    /* Closing waits (up to ZMQ_LINGER) for queued envelopes to leave. */
    if (zmq_close(publisher) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    return rc;
}
