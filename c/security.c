/* security.c: the contract's security options for the C peers: --security and its material
 * (files read and checked before any socket exists), the mechanism's socket options, and the
 * binder's ZAP handler (RFC 27) on a thread, which admits exactly the allow list and prints a
 * zap line for each request it answers. */
#include "contract.h" /* first: it sets up stdio for MinGW */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const MECHANISM_NAMES[] = {"null", "plain", "curve"};

const char *zi_mechanism_name(enum zi_mechanism m) { return MECHANISM_NAMES[m]; }

bool zi_has_mechanism(enum zi_mechanism m) {
    /* NULL and PLAIN are always built into libzmq 4; CURVE needs libsodium (or tweetnacl). */
    return m != ZI_MECH_CURVE || zmq_has("curve") == 1;
}

void zi_missing_mechanism(char *buf, size_t size) {
    int major = 0, minor = 0, patch = 0;
    zmq_version(&major, &minor, &patch);
    snprintf(buf, size, "libzmq %d.%d.%d was built without CURVE (zmq_has(\"curve\") is 0)", major, minor,
             patch);
}

int zi_security_option(struct zi_security *s, const char *name, const char *value) {
    if (strcmp(name, "--security") == 0) {
        for (int m = ZI_MECH_NULL; m <= ZI_MECH_CURVE; m++) {
            if (strcmp(value, MECHANISM_NAMES[m]) == 0) {
                s->mechanism = (enum zi_mechanism)m;
                return ZI_OK;
            }
        }
        return zi_fail(ZI_USAGE, "invalid value '%s' for '--security <MECH>': expected null, plain or curve", value);
    }
    if (strcmp(name, "--plain-user") == 0) s->plain_user = value;
    if (strcmp(name, "--plain-password-file") == 0) s->plain_password_file = value;
    if (strcmp(name, "--curve-keys-file") == 0) s->curve_keys_file = value;
    if (strcmp(name, "--curve-server-key") == 0) s->curve_server_key = value;
    if (strcmp(name, "--zap-allow-file") == 0) s->zap_allow_file = value;
    return ZI_OK;
}

/* A Z85 key: 40 characters that zmq_z85_decode takes. */
static bool valid_key(const char *text) {
    uint8_t bytes[32];
    return strlen(text) == 40 && zmq_z85_decode(bytes, text) != NULL;
}

static int check_key(const char *option, const char *text) {
    if (strlen(text) != 40) return zi_fail(ZI_USAGE, "%s: a Z85 key is 40 characters, not %zu", option, strlen(text));
    if (!valid_key(text)) return zi_fail(ZI_USAGE, "%s: not a Z85 key", option);
    return ZI_OK;
}

static bool printable(const char *text, bool space) {
    if (*text == '\0' || strlen(text) > 255) return false;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x21 || *p > 0x7e) {
            if (!(space && *p == ' ')) return false;
        }
    }
    return true;
}

static int check_plain(const char *option, const char *user, const char *password) {
    if (!printable(user, false)) {
        return zi_fail(ZI_USAGE, "%s: a user name is 1..=255 bytes of printable ASCII without space", option);
    }
    if (!printable(password, true)) return zi_fail(ZI_USAGE, "%s: a password is 1..=255 bytes of printable ASCII", option);
    return ZI_OK;
}

/* Reads the non-empty lines of a file (a final newline and \r before it allowed) into s->lines. */
static int read_lines(const char *option, const char *path, struct zi_security *s) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return zi_fail(ZI_USAGE, "%s %s: %s", option, path, strerror(errno));
    char line[1024];
    int rc = ZI_OK;
    while (rc == ZI_OK && fgets(line, sizeof line, f) != NULL) {
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            rc = zi_fail(ZI_USAGE, "%s %s: a line is too long", option, path);
            break;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (n == 0) continue;
        if (s->line_count == sizeof s->lines / sizeof s->lines[0]) {
            rc = zi_fail(ZI_USAGE, "%s %s: more than %zu lines", option, path, sizeof s->lines / sizeof s->lines[0]);
            break;
        }
        s->lines[s->line_count] = malloc(n + 1);
        if (s->lines[s->line_count] == NULL) {
            rc = zi_fail(ZI_ERROR, "out of memory reading %s", option);
            break;
        }
        memcpy(s->lines[s->line_count++], line, n + 1);
    }
    fclose(f);
    if (rc == ZI_OK && s->line_count == 0) rc = zi_fail(ZI_USAGE, "%s %s: the file is empty", option, path);
    return rc;
}

static int need(const struct zi_security *s, const char *option, bool present, bool server) {
    if (present) return ZI_OK;
    return zi_fail(ZI_USAGE, "--security %s needs %s on %s", MECHANISM_NAMES[s->mechanism], option,
                   server ? "the binder (server)" : "the connector (client)");
}

