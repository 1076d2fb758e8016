/* main.c: c-peer's entry point: `c-peer --info` or `c-peer <role> [options]`
 * (docs/peer-contract.md), dispatching to the role and returning its exit code. */
#include "contract.h" /* first: it sets up stdio for MinGW */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* --info: which libzmq this peer was built against (the headers: impl_version) and runs with
 * (the library: the engine on the wire, and libzmq), the transports that library has, and the
 * cases played. No workarounds: libzmq does everything the contract asks itself. */
static void print_info(void) {
    int major = 0, minor = 0, patch = 0;
    zmq_version(&major, &minor, &patch);
    char loaded[48];
    snprintf(loaded, sizeof loaded, "%d.%d.%d", major, minor, patch);
    const bool ipc = zi_has_transport("ipc");
    printf("{\"lang\":\"c\",\"impl\":\"libzmq\",\"impl_version\":\"%d.%d.%d\",", ZMQ_VERSION_MAJOR,
           ZMQ_VERSION_MINOR, ZMQ_VERSION_PATCH);
    printf("\"engine\":\"libzmq\",\"engine_version\":\"%s\",\"libzmq\":\"%s\",", loaded, loaded);
    printf("\"transports\":[\"tcp\"%s],", ipc ? ",\"ipc\"" : "");
    fputs("\"roles\":[\"pub\",\"sub\",\"rep\",\"req\",\"thr-push\",\"thr-pull\",\"lat-req\",\"lat-rep\"]", stdout);
    /* Every case some role plays, in the contract's order. */
    fputs(",\"cases\":[", stdout);
    const enum zi_role case_roles[] = {ZI_PUB, ZI_SUB, ZI_REQ, ZI_REP};
    bool first = true;
    for (int c = ZI_CASE_FANCYHW; c < ZI_CASE_COUNT; c++) {
        bool played = false;
        for (size_t r = 0; r < sizeof case_roles / sizeof case_roles[0]; r++) {
            played = played || zi_role_plays(case_roles[r], (enum zi_case)c);
        }
        if (!played) continue;
        printf("%s\"%s\"", first ? "" : ",", zi_case_name((enum zi_case)c));
        first = false;
    }
    fputc(']', stdout);
    const bool curve = zi_has_mechanism(ZI_MECH_CURVE);
    printf(",\"mechanisms\":[\"null\",\"plain\"%s]", curve ? ",\"curve\"" : "");
    if (!ipc || !curve) {
        char reason[256];
        fputs(",\"unsupported\":{", stdout);
        if (!ipc) {
            zi_missing_reason(reason, sizeof reason, "ipc");
            fputs("\"ipc\":", stdout);
            zi_print_json_string(stdout, reason, strlen(reason));
        }
        if (!curve) {
            zi_missing_mechanism(reason, sizeof reason);
            fputs(ipc ? "\"curve\":" : ",\"curve\":", stdout);
            zi_print_json_string(stdout, reason, strlen(reason));
        }
        fputc('}', stdout);
    }
    puts("}");
    fflush(stdout);
}

/* Runs the role in a fresh context; the context is terminated whatever the role's outcome. */
static int play(const struct zi_options *o) {
    int rc = zi_check_case(o); /* exit 4 before any socket exists */
    if (rc == ZI_OK) rc = zi_check_endpoint(o);
    if (rc == ZI_OK) rc = zi_check_mechanism(o);
    if (rc != ZI_OK) return rc;
    void *context = zmq_ctx_new();
    if (context == NULL) return zi_zmq_fail("zmq_ctx_new");
    rc = ZI_USAGE;
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
    zi_zap_join();  /* its receive failed with ETERM: it has closed its socket and ended */
    zi_free_kept(); /* buffers sent without copying: libzmq has let go of them now */
    return rc;
}

int main(int argc, char **argv) {
    struct zi_options options;
    int rc = zi_parse(argc, argv, &options);
    if (rc == ZI_OK) {
        if (options.info) {
            print_info();
        } else {
            if (options.exit_with_stdin) rc = zi_watch_stdin();
            if (rc == ZI_OK) rc = play(&options);
        }
    }
    zi_finishing(); /* stdin closing from now on changes nothing: this is the exit status */
    zi_options_free(&options);
    return rc;
}
