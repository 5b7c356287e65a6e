/* A C program built against an installed streamalloc with pkg-config and plain mpicc, no CMake
 * (tests/consumers/c_mpi/build_and_run.sh). It runs the consumers' common workload (see
 * tests/consumers/check_run.py, which checks what it writes):
 *   - three allocators of one root seed, one per strategy (philox, jumped, spawn), claiming
 *     streams by every kind of method, each stream drawing NumPy's uniform, normal,
 *     exponential, integers, poisson and binomial into OUTDIR/draws.<rank>.txt;
 *   - collective verify of each (clean), and a run record for each (philox.jsonl, ...);
 *   - a deliberate reuse: every rank claims Philox stream ID 7 of job 1, which verify must
 *     report on every rank; its record (reuse.jsonl) is kept for `streamalloc audit`.
 * Usage: mpiexec -n N consumer OUTDIR. Exit 0 when every rank saw what it expected. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamalloc.h"
#include "streamalloc_mpi.h"

static int rank = 0;

static void check(streamalloc_status status, const char* what) {
  if (status != STREAMALLOC_OK) {
    fprintf(stderr, "rank %d: %s failed: %s: %s\n", rank, what, streamalloc_status_name(status),
            streamalloc_last_error());
    MPI_Abort(MPI_COMM_WORLD, 3);
  }
}

static void print_doubles(FILE* out, const char* head, const char* method, const double* v, int n) {
  int i;
  fprintf(out, "%s %s", head, method);
  for (i = 0; i < n; ++i) fprintf(out, "%s%.17g", i == 0 ? " " : ",", v[i]);
  fprintf(out, "\n");
}

static void print_ints(FILE* out, const char* head, const char* method, const int64_t* v, int n) {
  int i;
  fprintf(out, "%s %s", head, method);
  for (i = 0; i < n; ++i) fprintf(out, "%s%lld", i == 0 ? " " : ",", (long long)v[i]);
  fprintf(out, "\n");
}

/* The common draws of one stream: stream k of `claim`, serving task `task` of record `record`. */
static void draw(FILE* out, const char* record, const streamalloc_claim* claim, uint64_t k,
                 uint64_t task) {
  streamalloc_bitgen* gen = NULL;
  double x[4];
  int64_t n[4];
  char head[64];
  snprintf(head, sizeof head, "%s %llu", record, (unsigned long long)task);
  check(streamalloc_claim_bitgen(claim, k, -1, &gen), "streamalloc_claim_bitgen");
  check(streamalloc_bitgen_fill_uniform(gen, -1.0, 2.0, x, 4), "uniform");
  print_doubles(out, head, "uniform", x, 4);
  check(streamalloc_bitgen_fill_normal(gen, 10.0, 2.0, x, 4), "normal");
  print_doubles(out, head, "normal", x, 4);
  check(streamalloc_bitgen_fill_exponential(gen, 3.0, x, 3), "exponential");
  print_doubles(out, head, "exponential", x, 3);
  check(streamalloc_bitgen_fill_integers(gen, 0, 1000, false, n, 4), "integers");
  print_ints(out, head, "integers", n, 4);
  check(streamalloc_bitgen_fill_poisson(gen, 4.5, n, 3), "poisson");
  print_ints(out, head, "poisson", n, 3);
  check(streamalloc_bitgen_fill_binomial(gen, 20, 0.3, n, 3), "binomial");
  print_ints(out, head, "binomial", n, 3);
  check(streamalloc_bitgen_free(gen), "streamalloc_bitgen_free");
}

/* Claim options with the one-component task path (t,), lockstep for runs. */
static streamalloc_claim_options task_of(const uint64_t* t, int lockstep) {
  streamalloc_claim_options o;
  check(streamalloc_claim_options_init(&o), "streamalloc_claim_options_init");
  o.task = t;
  o.task_depth = 1;
  o.tasks = lockstep ? STREAMALLOC_TASKS_LOCKSTEP : STREAMALLOC_TASKS_SHARED;
  return o;
}

