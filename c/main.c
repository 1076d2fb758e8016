/* main.c: c-peer's entry point: `c-peer --info` or `c-peer <role> [options]`
 * (docs/peer-contract.md), dispatching to the role and returning its exit code. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "contract.h"

static void print_info(void) {
    int major = 0, minor = 0, patch = 0;
    zmq_version(&major, &minor, &patch);
    printf("{\"lang\":\"c\",\"impl\":\"libzmq\",\"impl_version\":\"%d.%d.%d\",\"libzmq\":\"%d.%d.%d\",",
           ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR, ZMQ_VERSION_PATCH, major, minor, patch);
    printf("\"transports\":[\"tcp\"%s],\"roles\":[\"pub\",\"sub\",\"rep\",\"req\",\"thr-push\",\"thr-pull\",\"lat-req\",\"lat-rep\"]", zi_has_transport("ipc") ? ",\"ipc\"" : "");
    if (!zi_has_transport("ipc")) {
        printf(",\"unsupported\":{\"ipc\":\"libzmq %d.%d.%d was built without ipc\"}", major, minor, patch);
    }
    puts("}");
    fflush(stdout);
}

static int play(const struct zi_options *o) {
    if (o->is_ipc && !zi_has_transport("ipc")) {
        int major = 0, minor = 0, patch = 0;
        zmq_version(&major, &minor, &patch);
        return zi_fail(ZI_UNSUPPORTED, "libzmq %d.%d.%d was built without ipc", major, minor, patch);
    }
    void *context = zmq_ctx_new();
    if (context == NULL) return zi_zmq_fail("zmq_ctx_new");
    int rc = ZI_USAGE;
    switch (o->role) {
    case ZI_PUB: rc = zi_pub(context, o); break;
    case ZI_SUB: rc = zi_sub(context, o); break;
    case ZI_REP: rc = zi_rep(context, o); break;
    case ZI_REQ: rc = zi_req(context, o); break;
    case ZI_THR_PUSH: rc = zi_thr_push(context, o); break;
    case ZI_THR_PULL: rc = zi_thr_pull(context, o); break;
    case ZI_LAT_REQ: rc = zi_lat_req(context, o); break;
    case ZI_LAT_REP: rc = zi_lat_rep(context, o); break;
    case ZI_ROLE_NONE: break;
    }
    /* Every socket is closed by its role, so terminating cannot block past ZMQ_LINGER. */
    while (zmq_ctx_term(context) != 0) {
        if (zmq_errno() != EINTR) {
            if (rc == ZI_OK) rc = zi_zmq_fail("zmq_ctx_term");
            break;
        }
    }
    return rc;
}

int main(int argc, char **argv) {
    struct zi_options options;
    int rc = zi_parse(argc, argv, &options);
    if (rc == ZI_OK) {
        if (options.info) {
            print_info();
        } else {
            rc = play(&options);
        }
    }
    zi_options_free(&options);
    return rc;
}
