/* fakehw_test.c: checks c/fakehw.h against testdata/glibc-rand.json (outputs of glibc's own
 * rand() after srand(seed)) and, where the C library is glibc, against rand() itself.
 *
 *   fakehw_test testdata/glibc-rand.json
 *
 * For every seed and every output: fancyhw_rand() equals the vector; fancyhw_read_sample() and
 * the classic fancyhw_read_val() equal (int16_t) of it; fancyhw_read_f64() equals it / 2^31.
 * Prints one line per seed; exit 0 when everything matches, 1 otherwise (2: bad input). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fakehw.h"

#ifdef __GLIBC__
#define PLATFORM_RAND 1 /* glibc's rand() is the reference itself */
#else
#define PLATFORM_RAND 0
#endif

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 1u << 16, len = 0;
    char *text = malloc(cap);
    while (text != NULL) {
        const size_t n = fread(text + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) break;
        if (len + 1 == cap) {
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
    const int failed = ferror(f);
    fclose(f);
    if (text == NULL) return NULL;
    if (failed) {
        free(text);
        return NULL;
    }
    text[len] = '\0';
    return text;
}

static const char *skip_space(const char *p) {
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
    return p;
}

/* An unsigned decimal at *p (after blanks); advances *p. Returns 0 when there is none. */
static int read_number(const char **p, unsigned long long *out) {
    const char *start = skip_space(*p);
    char *end = NULL;
    if (*start < '0' || *start > '9') return 0;
    *out = strtoull(start, &end, 10);
    *p = end;
    return 1;
}

/* (int16_t) of a rand() output, without an implementation-defined conversion. */
static int16_t low16(unsigned long long value) {
    const int32_t low = (int32_t)(value & 0xffffu);
    return (int16_t)(low >= 0x8000 ? low - 0x10000 : low);
}

/* Checks one seed's array, *p just past its '['; advances *p past the ']'. Returns the number
 * of failures (an array that is not `count` numbers counts as one). */
static unsigned long check_seed(unsigned long long seed, const char **p, unsigned long long count) {
    struct fancyhw words, samples, floats;
    fancyhw_seed(&words, (uint32_t)seed);
    fancyhw_seed(&samples, (uint32_t)seed);
    fancyhw_seed(&floats, (uint32_t)seed);
    fancyhw_init((unsigned)seed);
#if PLATFORM_RAND
    srand((unsigned)seed);
#endif
    unsigned long failures = 0, n = 0;
    unsigned long long want = 0;
    while (read_number(p, &want)) {
        const uint32_t got = fancyhw_rand(&words);
        const int16_t sample = fancyhw_read_sample(&samples);
        const int16_t val = fancyhw_read_val();
        const double f64 = fancyhw_read_f64(&floats);
#if PLATFORM_RAND
        const unsigned long long platform = (unsigned long long)rand(); /* every time: stays in step */
#endif
        const char *what = NULL;
        if (got != want) {
            what = "fancyhw_rand";
        } else if (sample != low16(want) || val != low16(want)) {
            what = "fancyhw_read_sample/fancyhw_read_val";
        } else if (f64 != (double)want / 2147483648.0) {
            what = "fancyhw_read_f64";
        }
#if PLATFORM_RAND
        if (what == NULL && platform != want) what = "glibc's rand() (the vectors differ from it)";
#endif
        if (what != NULL && failures++ < 3) {
            printf("  seed %llu, output %lu: %s differs: expected %llu, fancyhw_rand gave %lu\n", seed, n, what, want,
                   (unsigned long)got);
        }
        n++;
        *p = skip_space(*p);
        if (**p == ',') (*p)++;
    }
    *p = skip_space(*p);
    if (**p != ']') {
        printf("seed %llu: the vector is not a list of numbers\n", seed);
        return failures + 1;
    }
    (*p)++;
    if (n != count) {
        printf("seed %llu: %lu outputs, expected %llu\n", seed, n, count);
        failures++;
    }
    printf("seed %llu: %lu outputs, %s\n", seed, n, failures ? "MISMATCH" : "ok");
    return failures;
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
    /* {"source": "...", "count": N, "seeds": {"S": [n, ...], ...}} */
    unsigned long long count = 0;
    const char *p = strstr(text, "\"count\"");
    if (p != NULL) p = strchr(p, ':');
    if (p != NULL) p++;
    if (p == NULL || !read_number(&p, &count) || count == 0) {
        fprintf(stderr, "error: no \"count\" in %s\n", argv[1]);
        free(text);
        return 2;
    }
    p = strstr(text, "\"seeds\"");
    if (p != NULL) p = strchr(p, '{');
    unsigned long failures = 0, seeds = 0;
    while (p != NULL) {
        p = skip_space(p + 1); /* past '{' or ',' */
        if (*p != '"') break;
        unsigned long long seed = 0;
        p++;
        if (!read_number(&p, &seed) || *p != '"' || seed > UINT32_MAX) {
            fprintf(stderr, "error: a seed key in %s is not a number in 0..=4294967295\n", argv[1]);
            free(text);
            return 2;
        }
        p = skip_space(p + 1);
        if (*p != ':' || *(p = skip_space(p + 1)) != '[') break;
        p++;
        failures += check_seed(seed, &p, count);
        seeds++;
        p = skip_space(p);
        if (*p != ',') break;
    }
    free(text);
    if (seeds < 5) {
        fprintf(stderr, "error: expected several seeds in %s, found %lu\n", argv[1], seeds);
        return 1;
    }
    printf("%lu seeds of %llu outputs checked against the vectors%s: %s\n", seeds, count,
           PLATFORM_RAND ? " and against glibc's rand()" : " (not glibc: rand() itself not compared)",
           failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
