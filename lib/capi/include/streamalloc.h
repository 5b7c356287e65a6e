/* streamalloc.h — the C API of streamalloc's serial library (target streamalloc::c,
 * pkg-config streamalloc-c).
 *
 * What it gives a C (or Fortran, or any FFI) program: NumPy 1.24's SeedSequence, its five bit
 * generators (PCG64, PCG64DXSM, Philox, SFC64, MT19937) and every numpy.random.Generator
 * distribution the C++ library draws, bit for bit; stream sets (Theano-style random variables,
 * snapshot and restore); campaigns (one root seed, one strategy: every stream of a parallel run
 * derived from it); and `audit` of run records (manifests). The MPI part — runtimes, allocators
 * that claim streams, the collective verify() and the run record — is in streamalloc_mpi.h
 * (target streamalloc::c_mpi, pkg-config streamalloc-c-mpi).
 *
 * Conventions (every function):
 *   - Returns a status: STREAMALLOC_OK (0) or one error code per kind of failure below; results
 *     come back through out-parameters, written only on success. No C++ exception ever crosses
 *     this boundary.
 *   - On failure, streamalloc_last_error() returns this thread's message naming the function,
 *     the bad value and what was expected; a successful call clears it.
 *   - Handles are opaque pointers, created by *_create (or by calls that hand out new objects)
 *     and released by the matching *_free. Every call checks each handle it is given: a null
 *     handle, a handle of another kind (a bit generator where a seed sequence is expected), and
 *     a handle already freed give STREAMALLOC_ERR_INVALID_ARGUMENT, never a crash. (Freed
 *     handles are recognised reliably for the 4096 frees that follow; an address reused after
 *     that by a new handle of the same kind cannot be told from it, as with any pointer.)
 *     *_free(NULL) does nothing and returns STREAMALLOC_OK; freeing twice is an error.
 *   - Counts are int64_t; a negative count is STREAMALLOC_ERR_INVALID_ARGUMENT. Output arrays
 *     must hold the count given; a null array with a positive count is an error.
 *   - Text out: (char* buf, int64_t capacity, int64_t* length). *length receives the text's
 *     length without the terminating NUL. The text is written, NUL-terminated, when capacity >
 *     length; buf == NULL with capacity 0 only asks for the length (STREAMALLOC_OK); any other
 *     too-short buffer is STREAMALLOC_ERR_INVALID_ARGUMENT (and *length is still set).
 *   - 128-bit quantities (advance distances, jump counts, Philox keys, budgets) are two words,
 *     low first, or decimal/0x-hex text of any size where the function says so.
 *
 * Bit-exactness: every value drawn equals NumPy 1.24's for the same seed, generator and call
 * (the NumPy expression is named at each function). Real-valued distributions also assume the
 * C library's libm is the one NumPy uses (see streamalloc/distributions.hpp).
 * Thread safety: distinct handles may be used from distinct threads at once; one handle must not
 * be used from two threads at once (generators are not thread-safe). The error message is per
 * thread. Nothing in this header is MPI-collective.
 * Stability: part of streamalloc's public ABI; 0.x versions may change it between minor versions.
 */
#ifndef STREAMALLOC_H
#define STREAMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes and errors ------------------------------------------------------------- */

typedef int streamalloc_status;

enum {
  STREAMALLOC_OK = 0,
  /* A malformed or out-of-range argument: bad seed text, bad handle, negative count, too-short
   * buffer, invalid distribution parameter (where NumPy raises ValueError), ... */
  STREAMALLOC_ERR_INVALID_ARGUMENT = 1,
  /* A stream was taken twice, or verify found reuse (streamalloc_verdict_require_clean). */
  STREAMALLOC_ERR_REUSE = 2,
  /* An MPI call failed, or another rank failed inside a collective call. */
  STREAMALLOC_ERR_MPI = 3,
  /* A file could not be read or written, or its contents are corrupt. */
  STREAMALLOC_ERR_IO = 4,
  STREAMALLOC_ERR_OUT_OF_MEMORY = 5,
  /* A bug in streamalloc (an unexpected exception); please report the message. */
  STREAMALLOC_ERR_INTERNAL = 6
};