/* COLLECTIVE: verify (clean expected), write the record, free everything. */
static int finish(streamalloc_allocator* alloc, const char* dir, const char* name,
                  streamalloc_claim** claims, int n_claims) {
  streamalloc_verdict* v = NULL;
  streamalloc_record* rec = NULL;
  bool clean = false;
  char path[4096];
  int i;
  check(streamalloc_allocator_verify(alloc, &v), "streamalloc_allocator_verify");
  check(streamalloc_verdict_clean(v, &clean), "streamalloc_verdict_clean");
  check(streamalloc_verdict_free(v), "streamalloc_verdict_free");
  snprintf(path, sizeof path, "%s/%s.jsonl", dir, name);
  check(streamalloc_record_create(alloc, path, &rec), "streamalloc_record_create");
  check(streamalloc_record_close(rec), "streamalloc_record_close");
  check(streamalloc_record_free(rec), "streamalloc_record_free");
  for (i = 0; i < n_claims; ++i) check(streamalloc_claim_free(claims[i]), "streamalloc_claim_free");
  check(streamalloc_allocator_free(alloc), "streamalloc_allocator_free");
  if (!clean) fprintf(stderr, "rank %d: %s: verify found reuse where there is none\n", rank, name);
  return clean ? 0 : 1;
}

