/* contract.h: the peer contract (docs/peer-contract.md) for the C peers, in one place:
 * exit codes, options, output lines, endpoint checks, and the helpers every role shares. */
#ifndef ZI_CONTRACT_H
#define ZI_CONTRACT_H

/* MinGW-w64: use its own C99 printf family (%zu, %llu, %.17g as everywhere else) rather than
 * msvcrt.dll's, which has no z modifier and writes %g exponents with three digits (1e-005).
 * The macro must precede every system header, hence contract.h is the first include of every
 * .c file. Why not PRIu64 and casts instead: msvcrt's PRIu64 is "I64u", which -pedantic refuses
 * ("ISO C does not support the 'I64' ms_printf length modifier"), and %.17g would still differ
 * from the other peers' text. MSVC's own runtime (UCRT) is C99 already; nothing changes there. */
#if defined(__MINGW32__) && !defined(__USE_MINGW_ANSI_STDIO)
#define __USE_MINGW_ANSI_STDIO 1
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <zmq.h>

#if defined(__MINGW32__) && !__USE_MINGW_ANSI_STDIO
#error "C99 stdio is off: include contract.h before any system header (see __USE_MINGW_ANSI_STDIO)"
#endif

/* The format attribute of zi_fail names the printf that really formats its text: under MinGW
 * that is mingw-w64's own C99 one (gnu_printf; __MINGW_PRINTF_FORMAT, from <stdio.h>, says so),
 * whereas GCC's plain `printf` there means msvcrt's rules (ms_printf), which refuse %zu. */
#if defined(__MINGW32__) && defined(__MINGW_PRINTF_FORMAT)
#define ZI_PRINTF_FORMAT __MINGW_PRINTF_FORMAT
#else
#define ZI_PRINTF_FORMAT printf
#endif

/* The exit codes, as in the contract's table. */
enum zi_exit {
    ZI_OK = 0,          /* done, data as expected */
    ZI_MISMATCH = 1,    /* a replier saw a wrong array, a requester an unexpected reply */
    ZI_USAGE = 2,       /* bad option: one `error:` line, before any socket exists */
    ZI_TIMEOUT = 3,     /* gave up waiting (subscriber, message, reply) */
    ZI_UNSUPPORTED = 4, /* transport or feature missing here */
    ZI_MALFORMED = 5,   /* malformed message received */
    ZI_ERROR = 6        /* a library or system call failed */
};

/* The contract's integer ranges (the `range` column of its options table): the same in every
 * language, whatever C's types could hold. Out of range is a usage error. */
#define ZI_SEED_MIN 0u
#define ZI_SEED_MAX 4294967295u
#define ZI_COUNT_MIN 1u
#define ZI_COUNT_MAX 2147483647u
#define ZI_PACKET_SIZE_MIN 1u
#define ZI_PACKET_SIZE_MAX 1048576u
#define ZI_LEN_MIN 1u
#define ZI_LEN_MAX 33554432u
#define ZI_INTERVAL_MS_MIN 0u
#define ZI_INTERVAL_MS_MAX 3600000u
#define ZI_TIMEOUT_MS_MIN 1u
#define ZI_TIMEOUT_MS_MAX 3600000u
#define ZI_SIZE_MIN 1u
#define ZI_SIZE_MAX 268435456u
#define ZI_HWM_MIN 0u
#define ZI_HWM_MAX 2147483647u
#define ZI_PAUSE_AFTER_MIN 1u
#define ZI_PAUSE_AFTER_MAX 2147483647u
#define ZI_HEARTBEAT_IVL_MS_MIN 1u
#define ZI_HEARTBEAT_IVL_MS_MAX 60000u
#define ZI_SILENCE_MS_MIN 0u
#define ZI_SILENCE_MS_MAX 3600000u
/* --topic (also non-empty) and --subscribe, in bytes. */
#define ZI_TOPIC_MAX_BYTES 255u

enum zi_role { ZI_ROLE_NONE, ZI_PUB, ZI_SUB, ZI_REP, ZI_REQ, ZI_THR_PUSH, ZI_THR_PULL, ZI_LAT_REQ, ZI_LAT_REP };