/* This thread's message for the last call that failed ("" after a successful call). Valid until
 * the thread's next streamalloc call. Never NULL. */
const char* streamalloc_last_error(void);
/* "STREAMALLOC_OK", "STREAMALLOC_ERR_REUSE", ...; "unknown status" for other values. */
const char* streamalloc_status_name(streamalloc_status status);
/* The library's version, "MAJOR.MINOR.PATCH". */
const char* streamalloc_version(void);

/* ---- seed sequences: numpy.random.SeedSequence ------------------------------------------- */

typedef struct streamalloc_seedseq streamalloc_seedseq;

/* SeedSequence(entropy, spawn_key=spawn_key, pool_size=pool_size). `entropy` is text: one
 * integer of any size in decimal or 0x-hex ("12345", "0x8c3c010cb4754c905776bdac5ee7501") or a
 * comma-separated list of them ("1,2,0x3"), NumPy's SeedSequence([1, 2, 3]). spawn_key may be
 * NULL when spawn_key_len is 0. pool_size 0 means NumPy's default, 4; otherwise >= 4. */
streamalloc_status streamalloc_seedseq_create(const char* entropy, const uint64_t* spawn_key,
                                              int64_t spawn_key_len, int64_t pool_size,
                                              streamalloc_seedseq** out);
/* The same with the entropy as a list of words: SeedSequence([w0, w1, ...]) with Python ints
 * (for 64-bit words this is NOT np.array(words, dtype=np.uint64), which NumPy splits into two
 * 32-bit words each). n_words >= 0 (an empty list is allowed, as in NumPy). */
streamalloc_status streamalloc_seedseq_create_u32(const uint32_t* words, int64_t n_words,
                                                  const uint64_t* spawn_key, int64_t spawn_key_len,
                                                  int64_t pool_size, streamalloc_seedseq** out);
streamalloc_status streamalloc_seedseq_create_u64(const uint64_t* words, int64_t n_words,
                                                  const uint64_t* spawn_key, int64_t spawn_key_len,
                                                  int64_t pool_size, streamalloc_seedseq** out);
streamalloc_status streamalloc_seedseq_free(streamalloc_seedseq* seq);

/* seq.spawn(n): n new handles in children[0..n-1] (each to be freed), spawn keys
 * spawn_key + (n_children_spawned + i,); advances seq's child counter by n. */
streamalloc_status streamalloc_seedseq_spawn(streamalloc_seedseq* seq, int64_t n,
                                             streamalloc_seedseq** children);
/* seq.generate_state(n, np.uint32) / generate_state(n, np.uint64). Does not change seq. */
streamalloc_status streamalloc_seedseq_generate_state_u32(const streamalloc_seedseq* seq,
                                                          uint32_t* out, int64_t n);
streamalloc_status streamalloc_seedseq_generate_state_u64(const streamalloc_seedseq* seq,
                                                          uint64_t* out, int64_t n);
/* seq.n_children_spawned, len(seq.spawn_key), seq.pool_size. */
streamalloc_status streamalloc_seedseq_n_children_spawned(const streamalloc_seedseq* seq,
                                                          uint64_t* out);
/* seq.spawn_key into key[0..capacity-1] (entries beyond 2^64 - 1 are refused);
 * *length = len(spawn_key). capacity may be smaller only when key is NULL and capacity 0. */
streamalloc_status streamalloc_seedseq_spawn_key(const streamalloc_seedseq* seq, uint64_t* key,
                                                 int64_t capacity, int64_t* length);
/* json.dumps(seq.state): {"entropy": ..., "spawn_key": [...], "pool_size": 4,
 * "n_children_spawned": 0}. Text out (see the conventions). */
streamalloc_status streamalloc_seedseq_state_json(const streamalloc_seedseq* seq, char* buf,
                                                  int64_t capacity, int64_t* length);

/* ---- bit generators: one handle for NumPy's five ----------------------------------------- */

typedef struct streamalloc_bitgen streamalloc_bitgen;

