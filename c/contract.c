/* contract.c: the C peers' side of the peer contract (docs/peer-contract.md): option parsing
 * with one-line usage errors, output lines, endpoint checks, hex decoding, a portable sleep,
 * and the socket helpers every role shares. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* nanosleep, clock_gettime; before any system header */
#endif

#include "contract.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakehw.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <time.h>
#endif

int zi_fail(int code, const char *fmt, ...) {
    /* Formatted first, so that a newline inside a quoted value cannot split the one line. */
    char stack[512];
    char *text = stack;
    va_list args;
    va_start(args, fmt);
    va_list again;
    va_copy(again, args);
    const int needed = vsnprintf(stack, sizeof stack, fmt, args);
    va_end(args);
    if (needed >= (int)sizeof stack) {
        char *heap = malloc((size_t)needed + 1);
        if (heap != NULL) {
            vsnprintf(heap, (size_t)needed + 1, fmt, again);
            text = heap;
        } /* else: the reason, cut short */
    } else if (needed < 0) {
        snprintf(stack, sizeof stack, "(unprintable reason: %s)", fmt);
    }
    va_end(again);
    for (char *c = text; *c; c++) {
        if (*c == '\n' || *c == '\r') *c = ' ';
    }
    fprintf(stderr, "error: %s\n", text);
    fflush(stderr);
    if (text != stack) free(text);
    return code;
}

int zi_zmq_fail(const char *call) { return zi_fail(ZI_ERROR, "%s failed: %s", call, zmq_strerror(zmq_errno())); }

/* One byte of a name as Rust's `{:?}` shows a str: \t \r \n \" \\ escaped, other control
 * bytes as \u{hex} (argv holds no NUL, which Rust shows as \0), printable ASCII as it is.
 * Bytes past 0x7f are written as they are: Rust shows a printable character as itself too, but
 * escapes the non-printable and combining ones, which would take Unicode's tables to tell
 * apart (a case name is ASCII in practice). */
static void put_rust_debug(FILE *out, unsigned char c) {
    switch (c) {
    case '\t': fputs("\\t", out); break;
    case '\r': fputs("\\r", out); break;
    case '\n': fputs("\\n", out); break;
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    default:
        if (c < 0x20 || c == 0x7f) {
            fprintf(out, "\\u{%x}", (unsigned)c);
        } else {
            fputc(c, out);
        }
    }
}

/* ---- cases ---- */

static const char *const CASE_NAMES[ZI_CASE_COUNT] = {
    "", "fancyhw", "burst", "multipart", "empty", "topics", "reconnect", "array", "hello", "large", "heartbeat"};

const char *zi_case_name(enum zi_case c) { return (unsigned)c < ZI_CASE_COUNT ? CASE_NAMES[c] : ""; }

enum zi_case zi_case_from_name(const char *name) {
    for (int c = ZI_CASE_FANCYHW; c < ZI_CASE_COUNT; c++) {
        if (strcmp(CASE_NAMES[c], name) == 0) return (enum zi_case)c;
    }
    return ZI_CASE_UNKNOWN;
}

enum zi_case zi_case_default_for(enum zi_role role) {
    return role == ZI_PUB || role == ZI_SUB ? ZI_CASE_FANCYHW : ZI_CASE_ARRAY;
}

bool zi_role_plays(enum zi_role role, enum zi_case c) {
    switch (role) {
    case ZI_PUB:
    case ZI_SUB:
        return c == ZI_CASE_FANCYHW || c == ZI_CASE_BURST || c == ZI_CASE_MULTIPART || c == ZI_CASE_EMPTY ||
               c == ZI_CASE_TOPICS || c == ZI_CASE_RECONNECT;
    case ZI_REQ:
    case ZI_REP:
        return c == ZI_CASE_ARRAY || c == ZI_CASE_HELLO || c == ZI_CASE_LARGE || c == ZI_CASE_MULTIPART ||
               c == ZI_CASE_EMPTY || c == ZI_CASE_RECONNECT || c == ZI_CASE_HEARTBEAT;
    default:
        return false;
    }
}

/* How many i in [0, n) have i mod 3 == r (r in 0..2). */
static uint64_t residues_below(uint64_t n, uint64_t r) { return n > r ? (n - r + 2) / 3 : 0; }