int main(int argc, char** argv) {
  streamalloc_runtime* rt = NULL;
  streamalloc_campaign* c = NULL;
  streamalloc_allocator* alloc = NULL;
  streamalloc_claim* claims[4];
  streamalloc_verdict* v = NULL;
  streamalloc_record* rec = NULL;
  uint64_t t[1];
  streamalloc_claim_options o;
  char path[4096];
  FILE* out;
  int size = 1, failures = 0;
  uint64_t r, k;
  int64_t conflicts = 0;
  bool clean = true;

  if (argc != 2) {
    fprintf(stderr, "usage: consumer OUTDIR\n");
    return 2;
  }
  MPI_Init(&argc, &argv);
  check(streamalloc_runtime_create(MPI_COMM_WORLD, &rt), "streamalloc_runtime_create");
  check(streamalloc_runtime_rank(rt, &rank), "streamalloc_runtime_rank");
  check(streamalloc_runtime_size(rt, &size), "streamalloc_runtime_size");
  r = (uint64_t)rank;
  snprintf(path, sizeof path, "%s/draws.%d.txt", argv[1], rank);
  out = fopen(path, "w");
  if (out == NULL) {
    perror(path);
    MPI_Abort(MPI_COMM_WORLD, 2);
  }

  /* philox: static, dynamic, explicit, and a lockstep run of three. */
  check(streamalloc_campaign_create("12345", STREAMALLOC_STRATEGY_PHILOX, 0, &c), "campaign");
  check(streamalloc_allocator_create(rt, c, 0, NULL, &alloc), "streamalloc_allocator_create");
  t[0] = r;
  o = task_of(t, 0);
  check(streamalloc_allocator_philox_static(alloc, 0, &o, &claims[0]), "philox_static");
  draw(out, "philox", claims[0], 0, t[0]);
  t[0] = 100 + r;
  o = task_of(t, 0);
  check(streamalloc_allocator_philox_dynamic(alloc, &o, &claims[1]), "philox_dynamic");
  draw(out, "philox", claims[1], 0, t[0]);
  t[0] = 200 + r;
  o = task_of(t, 0);
  check(streamalloc_allocator_philox_explicit(alloc, 50000 + r, &o, &claims[2]), "philox_explicit");
  draw(out, "philox", claims[2], 0, t[0]);
  t[0] = 300 + 4 * r;
  o = task_of(t, 1);
  check(streamalloc_allocator_philox_range(alloc, 60000 + 4 * r, 3, &o, &claims[3]), "philox_range");
  for (k = 0; k < 3; ++k) draw(out, "philox", claims[3], k, t[0] + k);
  failures += finish(alloc, argv[1], "philox", claims, 4);
  check(streamalloc_campaign_free(c), "streamalloc_campaign_free");

  /* jumped: static, and a lockstep run of two. */
  check(streamalloc_campaign_create("12345", STREAMALLOC_STRATEGY_JUMPED, 0, &c), "campaign");
  check(streamalloc_allocator_create(rt, c, 0, NULL, &alloc), "streamalloc_allocator_create");
  t[0] = r;
  o = task_of(t, 0);
  check(streamalloc_allocator_jumped_static(alloc, 0, &o, &claims[0]), "jumped_static");
  draw(out, "jumped", claims[0], 0, t[0]);
  t[0] = 100 + 2 * r;
  o = task_of(t, 1);
  check(streamalloc_allocator_jumped_range(alloc, 10000 + 2 * r, 2, &o, &claims[1]), "jumped_range");
  for (k = 0; k < 2; ++k) draw(out, "jumped", claims[1], k, t[0] + k);
  failures += finish(alloc, argv[1], "jumped", claims, 2);
  check(streamalloc_campaign_free(c), "streamalloc_campaign_free");

  /* spawn: the rank's own path, a task path, and a lockstep run of two sub-tasks. */
  check(streamalloc_campaign_create("12345", STREAMALLOC_STRATEGY_SPAWN, 0, &c), "campaign");
  check(streamalloc_allocator_create(rt, c, 0, NULL, &alloc), "streamalloc_allocator_create");
  {
    uint64_t path2[2];
    t[0] = r;
    o = task_of(t, 0);
    check(streamalloc_allocator_spawn_rank(alloc, 0, &o, &claims[0]), "spawn_rank");
    draw(out, "spawn", claims[0], 0, t[0]);
    path2[0] = 1000 + r;
    path2[1] = 7;
    t[0] = 100 + r;
    o = task_of(t, 0);
    check(streamalloc_allocator_spawn(alloc, path2, 2, &o, &claims[1]), "spawn");
    draw(out, "spawn", claims[1], 0, t[0]);
    path2[0] = 2000 + r;
    t[0] = 200 + 2 * r;
    o = task_of(t, 1);
    check(streamalloc_allocator_spawn_range(alloc, path2, 1, 0, 2, &o, &claims[2]), "spawn_range");
    for (k = 0; k < 2; ++k) draw(out, "spawn", claims[2], k, t[0] + k);
  }
  failures += finish(alloc, argv[1], "spawn", claims, 3);
  check(streamalloc_campaign_free(c), "streamalloc_campaign_free");
  fclose(out);

  /* The deliberate reuse: every rank takes Philox stream ID 7 of job 1. */
  check(streamalloc_campaign_create("12345", STREAMALLOC_STRATEGY_PHILOX, 0, &c), "campaign");
  check(streamalloc_allocator_create(rt, c, 1, NULL, &alloc), "streamalloc_allocator_create");
  check(streamalloc_allocator_philox_explicit(alloc, 7, NULL, &claims[0]), "philox_explicit");
  check(streamalloc_allocator_verify(alloc, &v), "streamalloc_allocator_verify");
  check(streamalloc_verdict_clean(v, &clean), "streamalloc_verdict_clean");
  check(streamalloc_verdict_conflicts(v, &conflicts), "streamalloc_verdict_conflicts");
  printf("rank %d: reuse verdict: clean=%d conflicts=%lld\n", rank, clean ? 1 : 0, (long long)conflicts);
  if (size > 1 && (clean || conflicts != size - 1)) {
    fprintf(stderr, "rank %d: the reuse of stream ID 7 by %d ranks was not reported\n", rank, size);
    ++failures;
  }
  if (size > 1 && streamalloc_verdict_require_clean(v) != STREAMALLOC_ERR_REUSE) ++failures;
  check(streamalloc_verdict_free(v), "streamalloc_verdict_free");
  snprintf(path, sizeof path, "%s/reuse.jsonl", argv[1]);
  check(streamalloc_record_create(alloc, path, &rec), "streamalloc_record_create");
  check(streamalloc_record_close(rec), "streamalloc_record_close");
  check(streamalloc_record_free(rec), "streamalloc_record_free");
  check(streamalloc_claim_free(claims[0]), "streamalloc_claim_free");
  check(streamalloc_allocator_free(alloc), "streamalloc_allocator_free");
  check(streamalloc_campaign_free(c), "streamalloc_campaign_free");

  check(streamalloc_runtime_free(rt), "streamalloc_runtime_free");
  MPI_Allreduce(MPI_IN_PLACE, &failures, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0) printf("consumer (C): %s\n", failures == 0 ? "ok" : "FAILED");
  MPI_Finalize();
  return failures == 0 ? 0 : 1;
}