/* Generator families, numbered as the C++ bit_generator_kind. */
enum {
  STREAMALLOC_PCG64 = 0,     /* numpy.random.PCG64 */
  STREAMALLOC_PCG64DXSM = 1, /* numpy.random.PCG64DXSM */
  STREAMALLOC_PHILOX = 2,    /* numpy.random.Philox (4x64-10) */
  STREAMALLOC_SFC64 = 3,     /* numpy.random.SFC64: no advance, no jumped */
  STREAMALLOC_MT19937 = 4    /* numpy.random.MT19937: jumped, no advance */
};

/* <Kind>(seq), e.g. numpy.random.PCG64(seq). */
streamalloc_status streamalloc_bitgen_create(int kind, const streamalloc_seedseq* seq,
                                             streamalloc_bitgen** out);
/* numpy.random.Philox(key=K, counter=C): key as 2 words and counter as 4 words, least
 * significant first; counter may be NULL (0). */
streamalloc_status streamalloc_bitgen_create_philox(const uint64_t key[2], const uint64_t* counter,
                                                    streamalloc_bitgen** out);
/* The same from decimal or 0x-hex text (counter NULL or "" for 0); key < 2^128, counter < 2^256. */
streamalloc_status streamalloc_bitgen_create_philox_str(const char* key, const char* counter,
                                                        streamalloc_bitgen** out);
/* The generator NumPy's state dict describes (json.dumps(bitgen.state), arrays as lists); its
 * "bit_generator" field picks the family. */
streamalloc_status streamalloc_bitgen_create_from_state_json(const char* json,
                                                             streamalloc_bitgen** out);
/* An independent copy in the same state. */
streamalloc_status streamalloc_bitgen_copy(const streamalloc_bitgen* gen, streamalloc_bitgen** out);
streamalloc_status streamalloc_bitgen_free(streamalloc_bitgen* gen);

/* The family (STREAMALLOC_PCG64, ...). */
streamalloc_status streamalloc_bitgen_kind(const streamalloc_bitgen* gen, int* kind);

/* Single draws: next_uint64, next_uint32 (NumPy's buffered halves), next_double
 * (Generator.random()). */
streamalloc_status streamalloc_bitgen_next64(streamalloc_bitgen* gen, uint64_t* out);
streamalloc_status streamalloc_bitgen_next32(streamalloc_bitgen* gen, uint32_t* out);
streamalloc_status streamalloc_bitgen_next_double(streamalloc_bitgen* gen, double* out);
/* Bulk draws, equal to n single draws of the above. */
streamalloc_status streamalloc_bitgen_fill_u64(streamalloc_bitgen* gen, uint64_t* out, int64_t n);
streamalloc_status streamalloc_bitgen_fill_u32(streamalloc_bitgen* gen, uint32_t* out, int64_t n);
streamalloc_status streamalloc_bitgen_fill_double(streamalloc_bitgen* gen, double* out, int64_t n);
/* bitgen.random_raw(n): 64-bit words, or for MT19937 one 32-bit draw per word. */
streamalloc_status streamalloc_bitgen_fill_raw(streamalloc_bitgen* gen, uint64_t* out, int64_t n);

/* bitgen.advance(delta) for delta = delta_hi * 2^64 + delta_lo (PCG64, PCG64DXSM: draws mod
 * 2^128; Philox: counter blocks). SFC64 and MT19937 have no advance: invalid argument. */
streamalloc_status streamalloc_bitgen_advance(streamalloc_bitgen* gen, uint64_t delta_lo,
                                              uint64_t delta_hi);
/* The same with the distance as text of any size; a leading '-' goes back (advance(-d)). */
streamalloc_status streamalloc_bitgen_advance_str(streamalloc_bitgen* gen, const char* delta);
/* bitgen.jumped(jumps) as a new handle, jumps = jumps_hi * 2^64 + jumps_lo (SFC64: invalid
 * argument; MT19937 refuses counts of 2^63 and more, as NumPy). */
streamalloc_status streamalloc_bitgen_jumped(const streamalloc_bitgen* gen, uint64_t jumps_lo,
                                             uint64_t jumps_hi, streamalloc_bitgen** out);
/* The same with the count as text; a leading '-' is NumPy's jumped(-n). */
streamalloc_status streamalloc_bitgen_jumped_str(const streamalloc_bitgen* gen, const char* jumps,
                                                 streamalloc_bitgen** out);
