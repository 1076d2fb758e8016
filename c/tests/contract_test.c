/* contract_test.c: the pure parts of c/contract.c, checked without sockets: option parsing
 * (the new options' ranges, the --pause-after/--exit-with-stdin conflict, defaults), the case
 * names and which role plays which, the frames line's encoding, and case topics' counts.
 *
 *   cc -std=c11 -Wall -Wextra -Werror -pedantic -o contract_test c/tests/contract_test.c c/contract.c \
 *      $(pkg-config --cflags --libs libzmq)
 *   ./contract_test
 *
 * Prints one line per failed check and a summary; exit 0 when everything passes. The usage
 * errors it provokes print their `error:` lines on stderr, as they should. */
#include "../contract.h" /* first: it sets up stdio for MinGW */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        checks++;                                                                                                      \
        if (!(cond)) {                                                                                                 \
            failures++;                                                                                                \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                                \
            printf(__VA_ARGS__);                                                                                       \
            putchar('\n');                                                                                             \
        }                                                                                                              \
    } while (0)

/* zi_parse of a NULL-terminated argument list (program name first); options freed. */
static int parse(struct zi_options *o, const char *const *args) {
    char *argv[32];
    int argc = 0;
    while (args[argc] != NULL && argc < 31) {
        argv[argc] = (char *)(uintptr_t)args[argc]; /* zi_parse does not write to them */
        argc++;
    }
    argv[argc] = NULL;
    const int rc = zi_parse(argc, argv, o);
    zi_options_free(o);
    return rc;
}

#define ARGS(...) ((const char *const[]){"c-peer", __VA_ARGS__, NULL})

static void options(void) {
    struct zi_options o;
    CHECK(parse(&o, ARGS("req", "--endpoint", "tcp://127.0.0.1:1")) == ZI_OK, "a plain req parses");
    CHECK(strcmp(o.case_name, "array") == 0 && o.play_case == ZI_CASE_ARRAY, "req defaults to array");
    CHECK(o.heartbeat_ivl_ms == 100 && o.silence_ms == 1500, "heartbeat defaults 100 ms, silence 1500 ms");
    CHECK(!o.has_pause_after && !o.exit_with_stdin, "no pause, no stdin watch by default");
    CHECK(parse(&o, ARGS("sub", "--endpoint", "tcp://127.0.0.1:1")) == ZI_OK && o.play_case == ZI_CASE_FANCYHW,
          "sub defaults to fancyhw");
    CHECK(parse(&o, ARGS("pub", "--endpoint", "tcp://127.0.0.1:1", "--case", "topics")) == ZI_OK &&
              o.play_case == ZI_CASE_TOPICS,
          "pub takes --case");
    CHECK(parse(&o, ARGS("rep", "--endpoint", "tcp://127.0.0.1:1", "--case=no-such")) == ZI_OK &&
              o.play_case == ZI_CASE_UNKNOWN && strcmp(o.case_name, "no-such") == 0,
          "an unknown case parses (exit 4 comes later, not exit 2)");

    /* The new options' ranges, at both ends and one past. */
    static const struct {
        const char *name, *value;
        int rc;
    } ranges[] = {
        {"--pause-after", "1", ZI_OK},          {"--pause-after", "2147483647", ZI_OK},
        {"--pause-after", "0", ZI_USAGE},       {"--pause-after", "2147483648", ZI_USAGE},
        {"--pause-after", "-1", ZI_USAGE},      {"--pause-after", "1x", ZI_USAGE},
        {"--heartbeat-ivl-ms", "1", ZI_OK},     {"--heartbeat-ivl-ms", "60000", ZI_OK},
        {"--heartbeat-ivl-ms", "0", ZI_USAGE},  {"--heartbeat-ivl-ms", "60001", ZI_USAGE},
        {"--silence-ms", "0", ZI_OK},           {"--silence-ms", "-0", ZI_OK},
        {"--silence-ms", "3600000", ZI_OK},     {"--silence-ms", "3600001", ZI_USAGE},
        {"--silence-ms", "", ZI_USAGE},         {"--silence-ms", "1_000", ZI_USAGE},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        const int rc = parse(&o, ARGS("req", "--endpoint", "tcp://127.0.0.1:1", ranges[i].name, ranges[i].value));
        CHECK(rc == ranges[i].rc, "%s %s: %d, expected %d", ranges[i].name, ranges[i].value, rc, ranges[i].rc);
    }
    CHECK(parse(&o, ARGS("req", "--endpoint", "tcp://127.0.0.1:1", "--pause-after=7", "--heartbeat-ivl-ms", "250",
                         "--silence-ms", "10")) == ZI_OK &&
              o.has_pause_after && o.pause_after == 7 && o.heartbeat_ivl_ms == 250 && o.silence_ms == 10,
          "the values are kept");
    CHECK(parse(&o, ARGS("thr-pull", "--endpoint", "tcp://127.0.0.1:1", "--exit-with-stdin")) == ZI_OK &&
              o.exit_with_stdin,
          "--exit-with-stdin for a benchmark role");
    CHECK(parse(&o, ARGS("req", "--endpoint", "tcp://127.0.0.1:1", "--exit-with-stdin=1")) == ZI_USAGE,
          "--exit-with-stdin takes no value");
    CHECK(parse(&o, ARGS("req", "--endpoint", "tcp://127.0.0.1:1", "--pause-after", "2", "--exit-with-stdin")) ==
              ZI_USAGE,
          "--pause-after with --exit-with-stdin is a usage error");
    CHECK(parse(&o, ARGS("sub", "--exit-with-stdin", "--endpoint", "tcp://127.0.0.1:1", "--pause-after", "2")) ==
              ZI_USAGE,
          "... in either order, whatever the role");
}

