/* streamalloc_mpi.h — the C API of streamalloc's MPI runtime (target streamalloc::c_mpi,
 * pkg-config streamalloc-c-mpi). Includes streamalloc.h and <mpi.h>.
 *
 * A run's streams, claimed and checked: each rank makes a runtime on a communicator, an allocator
 * for the run's campaign and job, claims streams from it (every claim is recorded, a rank's own
 * reuse is refused at once with STREAMALLOC_ERR_REUSE), verifies collectively that no stream was
 * taken twice anywhere, and writes the run record (a manifest) that `streamalloc audit` and
 * Python read. Model (ADIOS2's C API): serial and MPI initialisers, and every function says
 * whether it is MPI-collective.
 *
 *   streamalloc_runtime* rt;  streamalloc_campaign* c;  streamalloc_allocator* alloc;
 *   streamalloc_runtime_create(MPI_COMM_WORLD, &rt);                  COLLECTIVE
 *   streamalloc_campaign_create("12345", STREAMALLOC_STRATEGY_PHILOX, 0, &c);
 *   streamalloc_allocator_create(rt, c, 0, NULL, &alloc);
 *   streamalloc_claim* claim;  streamalloc_bitgen* gen;
 *   streamalloc_allocator_philox_static(alloc, 0, NULL, &claim);     local
 *   streamalloc_claim_bitgen(claim, 0, -1, &gen);                    Philox(key=root_key + id)
 *   streamalloc_bitgen_fill_normal(gen, 0.0, 1.0, x, n);
 *   streamalloc_verdict* v;  streamalloc_allocator_verify(alloc, &v);  COLLECTIVE
 *   streamalloc_record* rec;  streamalloc_record_create(alloc, "run.jsonl", &rec);  COLLECTIVE
 *   streamalloc_record_checkpoint(rec);         each round           COLLECTIVE
 *   streamalloc_record_checkpoint_position(rec, buf, cap, &len);     local: store it in your
 *                                                                    checkpoint, to resume from
 *   streamalloc_record_close(rec);                                   COLLECTIVE
 *
 * Collective calls (marked COLLECTIVE below) must be made by every rank of the runtime's
 * communicator, in the same order, from one thread per rank. Their failures are agreed: when
 * any rank fails, every rank returns the same status and the same message (naming the failing
 * ranks), so no rank is left waiting in the next collective. A null, freed or wrong-kind handle
 * is refused before any communication (every rank passing it returns at once). Local calls never
 * communicate.
 * The conventions of streamalloc.h (status codes, thread-local messages, handle checks, counts,
 * text out, 128-bit words) hold here too.
 * Thread safety: claims may be made from several threads of a rank at once on one allocator
 * (hybrid MPI + OpenMP); every other handle is used by one thread at a time.
 */
#ifndef STREAMALLOC_MPI_H
#define STREAMALLOC_MPI_H

#include <mpi.h>

#include "streamalloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- runtimes ---------------------------------------------------------------------------- */

typedef struct streamalloc_runtime streamalloc_runtime;

/* COLLECTIVE over comm. Attaches to comm (duplicating it: streamalloc's messages never meet the
 * program's, and comm's error handler is left alone). Initialises MPI (MPI_THREAD_MULTIPLE
 * asked) only if nobody has; then streamalloc_runtime_free finalises it. */
streamalloc_status streamalloc_runtime_create(MPI_Comm comm, streamalloc_runtime** out);
/* The same for a Fortran communicator handle (an `integer` from `use mpi`, or the MPI_VAL of a
 * type(MPI_Comm) from `use mpi_f08`), converted with MPI_Comm_f2c. */
streamalloc_status streamalloc_runtime_create_f(MPI_Fint comm, streamalloc_runtime** out);
/* COLLECTIVE (MPI_Comm_free of the duplicate; MPI_Finalize if this runtime initialised MPI).
 * Free the runtime's allocators first. */
streamalloc_status streamalloc_runtime_free(streamalloc_runtime* rt);
/* This rank and the number of ranks in the communicator. */
streamalloc_status streamalloc_runtime_rank(const streamalloc_runtime* rt, int* rank);
streamalloc_status streamalloc_runtime_size(const streamalloc_runtime* rt, int* size);

/* ---- allocators -------------------------------------------------------------------------- */

typedef struct streamalloc_allocator streamalloc_allocator;

enum { STREAMALLOC_DYNAMIC_PARTITIONED = 0, STREAMALLOC_DYNAMIC_WINDOW = 1 };

/* The allocator's layout (streamalloc/mpi/stream_allocator.hpp). Start from
 * streamalloc_allocator_options_init, then change fields. */