/* json.dumps(bitgen.state), byte for byte. Text out (see the conventions). */
streamalloc_status streamalloc_bitgen_state_json(const streamalloc_bitgen* gen, char* buf,
                                                 int64_t capacity, int64_t* length);
/* bitgen.state = json.loads(text); the state must be of gen's own family. */
streamalloc_status streamalloc_bitgen_set_state_json(streamalloc_bitgen* gen, const char* json);

/* ---- distributions: numpy.random.Generator(gen).<method>(..., size=n) ---------------------
 * Each fills out[0..n-1] with exactly the values Generator(gen).<method>(params, size=n) gives,
 * and leaves gen where that Generator's bit generator would be. Parameters are checked as NumPy
 * checks them (plus NaN, which is always refused): an invalid one is
 * STREAMALLOC_ERR_INVALID_ARGUMENT naming it, and nothing is drawn. */
streamalloc_status streamalloc_bitgen_fill_random(streamalloc_bitgen* gen, double* out, int64_t n);
streamalloc_status streamalloc_bitgen_fill_uniform(streamalloc_bitgen* gen, double low, double high,
                                                   double* out, int64_t n);
streamalloc_status streamalloc_bitgen_fill_standard_normal(streamalloc_bitgen* gen, double* out,
                                                           int64_t n);
streamalloc_status streamalloc_bitgen_fill_normal(streamalloc_bitgen* gen, double loc, double scale,
                                                  double* out, int64_t n);
streamalloc_status streamalloc_bitgen_fill_standard_exponential(streamalloc_bitgen* gen,
                                                                double* out, int64_t n);
streamalloc_status streamalloc_bitgen_fill_exponential(streamalloc_bitgen* gen, double scale,
                                                       double* out, int64_t n);
streamalloc_status streamalloc_bitgen_fill_standard_gamma(streamalloc_bitgen* gen, double shape,
                                                          double* out, int64_t n);
streamalloc_status streamalloc_bitgen_fill_gamma(streamalloc_bitgen* gen, double shape,
                                                 double scale, double* out, int64_t n);
streamalloc_status streamalloc_bitgen_fill_poisson(streamalloc_bitgen* gen, double lam,
                                                   int64_t* out, int64_t n);
streamalloc_status streamalloc_bitgen_fill_binomial(streamalloc_bitgen* gen, int64_t trials,
                                                    double p, int64_t* out, int64_t n);
/* Generator.integers(low, high, endpoint=endpoint, dtype=np.int64, size=n): [low, high), or
 * [low, high] when endpoint. The other dtypes follow; each is NumPy's own algorithm for that
 * dtype (so e.g. int8 draws differ from int64 draws of the same bounds, as in NumPy). */
streamalloc_status streamalloc_bitgen_fill_integers(streamalloc_bitgen* gen, int64_t low,
                                                    int64_t high, bool endpoint, int64_t* out,
                                                    int64_t n);
streamalloc_status streamalloc_bitgen_fill_integers_u64(streamalloc_bitgen* gen, uint64_t low,
                                                        uint64_t high, bool endpoint, uint64_t* out,
                                                        int64_t n);
streamalloc_status streamalloc_bitgen_fill_integers_i32(streamalloc_bitgen* gen, int64_t low,
                                                        int64_t high, bool endpoint, int32_t* out,
                                                        int64_t n);
streamalloc_status streamalloc_bitgen_fill_integers_u32(streamalloc_bitgen* gen, int64_t low,
                                                        int64_t high, bool endpoint, uint32_t* out,
                                                        int64_t n);
streamalloc_status streamalloc_bitgen_fill_integers_i16(streamalloc_bitgen* gen, int64_t low,
                                                        int64_t high, bool endpoint, int16_t* out,
                                                        int64_t n);
streamalloc_status streamalloc_bitgen_fill_integers_u16(streamalloc_bitgen* gen, int64_t low,
                                                        int64_t high, bool endpoint, uint16_t* out,
                                                        int64_t n);
streamalloc_status streamalloc_bitgen_fill_integers_i8(streamalloc_bitgen* gen, int64_t low,
                                                       int64_t high, bool endpoint, int8_t* out,
                                                       int64_t n);