void zi_topics_counts(uint64_t count, uint64_t *first, uint64_t *second) {
    *first = count - residues_below(count, 2);
    *second = residues_below(2 * count, 0) - residues_below(count, 0);
}

bool zi_case_prints_frames(enum zi_case c) { return c == ZI_CASE_MULTIPART || c == ZI_CASE_EMPTY; }

int zi_check_case(const struct zi_options *o) {
    const bool plays_cases = o->role == ZI_PUB || o->role == ZI_SUB || o->role == ZI_REQ || o->role == ZI_REP;
    if (!plays_cases || zi_role_plays(o->role, o->play_case)) return ZI_OK;
    /* Written out rather than through zi_fail: the name is escaped, so it stays one line. */
    fputs("error: case \"", stderr);
    for (const char *c = o->case_name; *c; c++) put_rust_debug(stderr, (unsigned char)*c);
    fputs("\" is not implemented by this peer\n", stderr);
    fflush(stderr);
    return ZI_UNSUPPORTED;
}

void zi_multipart_reason(char *buf, size_t size, uint64_t frames) {
    snprintf(buf, size, "malformed message: %llu frames, expected 1", (unsigned long long)frames);
}

/* ---- options ---- */

/* One of the contract's integers, in [min, max]: plain decimal, an optional leading + or -,
 * then ASCII digits only (no spaces, no `_`, no trailing garbage). Its value decides, whatever
 * its digits: -0 is 0, and 00010 is 10. */
static int parse_integer(const char *name, const char *text, uint64_t min, uint64_t max, uint64_t *out) {
    const char *digit = text;
    const bool negative = *digit == '-';
    if (*digit == '+' || *digit == '-') digit++;
    bool is_integer = *digit != '\0';
    uint64_t magnitude = 0;
    bool beyond = false; /* past max: the magnitude stops counting, it is out of range */
    for (; is_integer && *digit != '\0'; digit++) {
        if (*digit < '0' || *digit > '9') {
            is_integer = false;
        } else if (!beyond) {
            const uint64_t d = (uint64_t)(*digit - '0');
            if (d > max || magnitude > (max - d) / 10) {
                beyond = true;
            } else {
                magnitude = magnitude * 10 + d;
            }
        }
    }
    if (!is_integer) {
        return zi_fail(ZI_USAGE, "invalid value '%s' for %s: expected an integer in %llu..=%llu", text, name,
                       (unsigned long long)min, (unsigned long long)max);
    }
    if (beyond || (negative && magnitude > 0) || magnitude < min) {
        return zi_fail(ZI_USAGE, "invalid value '%s' for %s: out of range %llu..=%llu", text, name,
                       (unsigned long long)min, (unsigned long long)max);
    }
    *out = magnitude;
    return ZI_OK;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int parse_hex(const char *name, const char *text, struct zi_bytes *out) {
    size_t n = strlen(text);
    if (n % 2 != 0) return zi_fail(ZI_USAGE, "%s: hex string has odd length %zu", name, n);
    free(out->data);
    out->data = malloc(n / 2 + 1); /* +1: malloc(0) may return NULL */
    if (out->data == NULL) return zi_fail(ZI_ERROR, "cannot allocate %zu bytes for %s", n / 2, name);
    for (size_t i = 0; i < n; i += 2) {
        int hi = hex_value(text[i]);
        int lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) {
            size_t bad = hi < 0 ? i : i + 1;
            return zi_fail(ZI_USAGE, "%s: '%c' at offset %zu is not a hex digit", name, text[bad], bad);
        }
        out->data[i / 2] = (unsigned char)(hi * 16 + lo);
    }
    out->len = n / 2;
    out->present = true;
    return ZI_OK;
}

static int check_topic(const char *topic) {
    if (topic[0] == '\0') return zi_fail(ZI_USAGE, "--topic: topic is empty");
    for (const char *p = topic; *p; p++) {
        if (*p == ' ') {
            return zi_fail(ZI_USAGE, "--topic: topic \"%s\" contains a space, which separates topic from samples",
                           topic);
        }
        if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e) {
            return zi_fail(ZI_USAGE, "--topic: topic is not printable ASCII (byte 0x%02x at offset %zu)",
                           (unsigned)(unsigned char)*p, (size_t)(p - topic));
        }
    }
    return ZI_OK;
}

