/* req.c: the requester: send the array expected for the seed (optionally with one value
 * corrupted), or hello, and check that each reply is SUCCESS (or world). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"

static bool printable(const unsigned char *data, size_t size) {
    for (size_t i = 0; i < size; i++) {
        if (data[i] < 0x20 || data[i] > 0x7e) return false;
    }
    return true;
}

static void print_hex(FILE *out, const unsigned char *data, size_t size) {
    for (size_t i = 0; i < size; i++) fprintf(out, "%02x", (unsigned)data[i]);
}

/* Prints the reply line: text when printable ASCII, else hex. */
static void print_reply(uint64_t seq, const unsigned char *data, size_t size) {
    printf("{\"seq\":%llu,", (unsigned long long)seq);
    if (printable(data, size)) {
        fputs("\"reply\":", stdout);
        zi_print_json_string((const char *)data, size);
    } else {
        fputs("\"reply_hex\":\"", stdout);
        print_hex(stdout, data, size);
        putchar('"');
    }
    fputs("}\n", stdout);
    fflush(stdout);
}

int zi_req(void *context, const struct zi_options *o) {
    unsigned char *array = NULL;
    const void *payload = "hello";
    size_t payload_size = 5;
    const char *expected = o->case_hello ? "world" : "SUCCESS";
    if (!o->case_hello) {
        array = zi_f64_array(o->seed, o->len, o->has_corrupt_index, o->corrupt_index);
        if (array == NULL) return zi_fail(ZI_ERROR, "cannot allocate an array of %lu values", (unsigned long)o->len);
        payload = array;
        payload_size = (size_t)o->len * 8;
    }
    void *requester = NULL;
    int rc = zi_open_socket(context, ZMQ_REQ, o, NULL, &requester);
    if (rc != ZI_OK) {
        free(array);
        return rc;
    }
    bool unexpected = false;
    for (uint64_t seq = 0; rc == ZI_OK && seq < o->count; seq++) {
        rc = zi_send(requester, payload, payload_size, o, "a request");
        zmq_msg_t reply;
        if (rc != ZI_OK || zmq_msg_init(&reply) != 0) {
            if (rc == ZI_OK) rc = zi_zmq_fail("zmq_msg_init");
            break;
        }
        char waiting_for[64];
        snprintf(waiting_for, sizeof waiting_for, "the reply to request %llu", (unsigned long long)seq);
        rc = zi_recv(requester, &reply, o, waiting_for);
        if (rc == ZI_OK) {
            const unsigned char *data = zmq_msg_data(&reply);
            size_t size = zmq_msg_size(&reply);
            print_reply(seq, data, size);
            if (!unexpected && (size != strlen(expected) || memcmp(data, expected, size) != 0)) {
                unexpected = true;
                /* The error line, printed now while the bytes are at hand. */
                fprintf(stderr, "error: reply to request %llu was hex ", (unsigned long long)seq);
                print_hex(stderr, data, size);
                fprintf(stderr, ", expected \"%s\"\n", expected);
                fflush(stderr);
            }
        }
        zmq_msg_close(&reply);
    }
    free(array);
    if (zmq_close(requester) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    return rc == ZI_OK && unexpected ? ZI_MISMATCH : rc;
}