streamalloc_status streamalloc_bitgen_fill_integers_u8(streamalloc_bitgen* gen, int64_t low,
                                                       int64_t high, bool endpoint, uint8_t* out,
                                                       int64_t n);
streamalloc_status streamalloc_bitgen_fill_integers_bool(streamalloc_bitgen* gen, int64_t low,
                                                         int64_t high, bool endpoint, bool* out,
                                                         int64_t n);
/* Generator.multinomial(trials, pvals, size=n_draws): out holds n_draws * n_pvals counts,
 * row-major (draw after draw). */
streamalloc_status streamalloc_bitgen_fill_multinomial(streamalloc_bitgen* gen, int64_t trials,
                                                       const double* pvals, int64_t n_pvals,
                                                       int64_t* out, int64_t n_draws);
/* Generator.permutation(n): out[0..n-1] is a shuffled 0, 1, ..., n-1. */
streamalloc_status streamalloc_bitgen_permutation(streamalloc_bitgen* gen, int64_t* out, int64_t n);
/* Generator.shuffle(x) for a 1-d array x of n elements of elem_size bytes each, in place. */
streamalloc_status streamalloc_bitgen_shuffle(streamalloc_bitgen* gen, void* values, int64_t n,
                                              int64_t elem_size);

/* ---- stream sets: random variables on a meta seed's children (Theano's RandomStreams) ---- */

typedef struct streamalloc_stream_set streamalloc_stream_set;
/* A random variable of a set. Owned by its set: freed with it, never on its own. */
typedef struct streamalloc_variable streamalloc_variable;
typedef struct streamalloc_snapshot streamalloc_snapshot;

/* A set on a copy of `meta` whose variables draw with generators of `family`
 * (STREAMALLOC_PCG64, ...). Variable k draws from NumPy's
 * <Family>(SeedSequence(E, spawn_key=meta.spawn_key + (N + k,), pool_size=P)), N =
 * meta.n_children_spawned (see streamalloc/stream_set/stream_set.hpp). */
streamalloc_status streamalloc_stream_set_create(const streamalloc_seedseq* meta, int family,
                                                 streamalloc_stream_set** out);
/* Frees the set and every variable handle it gave out. */
streamalloc_status streamalloc_stream_set_free(streamalloc_stream_set* set);
/* The number of variables. */
streamalloc_status streamalloc_stream_set_size(const streamalloc_stream_set* set, int64_t* out);

/* The family of the variables added from now on (the set's own family until changed), as the
 * C++ stream_set::make_on(family, ...) gives it. */
streamalloc_status streamalloc_stream_set_use_family(streamalloc_stream_set* set, int family);

/* New variables, in creation order, each on the next child stream: Generator.<method>(params).
 * Invalid parameters create nothing. */
streamalloc_status streamalloc_stream_set_add_uniform(streamalloc_stream_set* set, double low,
                                                      double high, streamalloc_variable** out);
streamalloc_status streamalloc_stream_set_add_normal(streamalloc_stream_set* set, double loc,
                                                     double scale, streamalloc_variable** out);
streamalloc_status streamalloc_stream_set_add_exponential(streamalloc_stream_set* set, double scale,
                                                          streamalloc_variable** out);
streamalloc_status streamalloc_stream_set_add_gamma(streamalloc_stream_set* set, double shape,
                                                    double scale, streamalloc_variable** out);
streamalloc_status streamalloc_stream_set_add_poisson(streamalloc_stream_set* set, double lam,
                                                      streamalloc_variable** out);
streamalloc_status streamalloc_stream_set_add_binomial(streamalloc_stream_set* set, int64_t trials,
                                                       double p, streamalloc_variable** out);

/* NumPy integer dtypes, for integers variables. */
enum {
  STREAMALLOC_INT64 = 0,
  STREAMALLOC_INT32 = 1,
  STREAMALLOC_INT16 = 2,
  STREAMALLOC_INT8 = 3,
  STREAMALLOC_UINT64 = 4,
  STREAMALLOC_UINT32 = 5,
  STREAMALLOC_UINT16 = 6,
  STREAMALLOC_UINT8 = 7,
  STREAMALLOC_BOOL = 8
};
/* Generator.integers(low, high, endpoint=endpoint, dtype=dtype), dtype STREAMALLOC_INT64, ... */
streamalloc_status streamalloc_stream_set_add_integers(streamalloc_stream_set* set, int64_t low,
                                                       int64_t high, bool endpoint, int dtype,
                                                       streamalloc_variable** out);