static enum zi_role role_of(const char *name) {
    if (strcmp(name, "pub") == 0) return ZI_PUB;
    if (strcmp(name, "sub") == 0) return ZI_SUB;
    if (strcmp(name, "rep") == 0) return ZI_REP;
    if (strcmp(name, "req") == 0) return ZI_REQ;
    if (strcmp(name, "thr-push") == 0) return ZI_THR_PUSH;
    if (strcmp(name, "thr-pull") == 0) return ZI_THR_PULL;
    if (strcmp(name, "lat-req") == 0) return ZI_LAT_REQ;
    if (strcmp(name, "lat-rep") == 0) return ZI_LAT_REP;
    return ZI_ROLE_NONE;
}

/* The options that take a value. */
static const char *const VALUED[] = {
    "--endpoint", "--topic",   "--subscribe",     "--seed",        "--count",          "--packet-size",
    "--len",      "--case",    "--interval-ms",   "--timeout-ms",  "--raw-hex",        "--corrupt-index",
    "--raw-reply-hex", "--size", "--hwm",         "--pause-after", "--heartbeat-ivl-ms", "--silence-ms",
    "--security", "--plain-user", "--plain-password-file", "--curve-keys-file", "--curve-server-key",
    "--zap-allow-file"};
static const char *const FLAGS[] = {"--info", "--bind", "--connect", "--sync", "--report-sent", "--exit-with-stdin"};

static bool listed(const char *name, size_t name_len, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (strlen(list[i]) == name_len && strncmp(list[i], name, name_len) == 0) return true;
    }
    return false;
}

static int apply(struct zi_options *o, const char *name, const char *value) {
    uint64_t n = 0;
    int rc = ZI_OK;
    if (strcmp(name, "--endpoint") == 0) {
        o->endpoint = value;
    } else if (strcmp(name, "--topic") == 0) {
        o->topic = value;
    } else if (strcmp(name, "--subscribe") == 0) {
        o->subscription = value;
    } else if (strcmp(name, "--seed") == 0) {
        if ((rc = parse_integer(name, value, ZI_SEED_MIN, ZI_SEED_MAX, &n)) == ZI_OK) o->seed = (uint32_t)n;
    } else if (strcmp(name, "--count") == 0) {
        if ((rc = parse_integer(name, value, ZI_COUNT_MIN, ZI_COUNT_MAX, &n)) == ZI_OK) o->count = n;
    } else if (strcmp(name, "--packet-size") == 0) {
        rc = parse_integer(name, value, ZI_PACKET_SIZE_MIN, ZI_PACKET_SIZE_MAX, &n);
        if (rc == ZI_OK) o->packet_size = (uint32_t)n;
    } else if (strcmp(name, "--len") == 0) {
        if ((rc = parse_integer(name, value, ZI_LEN_MIN, ZI_LEN_MAX, &n)) == ZI_OK) o->len = (uint32_t)n;
    } else if (strcmp(name, "--case") == 0) {
        /* Any name: one this peer does not play is exit 4 when a role plays it, not a usage error. */
        o->case_name = value;
    } else if (strcmp(name, "--interval-ms") == 0) {
        rc = parse_integer(name, value, ZI_INTERVAL_MS_MIN, ZI_INTERVAL_MS_MAX, &n);
        if (rc == ZI_OK) o->interval_ms = n;
    } else if (strcmp(name, "--timeout-ms") == 0) {
        /* The range's top fits zmq's int. */
        rc = parse_integer(name, value, ZI_TIMEOUT_MS_MIN, ZI_TIMEOUT_MS_MAX, &n);
        if (rc == ZI_OK) o->timeout_ms = (int)n;
    } else if (strcmp(name, "--raw-hex") == 0) {
        rc = parse_hex(name, value, &o->raw_message);
    } else if (strcmp(name, "--corrupt-index") == 0) {
        /* Any u32 here; past the end of --len is checked once every option is known. */
        if ((rc = parse_integer(name, value, 0, UINT32_MAX, &n)) == ZI_OK) {
            o->has_corrupt_index = true;
            o->corrupt_index = (uint32_t)n;
        }
    } else if (strcmp(name, "--raw-reply-hex") == 0) {
        rc = parse_hex(name, value, &o->raw_reply);
    } else if (strcmp(name, "--size") == 0) {
        if ((rc = parse_integer(name, value, ZI_SIZE_MIN, ZI_SIZE_MAX, &n)) == ZI_OK) o->size = (uint32_t)n;
    } else if (strcmp(name, "--hwm") == 0) {
        if ((rc = parse_integer(name, value, ZI_HWM_MIN, ZI_HWM_MAX, &n)) == ZI_OK) o->hwm = (int)n;
    } else if (strcmp(name, "--pause-after") == 0) {
        rc = parse_integer(name, value, ZI_PAUSE_AFTER_MIN, ZI_PAUSE_AFTER_MAX, &n);
        if (rc == ZI_OK) {
            o->has_pause_after = true;
            o->pause_after = n;
        }
    } else if (strcmp(name, "--heartbeat-ivl-ms") == 0) {
        /* Three times the range's top (the heartbeat timeout) still fits zmq's int. */
        rc = parse_integer(name, value, ZI_HEARTBEAT_IVL_MS_MIN, ZI_HEARTBEAT_IVL_MS_MAX, &n);
        if (rc == ZI_OK) o->heartbeat_ivl_ms = (int)n;
    } else if (strcmp(name, "--silence-ms") == 0) {
        if ((rc = parse_integer(name, value, ZI_SILENCE_MS_MIN, ZI_SILENCE_MS_MAX, &n)) == ZI_OK) o->silence_ms = n;
    } else {
        rc = zi_security_option(&o->security, name, value);
    }
    return rc;
}