static int unused(const struct zi_security *s, const char *option, bool present) {
    if (!present) return ZI_OK;
    return zi_fail(ZI_USAGE, "%s does not apply to --security %s", option, MECHANISM_NAMES[s->mechanism]);
}

static void free_lines(struct zi_security *s) {
    for (size_t i = 0; i < s->line_count; i++) free(s->lines[i]);
    s->line_count = 0;
}

int zi_security_check(struct zi_security *s, bool server) {
    int rc = ZI_OK;
    s->server = server;
    if (s->curve_server_key != NULL && (rc = check_key("--curve-server-key", s->curve_server_key)) != ZI_OK) return rc;
    switch (s->mechanism) {
    case ZI_MECH_NULL:
        if ((rc = unused(s, "--plain-user", s->plain_user != NULL)) != ZI_OK) return rc;
        if ((rc = unused(s, "--plain-password-file", s->plain_password_file != NULL)) != ZI_OK) return rc;
        if ((rc = unused(s, "--curve-keys-file", s->curve_keys_file != NULL)) != ZI_OK) return rc;
        if ((rc = unused(s, "--curve-server-key", s->curve_server_key != NULL)) != ZI_OK) return rc;
        return unused(s, "--zap-allow-file", s->zap_allow_file != NULL);
    case ZI_MECH_PLAIN:
        if ((rc = unused(s, "--curve-keys-file", s->curve_keys_file != NULL)) != ZI_OK) return rc;
        if ((rc = unused(s, "--curve-server-key", s->curve_server_key != NULL)) != ZI_OK) return rc;
        if (server) {
            if ((rc = need(s, "--zap-allow-file", s->zap_allow_file != NULL, true)) != ZI_OK) return rc;
            if ((rc = read_lines("--zap-allow-file", s->zap_allow_file, s)) != ZI_OK) return rc;
            for (size_t i = 0; i < s->line_count; i++) {
                char *space = strchr(s->lines[i], ' ');
                if (space == NULL) return zi_fail(ZI_USAGE, "--zap-allow-file: a PLAIN line is `USER PASSWORD`");
                *space = '\0';
                rc = check_plain("--zap-allow-file", s->lines[i], space + 1);
                *space = ' ';
                if (rc != ZI_OK) return rc;
            }
            return ZI_OK;
        }
        if ((rc = need(s, "--plain-user", s->plain_user != NULL, false)) != ZI_OK) return rc;
        if ((rc = need(s, "--plain-password-file", s->plain_password_file != NULL, false)) != ZI_OK) return rc;
        if ((rc = read_lines("--plain-password-file", s->plain_password_file, s)) != ZI_OK) return rc;
        if (s->line_count != 1) return zi_fail(ZI_USAGE, "--plain-password-file: one line, the password");
        if ((rc = check_plain("--plain-user", s->plain_user, s->lines[0])) != ZI_OK) return rc;
        snprintf(s->password, sizeof s->password, "%s", s->lines[0]);
        free_lines(s);
        return ZI_OK;
    case ZI_MECH_CURVE:
        if ((rc = unused(s, "--plain-user", s->plain_user != NULL)) != ZI_OK) return rc;
        if ((rc = unused(s, "--plain-password-file", s->plain_password_file != NULL)) != ZI_OK) return rc;
        if ((rc = need(s, "--curve-keys-file", s->curve_keys_file != NULL, server)) != ZI_OK) return rc;
        if ((rc = read_lines("--curve-keys-file", s->curve_keys_file, s)) != ZI_OK) return rc;
        if (s->line_count != 2) {
            return zi_fail(ZI_USAGE, "--curve-keys-file: two lines, the public key then the secret key (Z85)");
        }
        if ((rc = check_key("--curve-keys-file", s->lines[0])) != ZI_OK) return rc;
        if ((rc = check_key("--curve-keys-file", s->lines[1])) != ZI_OK) return rc;
        memcpy(s->public_key, s->lines[0], 41);
        memcpy(s->secret_key, s->lines[1], 41);
        free_lines(s);
        if (server) {
            if ((rc = unused(s, "--curve-server-key", s->curve_server_key != NULL)) != ZI_OK) return rc;
            if ((rc = need(s, "--zap-allow-file", s->zap_allow_file != NULL, true)) != ZI_OK) return rc;
            if ((rc = read_lines("--zap-allow-file", s->zap_allow_file, s)) != ZI_OK) return rc;
            for (size_t i = 0; i < s->line_count; i++) {
                if ((rc = check_key("--zap-allow-file", s->lines[i])) != ZI_OK) return rc;
            }
            return ZI_OK;
        }
        if ((rc = unused(s, "--zap-allow-file", s->zap_allow_file != NULL)) != ZI_OK) return rc;
        return need(s, "--curve-server-key", s->curve_server_key != NULL, false);
    }
    return ZI_OK;
}

