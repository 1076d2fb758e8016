/* req.c: the requester: send the array expected for the seed (optionally with one value
 * corrupted, --corrupt-index), or hello (case hello), --count times; print each reply and exit 1
 * at the end if any reply was not the expected SUCCESS (or world); a multipart reply is exit 5. */
#include "contract.h" /* first: it sets up stdio for MinGW */

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

int zi_req(void *context, const struct zi_options *o) {
    int rc = zi_check_case(o); /* exit 4 before any socket exists */
    if (rc != ZI_OK) return rc;
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
    rc = zi_open_socket(context, ZMQ_REQ, o, NULL, &requester);
    if (rc != ZI_OK) {
        free(array);
        return rc;
    }
    struct unexpected first_unexpected = {false, 0, NULL, 0};
    for (uint64_t seq = 0; rc == ZI_OK && seq < o->count; seq++) {
        char what[64];
        snprintf(what, sizeof what, "request %llu", (unsigned long long)seq);
        rc = zi_send(requester, payload, payload_size, o, what);
        if (rc != ZI_OK) break;
        zmq_msg_t reply;
        if (zmq_msg_init(&reply) != 0) {
            rc = zi_zmq_fail("zmq_msg_init");
            break;
        }
        snprintf(what, sizeof what, "the reply to request %llu", (unsigned long long)seq);
        rc = zi_recv(requester, &reply, o, what);
        if (rc == ZI_OK) {
            const unsigned char *data = zmq_msg_data(&reply);
            const size_t size = zmq_msg_size(&reply);
            print_reply(seq, data, size);
            const bool as_expected = size == strlen(expected) && memcmp(data, expected, size) == 0;
            if (!as_expected && !first_unexpected.seen) {
                first_unexpected.seen = true;
                first_unexpected.seq = seq;
                first_unexpected.size = size;
                first_unexpected.bytes = malloc(size > 0 ? size : 1);
                if (first_unexpected.bytes == NULL) {
                    rc = zi_fail(ZI_ERROR, "cannot allocate %zu bytes for a reply", size);
                } else if (size > 0) {
                    memcpy(first_unexpected.bytes, data, size);
                }
            }
        }
        if (zmq_msg_close(&reply) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_msg_close");
    }
    free(array);
    if (zmq_close(requester) != 0 && rc == ZI_OK) rc = zi_zmq_fail("zmq_close");
    /* One `error:` line in all: the unexpected reply only when nothing else failed. */
    if (rc == ZI_OK && first_unexpected.seen) rc = report_unexpected(&first_unexpected, expected);
    free(first_unexpected.bytes);
    return rc;
}
