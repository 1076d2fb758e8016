/* fakehw_test.c: checks c/fakehw.h against testdata/glibc-rand.json (outputs of glibc's own
 * rand()) and, where the C library is glibc, against rand() itself.
 *
 *   fakehw_test testdata/glibc-rand.json      exit 0 when every value matches */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fakehw.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    size_t n;
    while (text != NULL && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(text, cap * 2);
            if (bigger == NULL) {
                free(text);
                text = NULL;
                break;
            }
            text = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (text != NULL) text[len] = '\0';
    return text;
}

/* Checks one seed's array, which starts at `p` (just after '['); returns the failures. */
static int check_seed(uint32_t seed, const char **p) {
    struct fakehw hw;
    fakehw_seed(&hw, seed);
    struct fakehw samples;
    fakehw_seed(&samples, seed);
#ifdef __GLIBC__
    srand(seed);
#endif
    int failures = 0, count = 0;
    while (**p && **p != ']') {
        char *end = NULL;
        unsigned long long want = strtoull(*p, &end, 10);
        if (end == *p) break;
        *p = end;
        while (**p == ',' || **p == ' ' || **p == '\n') (*p)++;
        uint32_t got = fakehw_rand(&hw);
        int16_t sample = fakehw_read_sample(&samples);
        int16_t want_sample = (int16_t)((int32_t)(want & 0xffffu) - ((want & 0x8000u) ? 0x10000 : 0));
        if (got != want || sample != want_sample) {
            if (failures++ < 3) printf("seed %lu, output %d: expected %llu, got %lu\n", (unsigned long)seed, count, want, (unsigned long)got);
        }
#ifdef __GLIBC__
        if ((uint32_t)rand() != got && failures++ < 3) printf("seed %lu, output %d: glibc rand() differs\n", (unsigned long)seed, count);
#endif
        count++;
    }
    printf("seed %lu: %d outputs, %s\n", (unsigned long)seed, count, failures ? "MISMATCH" : "ok");
    return count == 0 ? 1 : failures;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: fakehw_test testdata/glibc-rand.json\n");
        return 2;
    }
    char *text = read_file(argv[1]);
    if (text == NULL) {
        fprintf(stderr, "error: cannot read %s\n", argv[1]);
        return 2;
    }
    const char *p = strstr(text, "\"seeds\"");
    if (p != NULL) p = strchr(p, '{');
    int failures = 0, seeds = 0;
    while (p != NULL && (p = strchr(p + 1, '"')) != NULL) {
        char *end = NULL;
        unsigned long long seed = strtoull(p + 1, &end, 10);
        if (end == p + 1 || *end != '"') break;
        p = strchr(end, '[');
        if (p == NULL) break;
        p++;
        failures += check_seed((uint32_t)seed, &p);
        seeds++;
    }
    free(text);
    if (seeds < 5) {
        fprintf(stderr, "error: expected several seeds in %s, found %d\n", argv[1], seeds);
        return 1;
    }
#ifdef __GLIBC__
    printf("%d seeds checked against the vectors and against glibc's rand()\n", seeds);
#else
    printf("%d seeds checked against the vectors (not glibc: rand() itself not compared)\n", seeds);
#endif
    return failures ? 1 : 0;
}