/* The same with dtype=np.uint64 and bounds up to 2^64 - 1. */
streamalloc_status streamalloc_stream_set_add_integers_u64(streamalloc_stream_set* set,
                                                           uint64_t low, uint64_t high,
                                                           bool endpoint,
                                                           streamalloc_variable** out);
streamalloc_status streamalloc_stream_set_add_multinomial(streamalloc_stream_set* set,
                                                          int64_t trials, const double* pvals,
                                                          int64_t n_pvals,
                                                          streamalloc_variable** out);

/* n draws of the variable (Generator.<method>(..., size=n)): fill_double for the real-valued
 * variables (uniform, normal, exponential, gamma), fill_i64 for the integer ones (integers of
 * any dtype, converted to int64 — uint64 values modulo 2^64, bool as 0/1 —, poisson, binomial;
 * multinomial: n counts, a multiple of its number of categories). The wrong one is an invalid
 * argument. */
streamalloc_status streamalloc_variable_fill_double(streamalloc_variable* var, double* out,
                                                    int64_t n);
streamalloc_status streamalloc_variable_fill_i64(streamalloc_variable* var, int64_t* out,
                                                 int64_t n);
/* Its creation index in the set. */
streamalloc_status streamalloc_variable_index(const streamalloc_variable* var, int64_t* out);

/* Every variable reset onto new_meta's children, in order (set.seed(new_meta)). */
streamalloc_status streamalloc_stream_set_seed(streamalloc_stream_set* set,
                                               const streamalloc_seedseq* new_meta);
/* set.snapshot(): every variable's state now (and at the previous snapshot), as a new handle. */
streamalloc_status streamalloc_stream_set_snapshot(streamalloc_stream_set* set,
                                                   streamalloc_snapshot** out);
/* set.restore(snapshot): every variable back to the snapshot's states; a snapshot of another
 * set is an invalid argument and changes nothing. */
streamalloc_status streamalloc_stream_set_restore(streamalloc_stream_set* set,
                                                  const streamalloc_snapshot* snapshot);
/* The binary form: little-endian, CRC-32C framed (streamalloc/stream_set/snapshot.hpp). Bytes
 * out, in the text convention (no NUL is added). */
streamalloc_status streamalloc_snapshot_to_bytes(const streamalloc_snapshot* snapshot, uint8_t* buf,
                                                 int64_t capacity, int64_t* length);
/* Reads the binary form; a truncated, corrupt, foreign or newer one is STREAMALLOC_ERR_IO. */
streamalloc_status streamalloc_snapshot_from_bytes(const uint8_t* bytes, int64_t n,
                                                   streamalloc_snapshot** out);
/* The JSON form, in which every state is NumPy's own state dict. Text out. */
streamalloc_status streamalloc_snapshot_to_json(const streamalloc_snapshot* snapshot, char* buf,
                                                int64_t capacity, int64_t* length);
streamalloc_status streamalloc_snapshot_free(streamalloc_snapshot* snapshot);

/* ---- campaigns: every stream of a parallel run from one root seed ------------------------ */

typedef struct streamalloc_campaign streamalloc_campaign;

/* How a campaign derives streams (streamalloc/campaign.hpp):
 *   STRATEGY_SPAWN   SeedSequence(root, spawn_key=(job, *path))
 *   STRATEGY_PHILOX  Philox(key=root_key + job * 2**64 + id),
 *                    root_key = Philox(SeedSequence(root)).key
 *   STRATEGY_JUMPED  PCG64(SeedSequence(root)).jumped(job * 2**40 + index) */
enum {
  STREAMALLOC_STRATEGY_SPAWN = 0,
  STREAMALLOC_STRATEGY_PHILOX = 1,
  STREAMALLOC_STRATEGY_JUMPED = 2
};

/* A campaign on `root` (entropy text as for streamalloc_seedseq_create) with the strategy.
 * pool_size 0 means 4. */