int zi_parse(int argc, char **argv, struct zi_options *o) {
    memset(o, 0, sizeof *o);
    o->topic = "fancyhw_data";
    o->seed = 12345;
    o->count = 10;
    o->packet_size = 16;
    o->len = 131072;
    o->timeout_ms = 10000;
    o->size = 16;
    o->heartbeat_ivl_ms = 100;
    o->silence_ms = 1500;
    bool bind = false, connect = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0) {
            if (o->role != ZI_ROLE_NONE) return zi_fail(ZI_USAGE, "unexpected argument '%s'", arg);
            o->role = role_of(arg);
            if (o->role == ZI_ROLE_NONE) {
                return zi_fail(ZI_USAGE,
                               "invalid role '%s': expected pub, sub, rep, req, thr-push, thr-pull, lat-req or lat-rep",
                               arg);
            }
            continue;
        }
        const char *eq = strchr(arg, '=');
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (listed(arg, name_len, FLAGS, sizeof FLAGS / sizeof FLAGS[0])) {
            if (eq) return zi_fail(ZI_USAGE, "%.*s takes no value", (int)name_len, arg);
            if (strcmp(arg, "--info") == 0) o->info = true;
            if (strcmp(arg, "--bind") == 0) bind = true;
            if (strcmp(arg, "--connect") == 0) connect = true;
            if (strcmp(arg, "--sync") == 0) o->sync = true;
            if (strcmp(arg, "--report-sent") == 0) o->report_sent = true;
            if (strcmp(arg, "--exit-with-stdin") == 0) o->exit_with_stdin = true;
            continue;
        }
        if (!listed(arg, name_len, VALUED, sizeof VALUED / sizeof VALUED[0])) {
            return zi_fail(ZI_USAGE, "unexpected argument '%s'", arg);
        }
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)name_len, arg);
        const char *value = eq ? eq + 1 : NULL;
        if (value == NULL) {
            if (i + 1 >= argc) return zi_fail(ZI_USAGE, "a value is required for '%s'", name);
            value = argv[++i];
        }
        int rc = apply(o, name, value);
        if (rc != ZI_OK) return rc;
    }
    if (o->has_pause_after && o->exit_with_stdin) {
        /* Both read stdin: as clap's conflicts_with in the Rust peers, whatever the role. */
        return zi_fail(ZI_USAGE, "--pause-after cannot be used with --exit-with-stdin (both read stdin)");
    }
    if (o->info) return ZI_OK;
    if (o->role == ZI_ROLE_NONE) {
        return zi_fail(ZI_USAGE, "a role is required (pub, sub, rep, req, thr-push, thr-pull, lat-req, lat-rep), or --info");
    }
    if (bind && connect) return zi_fail(ZI_USAGE, "--bind and --connect cannot be used together");
    if (o->endpoint == NULL) return zi_fail(ZI_USAGE, "--endpoint is required");
    if (strncmp(o->endpoint, "ipc://", 6) == 0 && o->endpoint[6] != '\0') {
        o->is_ipc = true;
    } else if (strncmp(o->endpoint, "tcp://", 6) != 0) {
        return zi_fail(ZI_USAGE, "endpoint \"%s\" is neither tcp://HOST:PORT nor ipc://PATH", o->endpoint);
    }
    int rc = check_topic(o->topic);
    if (rc != ZI_OK) return rc;
    if (strlen(o->topic) > ZI_TOPIC_MAX_BYTES) {
        return zi_fail(ZI_USAGE, "--topic: %zu bytes is longer than %u", strlen(o->topic), ZI_TOPIC_MAX_BYTES);
    }
    if (o->subscription != NULL && strlen(o->subscription) > ZI_TOPIC_MAX_BYTES) {
        return zi_fail(ZI_USAGE, "--subscribe: %zu bytes is longer than %u", strlen(o->subscription),
                       ZI_TOPIC_MAX_BYTES);
    }
    if (o->subscription == NULL) o->subscription = o->topic;
    if (o->case_name == NULL) o->case_name = zi_case_name(zi_case_default_for(o->role));
    o->play_case = zi_case_from_name(o->case_name);
    if (o->has_corrupt_index && o->corrupt_index >= o->len) {
        return zi_fail(ZI_USAGE, "--corrupt-index %lu is past the end of an array of %lu values",
                       (unsigned long)o->corrupt_index, (unsigned long)o->len);
    }
    o->bind = bind || (!connect && (o->role == ZI_PUB || o->role == ZI_REP || o->role == ZI_THR_PULL ||
                                    o->role == ZI_LAT_REP));
    return zi_security_check(&o->security, o->bind);
}