typedef struct streamalloc_allocator_options {
  uint64_t block_size;         /* static streams per rank (default 1024; 0: no static region) */
  uint64_t dynamic_block_size; /* streams reserved at a time by *_dynamic (default 1024, >= 1) */
  int dynamic_policy;          /* STREAMALLOC_DYNAMIC_PARTITIONED (default) or _WINDOW */
  uint64_t resume_stream;      /* where this run continues the job's Philox IDs (default 0) */
  uint64_t resume_jump;        /* ... and jump indices (see streamalloc_resume_point) */
  uint64_t budget_lo;          /* draws per stream recorded on claims that give none; */
  uint64_t budget_hi;          /* default all ones: unlimited */
} streamalloc_allocator_options;

/* Sets the defaults above. */
streamalloc_status streamalloc_allocator_options_init(streamalloc_allocator_options* options);

/* An allocator of rank rt's streams of campaign c, job `job` (c is copied). options may be NULL
 * (the defaults); every rank gives the same ones. Local, but COLLECTIVE with the window dynamic
 * policy. The runtime must outlive the allocator (calls on an allocator whose runtime was freed
 * are refused). */
streamalloc_status streamalloc_allocator_create(const streamalloc_runtime* rt,
                                                const streamalloc_campaign* c, uint64_t job,
                                                const streamalloc_allocator_options* options,
                                                streamalloc_allocator** out);
/* Local; COLLECTIVE with the window policy. Claims made from it must be freed first or not
 * used afterwards (their handles stay valid for freeing). */
streamalloc_status streamalloc_allocator_free(streamalloc_allocator* alloc);

/* ---- claims ------------------------------------------------------------------------------ */

/* One claim: a stream, or a run of consecutive streams, taken by this rank and recorded. */
typedef struct streamalloc_claim streamalloc_claim;

enum { STREAMALLOC_TASKS_SHARED = 0, STREAMALLOC_TASKS_LOCKSTEP = 1 };

/* What a claim records besides its streams. Start from streamalloc_claim_options_init. */
typedef struct streamalloc_claim_options {
  const uint64_t* task; /* the task path the stream serves, e.g. (task, subtask); NULL: none */
  int64_t task_depth;   /* its length (0: the empty path, when task is not NULL) */
  bool has_budget;      /* false: the allocator's budget */
  uint64_t budget_lo;   /* draws (64-bit words) the stream may use */
  uint64_t budget_hi;
  int tasks; /* for runs: STREAMALLOC_TASKS_SHARED (every stream serves `task`) or
                            STREAMALLOC_TASKS_LOCKSTEP (stream k serves task advanced by k) */
} streamalloc_claim_options;

streamalloc_status streamalloc_claim_options_init(streamalloc_claim_options* options);

/* Every allocation method of stream_allocator (all local, may be called from several threads
 * of a rank). `details` may be NULL. Each writes a new claim handle; a stream this rank already
 * holds is refused with STREAMALLOC_ERR_REUSE (nothing recorded); a method of another strategy
 * than the campaign's is an invalid argument.
 * philox strategy: stream ID i is Philox(key=root_key + job * 2**64 + i). */
streamalloc_status streamalloc_allocator_philox_static(streamalloc_allocator* alloc,
                                                       uint64_t local_index,
                                                       const streamalloc_claim_options* details,
                                                       streamalloc_claim** out);
streamalloc_status streamalloc_allocator_philox_dynamic(streamalloc_allocator* alloc,
                                                        const streamalloc_claim_options* details,
                                                        streamalloc_claim** out);
streamalloc_status streamalloc_allocator_philox_explicit(streamalloc_allocator* alloc, uint64_t id,
                                                         const streamalloc_claim_options* details,
                                                         streamalloc_claim** out);
/* Runs: this rank's static streams [local_first, local_first + count), or IDs [first,
 * first + count), one claim each. */
streamalloc_status streamalloc_allocator_philox_static_range(
    streamalloc_allocator* alloc, uint64_t local_first, uint64_t count,
    const streamalloc_claim_options* details, streamalloc_claim** out);
streamalloc_status streamalloc_allocator_philox_range(streamalloc_allocator* alloc, uint64_t first,
                                                      uint64_t count,
                                                      const streamalloc_claim_options* details,
                                                      streamalloc_claim** out);
/* jumped strategy: jump index i is PCG64(SeedSequence(root)).jumped(job * 2**40 + i). */
streamalloc_status streamalloc_allocator_jumped_static(streamalloc_allocator* alloc,
                                                       uint64_t local_index,
                                                       const streamalloc_claim_options* details,
                                                       streamalloc_claim** out);