static void cases(void) {
    static const char *const names[] = {"fancyhw", "burst",  "multipart", "empty", "topics",
                                        "reconnect", "array", "hello",    "large", "heartbeat"};
    CHECK(sizeof names / sizeof names[0] == ZI_CASE_COUNT - 1, "every case named");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const enum zi_case c = zi_case_from_name(names[i]);
        CHECK(c != ZI_CASE_UNKNOWN && strcmp(zi_case_name(c), names[i]) == 0, "case %s round-trips", names[i]);
    }
    CHECK(zi_case_from_name("mismatch") == ZI_CASE_UNKNOWN, "mismatch is the harness's, played by no role");
    CHECK(zi_case_from_name("Hello") == ZI_CASE_UNKNOWN && zi_case_from_name("") == ZI_CASE_UNKNOWN,
          "names are exact");

    /* Which role plays which: the contract's "Cases". */
    static const char *const pubsub = " fancyhw burst multipart empty topics reconnect ";
    static const char *const reqrep = " array hello large multipart empty reconnect heartbeat ";
    for (int c = ZI_CASE_FANCYHW; c < ZI_CASE_COUNT; c++) {
        char word[32];
        snprintf(word, sizeof word, " %s ", zi_case_name((enum zi_case)c));
        const bool in_pubsub = strstr(pubsub, word) != NULL, in_reqrep = strstr(reqrep, word) != NULL;
        CHECK(zi_role_plays(ZI_PUB, (enum zi_case)c) == in_pubsub, "pub and %s", word);
        CHECK(zi_role_plays(ZI_SUB, (enum zi_case)c) == in_pubsub, "sub and %s", word);
        CHECK(zi_role_plays(ZI_REQ, (enum zi_case)c) == in_reqrep, "req and %s", word);
        CHECK(zi_role_plays(ZI_REP, (enum zi_case)c) == in_reqrep, "rep and %s", word);
        CHECK(!zi_role_plays(ZI_THR_PULL, (enum zi_case)c), "benchmark roles play no case");
        CHECK(zi_case_prints_frames((enum zi_case)c) == (c == ZI_CASE_MULTIPART || c == ZI_CASE_EMPTY),
              "frames lines for %s", word);
    }
    CHECK(!zi_role_plays(ZI_SUB, ZI_CASE_UNKNOWN), "an unknown case is played by nobody");
    CHECK(zi_case_default_for(ZI_PUB) == ZI_CASE_FANCYHW && zi_case_default_for(ZI_SUB) == ZI_CASE_FANCYHW &&
              zi_case_default_for(ZI_REQ) == ZI_CASE_ARRAY && zi_case_default_for(ZI_REP) == ZI_CASE_ARRAY,
          "defaults per role");

    struct zi_options o;
    CHECK(parse(&o, ARGS("sub", "--endpoint", "tcp://127.0.0.1:1", "--case", "array")) == ZI_OK &&
              zi_check_case(&o) == ZI_UNSUPPORTED,
          "sub --case array: exit 4");
    CHECK(parse(&o, ARGS("req", "--endpoint", "tcp://127.0.0.1:1", "--case", "topics")) == ZI_OK &&
              zi_check_case(&o) == ZI_UNSUPPORTED,
          "req --case topics: exit 4");
    CHECK(parse(&o, ARGS("lat-req", "--endpoint", "tcp://127.0.0.1:1", "--case", "nope")) == ZI_OK &&
              zi_check_case(&o) == ZI_OK,
          "a benchmark role ignores --case");
}