void zi_options_free(struct zi_options *o) {
    free(o->raw_message.data);
    free(o->raw_reply.data);
    o->raw_message.data = NULL;
    o->raw_reply.data = NULL;
    zi_security_free(&o->security);
}

/* ---- output ---- */

void zi_print_json_string(FILE *out, const char *text, size_t len) {
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        const unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(out, "\\u%04x", (unsigned)c);
        } else {
            fputc(c, out); /* bytes past 0x7f: the text is taken to be UTF-8 (argv) */
        }
    }
    fputc('"', out);
}

void zi_print_hex(FILE *out, const unsigned char *data, size_t len) {
    static const char digits[] = "0123456789abcdef";
    char chunk[4096];
    size_t used = 0;
    for (size_t i = 0; i < len; i++) {
        chunk[used++] = digits[data[i] >> 4];
        chunk[used++] = digits[data[i] & 0x0f];
        if (used == sizeof chunk) {
            fwrite(chunk, 1, used, out);
            used = 0;
        }
    }
    if (used > 0) fwrite(chunk, 1, used, out);
}

void zi_emit_paused(void) {
    fputs("{\"event\":\"paused\"}\n", stdout);
    fflush(stdout);
}

void zi_emit_ready(const char *endpoint) {
    fputs("{\"event\":\"ready\",\"endpoint\":", stdout);
    zi_print_json_string(stdout, endpoint, strlen(endpoint));
    fputs("}\n", stdout);
    fflush(stdout);
}

void zi_emit_sent(uint64_t seq) {
    printf("{\"event\":\"sent\",\"seq\":%llu}\n", (unsigned long long)seq);
    fflush(stdout);
}

void zi_sleep_ms(uint64_t ms) {
#ifdef _WIN32
    Sleep((DWORD)(ms > 0xfffffffeu ? 0xfffffffeu : ms));
#else
    struct timespec wait = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&wait, &wait) != 0 && errno == EINTR) {
    }
#endif
}

bool zi_sends_last(enum zi_role role) {
    return role == ZI_PUB || role == ZI_REP || role == ZI_THR_PUSH || role == ZI_LAT_REP;
}

uint64_t zi_now_ns(void) {
#ifdef _WIN32
    static LARGE_INTEGER frequency;
    LARGE_INTEGER now;
    if (frequency.QuadPart == 0) QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&now);
    /* In integers: a double loses whole milliseconds once the counter is large. */
    const uint64_t ticks = (uint64_t)now.QuadPart, hz = (uint64_t)frequency.QuadPart;
    return ticks / hz * 1000000000u + ticks % hz * 1000000000u / hz;
#else
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
#endif
}

bool zi_has_transport(const char *name) { return strcmp(name, "tcp") == 0 || zmq_has(name); }