/* The contract's cases ("Cases"), in its report order; ZI_CASE_UNKNOWN is a name this peer does
 * not know. Which role plays which: zi_role_plays. */
enum zi_case {
    ZI_CASE_UNKNOWN,
    ZI_CASE_FANCYHW,
    ZI_CASE_BURST,
    ZI_CASE_MULTIPART,
    ZI_CASE_EMPTY,
    ZI_CASE_TOPICS,
    ZI_CASE_RECONNECT,
    ZI_CASE_ARRAY,
    ZI_CASE_HELLO,
    ZI_CASE_LARGE,
    ZI_CASE_HEARTBEAT
};
#define ZI_CASE_COUNT 11 /* ZI_CASE_UNKNOWN included */

/* The contract's name of a case ("" for ZI_CASE_UNKNOWN). */
const char *zi_case_name(enum zi_case c);
/* The case of a name, ZI_CASE_UNKNOWN for any other. */
enum zi_case zi_case_from_name(const char *name);
/* The case a role plays without --case: fancyhw for pub and sub, array for the others. */
enum zi_case zi_case_default_for(enum zi_role role);
/* Whether this peer plays case c in role (pub/sub: fancyhw burst multipart empty topics
 * reconnect; req/rep: array hello large multipart empty reconnect heartbeat). */
bool zi_role_plays(enum zi_role role, enum zi_case c);
/* Whether the case prints frames lines, and so takes multipart messages as data. */
bool zi_case_prints_frames(enum zi_case c);
/* Case topics, the subscriber's counts for --count: *first the i < count with i mod 3 != 2,
 * *second the count <= i < 2 count with i mod 3 == 0 (0 for --count 1). */
void zi_topics_counts(uint64_t count, uint64_t *first, uint64_t *second);

/* Bytes given in hex on the command line (--raw-hex, --raw-reply-hex). */
struct zi_bytes {
    unsigned char *data;
    size_t len;
    bool present;
};

/* The security mechanisms (--security). */
enum zi_mechanism { ZI_MECH_NULL, ZI_MECH_PLAIN, ZI_MECH_CURVE };

/* The security options and their material, read from the files before any socket exists
 * (security.c). The binder is the server (with the ZAP handler), the connector the client. */
struct zi_security {
    enum zi_mechanism mechanism;
    bool server;
    const char *plain_user;          /* --plain-user */
    const char *plain_password_file; /* --plain-password-file */
    const char *curve_keys_file;     /* --curve-keys-file */
    const char *curve_server_key;    /* --curve-server-key (Z85) */
    const char *zap_allow_file;      /* --zap-allow-file */
    char password[256];              /* PLAIN client */
    char public_key[41];             /* CURVE: this side's pair, Z85 */
    char secret_key[41];
    char *lines[64]; /* server: the allow list's lines (`USER PASSWORD`, or a Z85 public key) */
    size_t line_count;
};

/* The parsed, validated options; defaults as in the contract. */
struct zi_options {
    bool info;
    enum zi_role role;
    const char *endpoint;
    bool is_ipc;
    bool bind;
    const char *topic;
    const char *subscription;
    uint32_t seed;
    uint64_t count;
    uint32_t packet_size;
    uint32_t len;
    const char *case_name; /* --case as given, else the role's default case's name */
    enum zi_case play_case; /* the case of case_name (ZI_CASE_UNKNOWN: exit 4, zi_check_case) */
    bool sync;
    uint64_t interval_ms;
    int timeout_ms;
    bool report_sent;
    struct zi_bytes raw_message;
    bool has_corrupt_index;
    uint32_t corrupt_index;
    struct zi_bytes raw_reply;
    uint32_t size;
    int hwm;
    bool has_pause_after; /* --pause-after K (req): pause after the K-th reply */
    uint64_t pause_after;
    int heartbeat_ivl_ms; /* req, case heartbeat */
    uint64_t silence_ms;  /* req, case heartbeat */
    bool exit_with_stdin;
    struct zi_security security;
};

/* Parses argv into *o; on a usage error prints one `error:` line and returns ZI_USAGE. */
int zi_parse(int argc, char **argv, struct zi_options *o);
void zi_options_free(struct zi_options *o);