/* What zi_write_frames writes for these frames, read back. */
static char *frames_line(uint64_t seq, const unsigned char *const *parts, const size_t *sizes, size_t n) {
    struct zi_frames f;
    zi_frames_init(&f);
    f.parts = malloc(n * sizeof *f.parts);
    if (f.parts == NULL) return NULL;
    f.capacity = n;
    for (size_t i = 0; i < n; i++) {
        zmq_msg_init_size(&f.parts[i], sizes[i]);
        if (sizes[i] > 0) memcpy(zmq_msg_data(&f.parts[i]), parts[i], sizes[i]);
        f.count++;
    }
    FILE *out = tmpfile();
    char *text = NULL;
    if (out != NULL) {
        zi_write_frames(out, seq, &f);
        const long size = ftell(out);
        rewind(out);
        text = size >= 0 ? calloc((size_t)size + 1, 1) : NULL;
        if (text != NULL && fread(text, 1, (size_t)size, out) != (size_t)size) text[0] = '\0';
        fclose(out);
    }
    zi_frames_close(&f);
    return text;
}

static void frames(void) {
    /* The contract's example. */
    const unsigned char fancy[] = "fancy", ff[] = {0x01, 0xff};
    const unsigned char *const parts[] = {fancy, (const unsigned char *)"", ff};
    const size_t sizes[] = {5, 0, 2};
    char *line = frames_line(0, parts, sizes, 3);
    CHECK(line != NULL && strcmp(line, "{\"seq\":0,\"frames\":[\"66616e6379\",\"\",\"01ff\"]}\n") == 0,
          "the contract's example, got %s", line ? line : "nothing");
    free(line);
    line = frames_line(7, parts + 1, sizes + 1, 1);
    CHECK(line != NULL && strcmp(line, "{\"seq\":7,\"frames\":[\"\"]}\n") == 0, "one empty frame, got %s",
          line ? line : "nothing");
    free(line);

    /* A frame longer than the hex writer's chunk: every byte, lowercase, in order. */
    enum { BIG = 5000 };
    unsigned char *big = malloc(BIG);
    if (big == NULL) return;
    for (size_t i = 0; i < BIG; i++) big[i] = (unsigned char)(i * 7);
    const unsigned char *const one[] = {big};
    const size_t big_size[] = {BIG};
    line = frames_line(1, one, big_size, 1);
    bool same = line != NULL && strncmp(line, "{\"seq\":1,\"frames\":[\"", 20) == 0 && strlen(line) == 20 + 2 * BIG + 4;
    for (size_t i = 0; same && i < BIG; i++) {
        char hex[3];
        snprintf(hex, sizeof hex, "%02x", (unsigned)big[i]);
        same = line[20 + 2 * i] == hex[0] && line[21 + 2 * i] == hex[1];
    }
    CHECK(same, "a %d-byte frame in hex", BIG);
    free(line);
    free(big);
}

static void topics_counts(void) {
    uint64_t first = 0, second = 0;
    for (uint64_t count = 1; count <= 300; count++) {
        uint64_t want_first = 0, want_second = 0;
        for (uint64_t i = 0; i < 2 * count; i++) {
            if (i < count && i % 3 != 2) want_first++;
            if (i >= count && i % 3 == 0) want_second++;
        }
        zi_topics_counts(count, &first, &second);
        CHECK(first == want_first && second == want_second, "topics --count %llu: %llu+%llu, expected %llu+%llu",
              (unsigned long long)count, (unsigned long long)first, (unsigned long long)second,
              (unsigned long long)want_first, (unsigned long long)want_second);
    }
    zi_topics_counts(1, &first, &second);
    CHECK(first == 1 && second == 0, "--count 1 has no second half");
    zi_topics_counts(ZI_COUNT_MAX, &first, &second);
    /* 2147483647 = 3 * 715827882 + 1: i mod 3 == 2 for 715827882 of i < count; multiples of 3
     * in [count, 2 count): (2 count + 2) / 3 - (count + 2) / 3. */
    CHECK(first == 2147483647ull - 715827882ull && second == 1431655765ull - 715827883ull,
          "--count 2147483647: %llu+%llu", (unsigned long long)first, (unsigned long long)second);
}

int main(void) {
    options();
    cases();
    frames();
    topics_counts();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