#ifdef _WIN32
#ifdef _MSC_VER
#pragma comment(lib, "ws2_32.lib") /* WSAStartup and socket, whatever libzmq was linked with */
#endif
/* What stands in ipc's way on Windows beyond the library, measured rather than assumed: whether
 * this Windows has AF_UNIX sockets at all (Windows 10 1803 on has them; Wine 8 has not, its
 * socket() fails with WSAEAFNOSUPPORT), named as Wine when it is (ntdll exports
 * wine_get_version). Appended to the reason; a later Wine with AF_UNIX is then told apart. */
static void windows_af_unix(char *buf, size_t size) {
    const char *(*wine_version)(void) = NULL;
    const HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    if (ntdll != NULL) {
        /* Through void (*)(void), which GCC's -Wcast-function-type accepts for any function. */
        wine_version = (const char *(*)(void))(void (*)(void))GetProcAddress(ntdll, "wine_get_version");
    }
    char system[64];
    if (wine_version != NULL) {
        snprintf(system, sizeof system, "Wine %s", wine_version());
    } else {
        snprintf(system, sizeof system, "this Windows");
    }
    WSADATA wsa;
    const bool started = WSAStartup(MAKEWORD(2, 2), &wsa) == 0;
    const SOCKET probe = started ? socket(AF_UNIX, SOCK_STREAM, 0) : INVALID_SOCKET;
    const int error = probe == INVALID_SOCKET ? (started ? WSAGetLastError() : -1) : 0;
    if (probe != INVALID_SOCKET) closesocket(probe);
    if (started) WSACleanup();
    const size_t used = strlen(buf);
    if (used >= size) return;
    if (probe != INVALID_SOCKET) {
        snprintf(buf + used, size - used, " (%s has AF_UNIX sockets)", system);
    } else if (error == WSAEAFNOSUPPORT) {
        snprintf(buf + used, size - used,
                 "; %s has no AF_UNIX sockets either (socket(AF_UNIX) fails with WSAEAFNOSUPPORT)", system);
    } else {
        snprintf(buf + used, size - used, "; socket(AF_UNIX) fails on %s (error %d)", system, error);
    }
}
#endif

void zi_missing_reason(char *buf, size_t size, const char *transport) {
    int major = 0, minor = 0, patch = 0;
    zmq_version(&major, &minor, &patch);
    snprintf(buf, size, "libzmq %d.%d.%d was built without %s", major, minor, patch, transport);
#ifdef _WIN32
    if (strcmp(transport, "ipc") == 0) windows_af_unix(buf, size);
#endif
}

int zi_check_endpoint(const struct zi_options *o) {
    if (o->is_ipc && !zi_has_transport("ipc")) {
        char reason[256];
        zi_missing_reason(reason, sizeof reason, "ipc");
        return zi_fail(ZI_UNSUPPORTED, "%s", reason);
    }
    return ZI_OK;
}

/* ---- sockets ---- */

int zi_open_socket(void *ctx, int type, const struct zi_options *o,
                   int (*configure)(void *sock, const struct zi_options *o), void **out) {
    void *sock = zmq_socket(ctx, type);
    if (sock == NULL) return zi_zmq_fail("zmq_socket");
    int rc = ZI_OK;
    /* Senders wait for their last messages to leave; receivers have nothing left to send. */
    const int linger = zi_sends_last(o->role) ? o->timeout_ms : 0;
    if (zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger) != 0) {
        rc = zi_zmq_fail("zmq_setsockopt(ZMQ_LINGER)");
    } else if (zmq_setsockopt(sock, ZMQ_RCVTIMEO, &o->timeout_ms, sizeof o->timeout_ms) != 0) {
        rc = zi_zmq_fail("zmq_setsockopt(ZMQ_RCVTIMEO)");
    } else if (zmq_setsockopt(sock, ZMQ_SNDTIMEO, &o->timeout_ms, sizeof o->timeout_ms) != 0) {
        rc = zi_zmq_fail("zmq_setsockopt(ZMQ_SNDTIMEO)");
    } else if ((rc = zi_secure(ctx, sock, o)) != ZI_OK) {
        /* reported */
    } else if (configure != NULL) {
        rc = configure(sock, o);
    }
    if (rc == ZI_OK) {
        if (o->bind) {
            char endpoint[1024];
            size_t size = sizeof endpoint;
            if (zmq_bind(sock, o->endpoint) != 0) {
                rc = zi_fail(ZI_ERROR, "zmq_bind(%s) failed: %s", o->endpoint, zmq_strerror(zmq_errno()));
            } else if (zmq_getsockopt(sock, ZMQ_LAST_ENDPOINT, endpoint, &size) != 0) {
                rc = zi_zmq_fail("zmq_getsockopt(ZMQ_LAST_ENDPOINT)");
            } else {
                zi_emit_ready(endpoint);
            }
        } else if (zmq_connect(sock, o->endpoint) != 0) {
            rc = zi_fail(ZI_ERROR, "zmq_connect(%s) failed: %s", o->endpoint, zmq_strerror(zmq_errno()));
        } else {
            zi_emit_ready(o->endpoint);
        }
    }
    if (rc != ZI_OK) {
        zmq_close(sock);
        return rc;
    }
    *out = sock;
    return ZI_OK;
}