void zi_security_free(struct zi_security *s) {
    free_lines(s);
    memset(s->password, 0, sizeof s->password);
    memset(s->secret_key, 0, sizeof s->secret_key);
}

int zi_check_mechanism(const struct zi_options *o) {
    if (zi_has_mechanism(o->security.mechanism)) return ZI_OK;
    char reason[160];
    zi_missing_mechanism(reason, sizeof reason);
    return zi_fail(ZI_UNSUPPORTED, "%s", reason);
}

/* ---- the ZAP handler ---- */

static void *zap_thread = NULL;

/* Whether the request (credentials after the mechanism frame) is on the allow list. */
static bool admits(const struct zi_security *s, const zmq_msg_t *frames, size_t count) {
    if (s->mechanism == ZI_MECH_PLAIN && count == 8) {
        const size_t ulen = zmq_msg_size((zmq_msg_t *)&frames[6]);
        const size_t plen = zmq_msg_size((zmq_msg_t *)&frames[7]);
        for (size_t i = 0; i < s->line_count; i++) {
            const char *line = s->lines[i];
            const char *space = strchr(line, ' ');
            if (space == NULL) continue;
            if ((size_t)(space - line) == ulen && strlen(space + 1) == plen &&
                memcmp(line, zmq_msg_data((zmq_msg_t *)&frames[6]), ulen) == 0 &&
                memcmp(space + 1, zmq_msg_data((zmq_msg_t *)&frames[7]), plen) == 0) {
                return true;
            }
        }
    }
    if (s->mechanism == ZI_MECH_CURVE && count == 7 && zmq_msg_size((zmq_msg_t *)&frames[6]) == 32) {
        for (size_t i = 0; i < s->line_count; i++) {
            uint8_t key[32];
            if (zmq_z85_decode(key, s->lines[i]) != NULL &&
                memcmp(key, zmq_msg_data((zmq_msg_t *)&frames[6]), 32) == 0) {
                return true;
            }
        }
    }
    return false;
}

/* The zap line: who asked (the PLAIN user, the CURVE key in Z85; never a password). */
static void emit_zap(const struct zi_security *s, const zmq_msg_t *frames, size_t count, bool allowed) {
    char identity[300] = "";
    if (s->mechanism == ZI_MECH_PLAIN && count == 8) {
        const size_t n = zmq_msg_size((zmq_msg_t *)&frames[6]);
        snprintf(identity, sizeof identity, "%.*s", (int)(n < 255 ? n : 255), (const char *)zmq_msg_data((zmq_msg_t *)&frames[6]));
    } else if (s->mechanism == ZI_MECH_CURVE && count == 7 && zmq_msg_size((zmq_msg_t *)&frames[6]) == 32) {
        zmq_z85_encode(identity, (const uint8_t *)zmq_msg_data((zmq_msg_t *)&frames[6]), 32);
    }
    /* One formatted line, one write: the main thread's lines are not split by it. */
    char line[512];
    char escaped[400];
    size_t at = 0;
    for (const char *p = identity; *p && at + 7 < sizeof escaped; p++) {
        const unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            escaped[at++] = '\\';
            escaped[at++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            at += (size_t)snprintf(escaped + at, sizeof escaped - at, "\\u%04x", (unsigned)c);
        } else {
            escaped[at++] = (char)c;
        }
    }
    escaped[at] = '\0';
    const int n = snprintf(line, sizeof line, "{\"event\":\"zap\",\"mechanism\":\"%s\",\"identity\":\"%s\",\"allowed\":%s}\n",
                           MECHANISM_NAMES[s->mechanism], escaped, allowed ? "true" : "false");
    if (n > 0) {
        fwrite(line, 1, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, stdout);
        fflush(stdout);
    }
}

struct zap_args {
    void *socket;
    const struct zi_security *security;
};
static struct zap_args zap_args;