/* Prints `error: <formatted reason>` on stderr and returns code. */
int zi_fail(int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(ZI_PRINTF_FORMAT, 2, 3)))
#endif
    ;
/* `error: <call> failed: <zmq_strerror>`, exit 6. */
int zi_zmq_fail(const char *call);

/* Exit 4 with `error: case "NAME" is not implemented by this peer` (NAME escaped the way the
 * Rust peers' `{:?}` does) unless the role plays --case (zi_role_plays). Only pub, sub, rep
 * and req play cases: the benchmark roles ignore --case. Called before any socket exists. */
int zi_check_case(const struct zi_options *o);

/* The reason for a multipart message where one frame was expected (contract: "Unexpected
 * messages"): `malformed message: N frames, expected 1`. */
void zi_multipart_reason(char *buf, size_t size, uint64_t frames);

/* Output lines (stdout, flushed per line). */
void zi_emit_ready(const char *endpoint);
void zi_emit_sent(uint64_t seq);
/* A JSON string literal: `"`, `\\` and control bytes escaped, other bytes as they are. */
void zi_print_json_string(FILE *out, const char *text, size_t len);
/* Bytes as lowercase hex, no separator. */
void zi_print_hex(FILE *out, const unsigned char *data, size_t len);
/* `{"event":"paused"}`. */
void zi_emit_paused(void);

/* A whole message, every frame (the cases that print frames lines). */
struct zi_frames {
    zmq_msg_t *parts;
    size_t count;
    size_t capacity;
};
/* An empty one (no allocation yet). */
void zi_frames_init(struct zi_frames *f);
/* Closes every frame and frees the array; f is empty again. */
void zi_frames_close(struct zi_frames *f);
/* The frames line: `{"seq":0,"frames":["66616e6379","","01ff"]}`, on stdout or out. */
void zi_emit_frames(uint64_t seq, const struct zi_frames *f);
void zi_write_frames(FILE *out, uint64_t seq, const struct zi_frames *f);
/* Receives one whole message into an empty f (every frame, f->count >= 1); a timeout is exit 3
 * naming what was awaited. On failure f is left empty. */
int zi_recv_all(void *sock, struct zi_frames *f, const struct zi_options *o, const char *waiting_for);
/* Sends every frame of f in order (SNDMORE but the last), moving them: nothing is copied, and
 * the frames are empty afterwards. A timeout is exit 3. */
int zi_send_all(void *sock, struct zi_frames *f, const struct zi_options *o, const char *what);

/* Exit 4 (with its `error:` line) when the endpoint's transport is missing from the loaded
 * libzmq (ipc:// where zmq_has("ipc") is false); ZI_OK otherwise. */
int zi_check_endpoint(const struct zi_options *o);
/* Why a transport is missing, for --info and the exit-4 line. */
void zi_missing_reason(char *buf, size_t size, const char *transport);

void zi_sleep_ms(uint64_t ms);

/* A monotonic clock in nanoseconds, for the benchmark roles. */
uint64_t zi_now_ns(void);

/* Whether the role's last act is sending (ZMQ_LINGER = the timeout); the others linger 0. */
bool zi_sends_last(enum zi_role role);

/* Whether the loaded libzmq has the transport (tcp always; zmq_has knows the optional ones). */
bool zi_has_transport(const char *name);

/* Creates a socket with linger and timeouts set, lets configure() set role options (may be
 * NULL), binds or connects, and prints the ready line. Returns an exit code; *out is set on
 * ZI_OK and must be closed by the caller. */
int zi_open_socket(void *ctx, int type, const struct zi_options *o,
                   int (*configure)(void *sock, const struct zi_options *o), void **out);

/* Receives one single-frame message into an initialised msg; a timeout is exit 3 naming what
 * was awaited, a multipart message exit 5 (zi_multipart_reason) once all its frames are read. */
int zi_recv(void *sock, zmq_msg_t *msg, const struct zi_options *o, const char *waiting_for);
/* zi_recv for the repliers, which answer a multipart message before failing: a multipart
 * message is ZI_OK too, with *frames its frame count (1 for a single frame), msg its first
 * frame and the others read and dropped; nothing is reported for it. Timeouts and failures are
 * reported and returned as zi_recv does. */