/* Reads the rest of a multipart message (already all there: zmq delivers a message's frames
 * together), counting the frames that followed. */
static int drain(void *sock, uint64_t *frames) {
    zmq_msg_t frame;
    if (zmq_msg_init(&frame) != 0) return zi_zmq_fail("zmq_msg_init");
    int rc = ZI_OK;
    do {
        if (zmq_msg_recv(&frame, sock, 0) < 0) {
            rc = zi_zmq_fail("zmq_msg_recv");
            break;
        }
        (*frames)++;
    } while (zmq_msg_more(&frame));
    zmq_msg_close(&frame);
    return rc;
}

int zi_recv_frames(void *sock, zmq_msg_t *msg, const struct zi_options *o, const char *waiting_for,
                   uint64_t *frames) {
    *frames = 1;
    if (zmq_msg_recv(msg, sock, 0) < 0) {
        if (zmq_errno() == EAGAIN) {
            return zi_fail(ZI_TIMEOUT, "timed out after %d ms waiting for %s", o->timeout_ms, waiting_for);
        }
        return zi_zmq_fail("zmq_msg_recv");
    }
    return zmq_msg_more(msg) ? drain(sock, frames) : ZI_OK;
}

int zi_recv(void *sock, zmq_msg_t *msg, const struct zi_options *o, const char *waiting_for) {
    uint64_t frames = 1;
    const int rc = zi_recv_frames(sock, msg, o, waiting_for, &frames);
    if (rc != ZI_OK || frames == 1) return rc;
    char reason[64];
    zi_multipart_reason(reason, sizeof reason, frames);
    return zi_fail(ZI_MALFORMED, "%s", reason);
}

int zi_send(void *sock, const void *data, size_t len, const struct zi_options *o, const char *what) {
    if (zmq_send(sock, data, len, 0) >= 0) return ZI_OK;
    if (zmq_errno() == EAGAIN) return zi_fail(ZI_TIMEOUT, "timed out after %d ms sending %s", o->timeout_ms, what);
    return zi_zmq_fail("zmq_send");
}

int zi_send_borrowed(void *sock, const void *data, size_t len, int flags, const struct zi_options *o,
                     const char *what) {
    zmq_msg_t msg;
    /* No free function: a constant message, libzmq reads data in place until it has gone. */
    if (zmq_msg_init_data(&msg, (void *)(uintptr_t)data, len, NULL, NULL) != 0) return zi_zmq_fail("zmq_msg_init_data");
    if (zmq_msg_send(&msg, sock, flags) >= 0) return ZI_OK;
    const int rc = zmq_errno() == EAGAIN ? zi_fail(ZI_TIMEOUT, "timed out after %d ms sending %s", o->timeout_ms, what)
                                         : zi_zmq_fail("zmq_msg_send");
    zmq_msg_close(&msg); /* still ours after a failed send */
    return rc;
}

static void *kept[8];

int zi_keep_until_term(void *p) {
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        if (kept[i] == NULL) {
            kept[i] = p;
            return ZI_OK;
        }
    }
    return zi_fail(ZI_ERROR, "more than %zu buffers kept until zmq_ctx_term", sizeof kept / sizeof kept[0]);
}

void zi_free_kept(void) {
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        free(kept[i]);
        kept[i] = NULL;
    }
}

void zi_hold(const struct zi_options *o) {
    fprintf(stderr, "holding the socket open for %d ms (until killed)\n", o->timeout_ms);
    fflush(stderr);
    zi_sleep_ms((uint64_t)o->timeout_ms);
}

/* ---- whole messages (frames cases) ---- */