streamalloc_status streamalloc_allocator_jumped_dynamic(streamalloc_allocator* alloc,
                                                        const streamalloc_claim_options* details,
                                                        streamalloc_claim** out);
streamalloc_status streamalloc_allocator_jumped_explicit(streamalloc_allocator* alloc,
                                                         uint64_t index,
                                                         const streamalloc_claim_options* details,
                                                         streamalloc_claim** out);
streamalloc_status streamalloc_allocator_jumped_static_range(
    streamalloc_allocator* alloc, uint64_t local_first, uint64_t count,
    const streamalloc_claim_options* details, streamalloc_claim** out);
streamalloc_status streamalloc_allocator_jumped_range(streamalloc_allocator* alloc, uint64_t first,
                                                      uint64_t count,
                                                      const streamalloc_claim_options* details,
                                                      streamalloc_claim** out);
/* spawn strategy: path p is SeedSequence(root, spawn_key=(job, *p)). spawn_rank claims the
 * rank-rooted path (rank, local_index); spawn any non-empty path; spawn_range the paths
 * parent + (first + k,) for k < count. */
streamalloc_status streamalloc_allocator_spawn_rank(streamalloc_allocator* alloc,
                                                    uint64_t local_index,
                                                    const streamalloc_claim_options* details,
                                                    streamalloc_claim** out);
streamalloc_status streamalloc_allocator_spawn(streamalloc_allocator* alloc, const uint64_t* path,
                                               int64_t depth,
                                               const streamalloc_claim_options* details,
                                               streamalloc_claim** out);
streamalloc_status streamalloc_allocator_spawn_range(streamalloc_allocator* alloc,
                                                     const uint64_t* parent, int64_t depth,
                                                     uint64_t first, uint64_t count,
                                                     const streamalloc_claim_options* details,
                                                     streamalloc_claim** out);
/* Hand-built positions (any strategy), checked by identity and draw-interval overlap:
 * Philox(key=K, counter=C) with K, C < 2^128; a PCG64 bit generator as positioned (gen must be
 * a PCG64); the campaign's root PCG64 advanced by `offset` draws (give a budget). */
streamalloc_status streamalloc_allocator_philox_at(streamalloc_allocator* alloc, uint64_t key_lo,
                                                   uint64_t key_hi, uint64_t counter_lo,
                                                   uint64_t counter_hi,
                                                   const streamalloc_claim_options* details,
                                                   streamalloc_claim** out);
streamalloc_status streamalloc_allocator_pcg64_at(streamalloc_allocator* alloc,
                                                  const streamalloc_bitgen* start,
                                                  const streamalloc_claim_options* details,
                                                  streamalloc_claim** out);
streamalloc_status streamalloc_allocator_pcg64_block(streamalloc_allocator* alloc,
                                                     uint64_t offset_lo, uint64_t offset_hi,
                                                     const streamalloc_claim_options* details,
                                                     streamalloc_claim** out);
/* Records that the claim's stream(s) used `used` draws (verify reports use beyond the budget).
 * Local. */
streamalloc_status streamalloc_allocator_record_use(streamalloc_allocator* alloc,
                                                    const streamalloc_claim* claim,
                                                    uint64_t used_lo, uint64_t used_hi);

/* The number of streams in the claim (1, or the run's length). */
streamalloc_status streamalloc_claim_size(const streamalloc_claim* claim, uint64_t* count);
/* Stream k (< size) of the claim as a new bit generator. kind -1 gives the strategy's own
 * generator: Philox for philox IDs and Philox positions, PCG64 for jump indices, PCG64 positions
 * and spawn paths. A spawn path may be given any kind (<Kind>(SeedSequence(...))); the others
 * only their own. */
streamalloc_status streamalloc_claim_bitgen(const streamalloc_claim* claim, uint64_t k, int kind,
                                            streamalloc_bitgen** out);
/* Stream k of a spawn-path claim as its SeedSequence. */
streamalloc_status streamalloc_claim_seedseq(const streamalloc_claim* claim, uint64_t k,
                                             streamalloc_seedseq** out);
/* One line naming the claim: "philox stream ID 17 (rank 2, task (17,))". Text out. */
streamalloc_status streamalloc_claim_describe(const streamalloc_claim* claim, char* buf,
                                              int64_t capacity, int64_t* length);
streamalloc_status streamalloc_claim_free(streamalloc_claim* claim);

/* ---- verification and the run record ----------------------------------------------------- */

/* COLLECTIVE. Compares the claims of every rank (hash-partitioned, not gathered) and returns the
 * same verdict on every rank: every stream ID, jump index, spawn path or stream identity taken
 * twice, every overlap of draw intervals, every use over budget. */
