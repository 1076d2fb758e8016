/* Regenerates testdata/glibc-rand.json from glibc's own rand(), the truth fakehw is checked against.
 *
 *   gcc -O2 -o /tmp/gen-glibc-rand scripts/gen-glibc-rand.c && /tmp/gen-glibc-rand > testdata/glibc-rand.json
 *
 * The seeds cover glibc's special case (0 behaves as 1), a seed past INT32_MAX (the seeding LCG
 * then starts from a negative word) and the largest unsigned seed. 1000 outputs per seed reach
 * well past the 310 discarded outputs and the 34-word table, so every lag is exercised. */
#include <stdio.h>
#include <stdlib.h>

#ifndef __GLIBC__
#error "the vectors must come from glibc's rand(); build this on a glibc system"
#endif

enum { OUTPUTS_PER_SEED = 1000 };

int main(void) {
  static const unsigned seeds[] = {0u, 1u, 42u, 12345u, 2147483647u, 2147483648u, 4294967295u};
  const size_t n_seeds = sizeof seeds / sizeof seeds[0];
  printf("{\n  \"source\": \"glibc rand() after srand(seed)\",\n  \"count\": %d,\n  \"seeds\": {\n",
         OUTPUTS_PER_SEED);
  for (size_t s = 0; s < n_seeds; s++) {
    srand(seeds[s]);
    printf("    \"%u\": [", seeds[s]);
    for (int i = 0; i < OUTPUTS_PER_SEED; i++) printf("%s%d", i ? "," : "", rand());
    printf("]%s\n", s + 1 < n_seeds ? "," : "");
  }
  printf("  }\n}\n");
  return 0;
}