streamalloc_status streamalloc_campaign_create(const char* root, int strategy, int64_t pool_size,
                                               streamalloc_campaign** out);
streamalloc_status streamalloc_campaign_free(streamalloc_campaign* c);
/* The strategy, and the Philox root key (key words, low first). */
streamalloc_status streamalloc_campaign_strategy(const streamalloc_campaign* c, int* strategy);
streamalloc_status streamalloc_campaign_philox_root_key(const streamalloc_campaign* c,
                                                        uint64_t key[2]);
/* Rebuilding a stream of the campaign without MPI (what a run record lets anyone do): */
/* Philox(key=root_key + job * 2**64 + id). */
streamalloc_status streamalloc_campaign_philox_stream(const streamalloc_campaign* c, uint64_t job,
                                                      uint64_t id, streamalloc_bitgen** out);
/* PCG64(SeedSequence(root)).jumped(job * 2**40 + index); index < 2^40, job < 2^22. */
streamalloc_status streamalloc_campaign_jumped_stream(const streamalloc_campaign* c, uint64_t job,
                                                      uint64_t index, streamalloc_bitgen** out);
/* SeedSequence(root, spawn_key=(job, *path), pool_size=pool_size). */
streamalloc_status streamalloc_campaign_spawn_sequence(const streamalloc_campaign* c, uint64_t job,
                                                       const uint64_t* path, int64_t depth,
                                                       streamalloc_seedseq** out);

/* ---- verdicts and audits ----------------------------------------------------------------- */

/* The outcome of a reuse check: streamalloc_allocator_verify (streamalloc_mpi.h) or
 * streamalloc_audit. */
typedef struct streamalloc_verdict streamalloc_verdict;

/* Whether no stream was taken twice (and none overlapped or overran its budget). */
streamalloc_status streamalloc_verdict_clean(const streamalloc_verdict* v, bool* clean);
/* Number of conflicts, of claim records (a run of streams counts once) and of streams. */
streamalloc_status streamalloc_verdict_conflicts(const streamalloc_verdict* v, int64_t* count);
streamalloc_status streamalloc_verdict_claims(const streamalloc_verdict* v, int64_t* count);
/* One line per conflict naming both claims (ranks, tasks, files), then a summary line. Text out. */
streamalloc_status streamalloc_verdict_report(const streamalloc_verdict* v, char* buf,
                                              int64_t capacity, int64_t* length);
/* STREAMALLOC_ERR_REUSE with the report as the message unless the verdict is clean. */
streamalloc_status streamalloc_verdict_require_clean(const streamalloc_verdict* v);
streamalloc_status streamalloc_verdict_free(streamalloc_verdict* v);

/* `streamalloc audit`: reads the manifests (run records) and checks all their claims together
 * for reuse and overlap across runs. Work a restarted run redid on the same streams (its record
 * made by streamalloc_record_create_resumed) is a replay: accepted, and counted in the report's
 * summary line, as the command prints it. A file that cannot be read is STREAMALLOC_ERR_IO, a
 * malformed one STREAMALLOC_ERR_INVALID_ARGUMENT (naming file and line). */
streamalloc_status streamalloc_audit(const char* const* manifests, int64_t n,
                                     streamalloc_verdict** out);
/* Where a new run of the campaign continues after the runs of these manifests (pass the results
 * to streamalloc_allocator_create's job and to the options' resume fields). Each job owns a
 * region of the campaign's streams: for job >= 0 the run continues that job's region — *run_job
 * = job, and *next_stream / *next_jump are the first Philox stream ID and jump index of the
 * region no earlier run of the job claimed; for job = -1 the run takes a job no manifest has
 * used (*run_job = *next_job), whose region is untouched (0 and 0). *next_job is one past the
 * largest job index seen. `expected` may be NULL; if given, manifests of another campaign are
 * refused. */
streamalloc_status streamalloc_resume_point(const char* const* manifests, int64_t n,
                                            const streamalloc_campaign* expected, int64_t job,
                                            uint64_t* run_job, uint64_t* next_stream,
                                            uint64_t* next_jump, uint64_t* next_job);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* STREAMALLOC_H */