void zi_frames_init(struct zi_frames *f) {
    f->parts = NULL;
    f->count = 0;
    f->capacity = 0;
}

void zi_frames_close(struct zi_frames *f) {
    for (size_t i = 0; i < f->count; i++) zmq_msg_close(&f->parts[i]);
    free(f->parts);
    zi_frames_init(f);
}

/* A fresh, initialised frame at the end of f, or NULL (reported) when memory runs out. */
static zmq_msg_t *next_frame(struct zi_frames *f) {
    if (f->count == f->capacity) {
        const size_t capacity = f->capacity ? f->capacity * 2 : 4;
        zmq_msg_t *parts = realloc(f->parts, capacity * sizeof *parts);
        if (parts == NULL) {
            zi_fail(ZI_ERROR, "cannot allocate %zu frames", capacity);
            return NULL;
        }
        f->parts = parts;
        f->capacity = capacity;
    }
    zmq_msg_t *frame = &f->parts[f->count];
    if (zmq_msg_init(frame) != 0) {
        zi_zmq_fail("zmq_msg_init");
        return NULL;
    }
    f->count++;
    return frame;
}

int zi_recv_all(void *sock, struct zi_frames *f, const struct zi_options *o, const char *waiting_for) {
    int rc = ZI_OK;
    do {
        zmq_msg_t *frame = next_frame(f);
        if (frame == NULL) {
            rc = ZI_ERROR;
        } else if (zmq_msg_recv(frame, sock, 0) < 0) {
            /* Only the first frame can time out: the others arrive with it. */
            rc = zmq_errno() == EAGAIN && f->count == 1
                     ? zi_fail(ZI_TIMEOUT, "timed out after %d ms waiting for %s", o->timeout_ms, waiting_for)
                     : zi_zmq_fail("zmq_msg_recv");
        }
    } while (rc == ZI_OK && zmq_msg_more(&f->parts[f->count - 1]));
    if (rc != ZI_OK) zi_frames_close(f);
    return rc;
}

int zi_send_all(void *sock, struct zi_frames *f, const struct zi_options *o, const char *what) {
    for (size_t i = 0; i < f->count; i++) {
        if (zmq_msg_send(&f->parts[i], sock, i + 1 < f->count ? ZMQ_SNDMORE : 0) < 0) {
            if (zmq_errno() == EAGAIN) return zi_fail(ZI_TIMEOUT, "timed out after %d ms sending %s", o->timeout_ms, what);
            return zi_zmq_fail("zmq_msg_send");
        }
    }
    return ZI_OK;
}

void zi_write_frames(FILE *out, uint64_t seq, const struct zi_frames *f) {
    fprintf(out, "{\"seq\":%llu,\"frames\":[", (unsigned long long)seq);
    for (size_t i = 0; i < f->count; i++) {
        fputs(i ? ",\"" : "\"", out);
        zi_print_hex(out, zmq_msg_data(&f->parts[i]), zmq_msg_size(&f->parts[i]));
        fputc('"', out);
    }
    fputs("]}\n", out);
    fflush(out);
}

void zi_emit_frames(uint64_t seq, const struct zi_frames *f) { zi_write_frames(stdout, seq, f); }

/* ---- float64 arrays ---- */

static void put_f64_le(unsigned char *out, double value) {
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 8; i++) out[i] = (unsigned char)(bits >> (8 * i));
}

double zi_f64_at(const unsigned char *bytes, size_t index) {
    uint64_t bits = 0;
    for (int i = 7; i >= 0; i--) bits = (bits << 8) | bytes[index * 8 + (size_t)i];
    double value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

unsigned char *zi_f64_array(uint32_t seed, uint32_t len, bool corrupt, uint32_t corrupt_index) {
#if SIZE_MAX / 8 < UINT32_MAX
    if (len > SIZE_MAX / 8) return NULL; /* 32-bit hosts: len * 8 would not fit a size_t */
#endif
    unsigned char *bytes = malloc((size_t)len * 8);
    if (bytes == NULL) return NULL;
    struct fancyhw hw;
    fancyhw_seed(&hw, seed);
    for (uint32_t i = 0; i < len; i++) {
        double value = fancyhw_read_f64(&hw);
        if (corrupt && i == corrupt_index) value += 1.0;
        put_f64_le(bytes + (size_t)i * 8, value);
    }
    return bytes;
}