/* Answers ZAP requests until the context terminates (the blocked receive fails with ETERM). */
static void zap_loop(void *arg) {
    struct zap_args *a = arg;
    for (;;) {
        zmq_msg_t frames[8];
        size_t count = 0;
        bool more = true, failed = false;
        while (more) {
            zmq_msg_t part;
            zmq_msg_init(&part);
            if (zmq_msg_recv(&part, a->socket, 0) < 0) {
                zmq_msg_close(&part);
                failed = true;
                break;
            }
            more = zmq_msg_more(&part) != 0;
            if (count < 8) {
                frames[count++] = part;
            } else {
                zmq_msg_close(&part);
            }
        }
        if (failed) {
            for (size_t i = 0; i < count; i++) zmq_msg_close(&frames[i]);
            break; /* ETERM: the peer is ending */
        }
        const bool allowed = count >= 6 && admits(a->security, frames, count);
        emit_zap(a->security, frames, count, allowed);
        /* Reply: version, request id, status code, status text, user id, metadata. */
        const char *status = allowed ? "200" : "400";
        const char *text = allowed ? "OK" : "not on the allow list";
        zmq_send(a->socket, "1.0", 3, ZMQ_SNDMORE);
        if (count >= 2) {
            zmq_send(a->socket, zmq_msg_data(&frames[1]), zmq_msg_size(&frames[1]), ZMQ_SNDMORE);
        } else {
            zmq_send(a->socket, "", 0, ZMQ_SNDMORE);
        }
        zmq_send(a->socket, status, 3, ZMQ_SNDMORE);
        zmq_send(a->socket, text, strlen(text), ZMQ_SNDMORE);
        zmq_send(a->socket, allowed ? "interop" : "", allowed ? 7 : 0, ZMQ_SNDMORE);
        zmq_send(a->socket, "", 0, 0);
        for (size_t i = 0; i < count; i++) zmq_msg_close(&frames[i]);
    }
    const int linger = 0;
    zmq_setsockopt(a->socket, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close(a->socket);
}

/* Binds the ZAP endpoint and starts the handler (once per process). */
static int start_zap(void *ctx, const struct zi_security *s) {
    if (zap_thread != NULL) return ZI_OK;
    void *sock = zmq_socket(ctx, ZMQ_REP);
    if (sock == NULL) return zi_zmq_fail("zmq_socket(ZAP handler)");
    if (zmq_bind(sock, "inproc://zeromq.zap.01") != 0) {
        const int rc = zi_zmq_fail("zmq_bind(inproc://zeromq.zap.01)");
        zmq_close(sock);
        return rc;
    }
    zap_args.socket = sock;
    zap_args.security = s;
    zap_thread = zmq_threadstart(zap_loop, &zap_args);
    if (zap_thread == NULL) {
        zmq_close(sock);
        return zi_fail(ZI_ERROR, "zmq_threadstart(ZAP handler) failed");
    }
    return ZI_OK;
}

void zi_zap_join(void) {
    if (zap_thread != NULL) zmq_threadclose(zap_thread);
    zap_thread = NULL;
}

static int set_string(void *sock, int option, const char *name, const char *value) {
    if (zmq_setsockopt(sock, option, value, strlen(value)) != 0) return zi_zmq_fail(name);
    return ZI_OK;
}

int zi_secure(void *ctx, void *sock, const struct zi_options *o) {
    const struct zi_security *s = &o->security;
    const int on = 1;
    int rc = ZI_OK;
    if (s->mechanism == ZI_MECH_NULL) return ZI_OK;
    if (s->server) {
        if ((rc = start_zap(ctx, s)) != ZI_OK) return rc;
        if ((rc = set_string(sock, ZMQ_ZAP_DOMAIN, "zmq_setsockopt(ZMQ_ZAP_DOMAIN)", "interop")) != ZI_OK) return rc;
    }
    if (s->mechanism == ZI_MECH_PLAIN) {
        if (s->server) {
            if (zmq_setsockopt(sock, ZMQ_PLAIN_SERVER, &on, sizeof on) != 0) return zi_zmq_fail("zmq_setsockopt(ZMQ_PLAIN_SERVER)");
            return ZI_OK;
        }
        if ((rc = set_string(sock, ZMQ_PLAIN_USERNAME, "zmq_setsockopt(ZMQ_PLAIN_USERNAME)", s->plain_user)) != ZI_OK) return rc;
        return set_string(sock, ZMQ_PLAIN_PASSWORD, "zmq_setsockopt(ZMQ_PLAIN_PASSWORD)", s->password);
    }
    if (s->server) {
        if (zmq_setsockopt(sock, ZMQ_CURVE_SERVER, &on, sizeof on) != 0) return zi_zmq_fail("zmq_setsockopt(ZMQ_CURVE_SERVER)");
        return set_string(sock, ZMQ_CURVE_SECRETKEY, "zmq_setsockopt(ZMQ_CURVE_SECRETKEY)", s->secret_key);
    }
    if ((rc = set_string(sock, ZMQ_CURVE_SERVERKEY, "zmq_setsockopt(ZMQ_CURVE_SERVERKEY)", s->curve_server_key)) != ZI_OK) {
        return rc;
    }
    if ((rc = set_string(sock, ZMQ_CURVE_PUBLICKEY, "zmq_setsockopt(ZMQ_CURVE_PUBLICKEY)", s->public_key)) != ZI_OK) return rc;
    return set_string(sock, ZMQ_CURVE_SECRETKEY, "zmq_setsockopt(ZMQ_CURVE_SECRETKEY)", s->secret_key);
}
