/* Compiled by ctest capi.headers_c11 (gcc -std=c11 -Wall -Wextra -pedantic -Werror) and
 * capi.headers_cxx (the same file as C++17): the public C headers, and a little use of them, are
 * clean in both languages. Included twice to prove the include guards. */
#include "streamalloc.h"
#include "streamalloc.h"
#include "streamalloc_mpi.h"
#include "streamalloc_mpi.h"

int check_headers(void);

int check_headers(void) {
  streamalloc_seedseq* seq = NULL;
  streamalloc_bitgen* gen = NULL;
  double x[4];
  streamalloc_allocator_options options;
  streamalloc_claim_options details;
  int status = streamalloc_seedseq_create("12345", NULL, 0, 0, &seq);
  status |= streamalloc_bitgen_create(STREAMALLOC_PHILOX, seq, &gen);
  status |= streamalloc_bitgen_fill_normal(gen, 0.0, 1.0, x, 4);
  status |= streamalloc_allocator_options_init(&options);
  status |= streamalloc_claim_options_init(&details);
  status |= streamalloc_bitgen_free(gen);
  status |= streamalloc_seedseq_free(seq);
  return status == STREAMALLOC_OK ? 0 : 1;
}