int zi_recv_frames(void *sock, zmq_msg_t *msg, const struct zi_options *o, const char *waiting_for,
                   uint64_t *frames);
/* Sends a copy of data; a timeout is exit 3. */
int zi_send(void *sock, const void *data, size_t len, const struct zi_options *o, const char *what);
/* Sends data without copying it (zmq_msg_init_data, no free function), with flags (ZMQ_SNDMORE):
 * data must outlive the context, hence zi_keep_until_term. A timeout is exit 3. */
int zi_send_borrowed(void *sock, const void *data, size_t len, int flags, const struct zi_options *o,
                     const char *what);

/* Buffers sent with zi_send_borrowed: libzmq may still hold them after zmq_close (a lingering
 * message goes out from its I/O thread), so they are freed once zmq_ctx_term has returned.
 * zi_keep_until_term takes ownership of p; when its short list is full (ZI_ERROR, reported),
 * p stays the caller's, who has not sent it yet. */
int zi_keep_until_term(void *p);
/* Frees every kept buffer: after zmq_ctx_term. */
void zi_free_kept(void);

/* Holds (reconnect case: the binder keeps its socket open, sending nothing) for --timeout-ms. */
void zi_hold(const struct zi_options *o);

/* ---- stdin (contract: "Stdin") ---- */

/* The line of --exit-with-stdin when stdin closes, and of --pause-after at end-of-file. */
#define ZI_STDIN_CLOSED "stdin closed: the harness is gone"
/* --exit-with-stdin: starts a background thread that reads stdin to its end, then prints
 * `error: stdin closed: the harness is gone` and ends the process at once with exit 6. The
 * thread is never joined: a normal exit does not wait for it. ZI_ERROR if it cannot start. */
int zi_watch_stdin(void);
/* Called once the run is over, before main returns: from then on the watcher, if stdin closes,
 * does nothing (the process is exiting with its own status). */
void zi_finishing(void);
/* --pause-after: reads one line from stdin (what it says means nothing); at end-of-file before
 * any byte, exit 6 with ZI_STDIN_CLOSED. */
int zi_wait_for_line(void);

/* ---- security (security.c) ---- */

/* "null", "plain", "curve". */
const char *zi_mechanism_name(enum zi_mechanism m);
/* Whether the loaded libzmq has the mechanism (CURVE: zmq_has("curve")). */
bool zi_has_mechanism(enum zi_mechanism m);
/* Why CURVE is missing, for --info and the exit-4 line. */
void zi_missing_mechanism(char *buf, size_t size);
/* Takes one of the security options (zi_parse); --security's value is checked here. */
int zi_security_option(struct zi_security *s, const char *name, const char *value);
/* Checks the options as a whole and reads their files: a usage error names the option. */
int zi_security_check(struct zi_security *s, bool server);
void zi_security_free(struct zi_security *s);
/* Exit 4 when the loaded libzmq lacks --security's mechanism. */
int zi_check_mechanism(const struct zi_options *o);
/* Sets the mechanism's socket options; a server also starts the ZAP handler (once). */
int zi_secure(void *ctx, void *sock, const struct zi_options *o);
/* Joins the ZAP handler, which ends when the context terminates: after zmq_ctx_term. */
void zi_zap_join(void);

/* Little-endian float64 arrays: the expected one for a seed, and reading one value. */
unsigned char *zi_f64_array(uint32_t seed, uint32_t len, bool corrupt, uint32_t corrupt_index);
double zi_f64_at(const unsigned char *bytes, size_t index);

/* The roles. */
int zi_pub(void *ctx, const struct zi_options *o);
int zi_sub(void *ctx, const struct zi_options *o);
int zi_rep(void *ctx, const struct zi_options *o);
int zi_req(void *ctx, const struct zi_options *o);
int zi_thr_push(void *ctx, const struct zi_options *o);
int zi_thr_pull(void *ctx, const struct zi_options *o);
int zi_lat_req(void *ctx, const struct zi_options *o);
int zi_lat_rep(void *ctx, const struct zi_options *o);

#endif