streamalloc_status streamalloc_allocator_verify(const streamalloc_allocator* alloc,
                                                streamalloc_verdict** out);
/* COLLECTIVE. Where the campaign's next run of this job continues: one past the largest stream
 * ID and jump index claimed by any rank. */
streamalloc_status streamalloc_allocator_next_free(const streamalloc_allocator* alloc,
                                                   uint64_t* next_stream, uint64_t* next_jump);

/* The run record (streamalloc/mpi/run_record.hpp): the run's manifest, which `streamalloc audit`
 * checks and from which Python rebuilds any claim's NumPy generator. Files: the manifest at
 * `path` (small: campaign, job, ranks, and how many lines of each shard it holds) and one shard
 * per rank, <path>.<run>.d/<rank>.jsonl, to which that rank alone appends its claims (nothing is
 * gathered to rank 0). A commit appends each rank's new claims to its shard (O(new claims of the
 * rank), never O(all claims)), syncs it, and then rank 0 replaces the manifest atomically: a
 * crash at any instant leaves the manifest of the last completed commit. With
 * MPI_THREAD_MULTIPLE, commits run on a background thread per rank while the program computes
 * (up to two in flight); otherwise inside the call. One record per allocator at a time.
 *
 * Restarts. After a checkpoint, streamalloc_record_checkpoint_position gives the position of its
 * commit as text; the program stores it in its own checkpoint. A run restarted from that
 * checkpoint (on any number of ranks) makes an allocator of the same campaign and job
 * (streamalloc_record_position_campaign gives them), redoes the work after the checkpoint on the
 * same streams, and records with streamalloc_record_create_resumed: `streamalloc audit` of both
 * records then accepts the redone claims as replays, and still reports a stream that serves a
 * different task. A new run that continues a finished campaign instead takes the job and first
 * free stream from streamalloc_resume_point (streamalloc.h) or streamalloc_allocator_next_free,
 * into the allocator options' resume fields. */
typedef struct streamalloc_record streamalloc_record;

/* COLLECTIVE. Starts the record of alloc's run at `path` (the same on every rank) and commits
 * the claims made so far. The path is checked first: a missing or unwritable directory, or a
 * target that is not a regular file, is STREAMALLOC_ERR_IO naming the path on every rank. The
 * allocator may be freed first (that ends the record at its last commit). */
streamalloc_status streamalloc_record_create(streamalloc_allocator* alloc, const char* path,
                                             streamalloc_record** out);
/* COLLECTIVE. The same, for a run restarted from a checkpoint: `resumed_from` is the text
 * streamalloc_record_checkpoint_position gave the interrupted run, recorded as the manifest's
 * "resumed_from". Rank 0's text is used (the other ranks may pass NULL). It must be a position of
 * alloc's campaign and job (else STREAMALLOC_ERR_INVALID_ARGUMENT, naming both). */
streamalloc_status streamalloc_record_create_resumed(streamalloc_allocator* alloc, const char* path,
                                                     const char* resumed_from,
                                                     streamalloc_record** out);
/* COLLECTIVE. Commits every claim and use recorded since the last commit (O(new claims)). With
 * background commits it returns once the commit is queued; an I/O failure of a commit is
 * returned, the same on every rank, by a later checkpoint, position or close. After close:
 * STREAMALLOC_ERR_INVALID_ARGUMENT. */
streamalloc_status streamalloc_record_checkpoint(streamalloc_record* record);
/* Local (may be called by one rank alone, e.g. the rank that writes the program's checkpoint).
 * Waits until the last checkpoint's (or close's) commit is on disk, then gives its position as
 * text (JSON: campaign, job, manifest, run, commit, shard lines), the same on every rank. A
 * program checkpoint that stores it never claims more than the record holds. Text out; the two
 * calls of the length-first pattern give the same text when no checkpoint comes between. */
streamalloc_status streamalloc_record_checkpoint_position(streamalloc_record* record, char* buf,
                                                          int64_t capacity, int64_t* length);
/* Local. The campaign (a new handle) and job of a position's record: what a restarted run
 * makes its allocator with. */
streamalloc_status streamalloc_record_position_campaign(const char* position,
                                                        streamalloc_campaign** campaign,
                                                        uint64_t* job);
/* COLLECTIVE. The final commit ("complete": true), waited for; later checkpoints and closes are
 * invalid arguments (its position stays available). */
streamalloc_status streamalloc_record_close(streamalloc_record* record);
/* Local. Frees the handle, waiting for commits in flight (an unclosed record reads back as its
 * last commit, "complete": false). */
streamalloc_status streamalloc_record_free(streamalloc_record* record);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* STREAMALLOC_MPI_H */
