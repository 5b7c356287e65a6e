// Claimed stream sets and their MPI-IO checkpoints, on 1 to 4 ranks: variables recorded as claims
// before they exist, reuse refused at once on a rank and reported by verify() on every rank,
// reseeds claimed, other strategies refused; checkpoints that continue every variable exactly on
// the same and on another rank count, carry the claims, refuse rank-rooted sets on another count,
// refuse damaged and foreign files on every rank, and keep the previous file when a rank fails.
// Expected values come from identities: a claimed set draws what a core stream_set on the same
// meta seed draws (the core suite checks those against NumPy). Tests only EXPECT before their
// last collective, so a failing rank never skips a collective the others enter.
#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "mpi_test_support.hpp"
#include "src/stream_set/checkpoint_hooks.hpp"
#include "support/expect_error.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/stream_set/claimed_stream_set.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc/mpi/stream_set/checkpoint.hpp"
#include "streamalloc/mpi/verify.hpp"
#include "streamalloc/stream_set/stream_set.hpp"

namespace streamalloc::mpi {
namespace {

using testing::all_ranks;
using testing::barrier;
using testing::same_on_all_ranks;
using testing::world;
using words = std::vector<std::uint64_t>;

campaign spawn_campaign(std::uint64_t seed = 31415926) {
  return campaign(seed_entropy(seed), strategy::spawn);
}

std::uint64_t rank_number() { return static_cast<std::uint64_t>(world().mpi_rank()); }
std::uint64_t ranks() { return static_cast<std::uint64_t>(world().size()); }
int last_rank() { return world().size() - 1; }
bool colliding_rank() { return world().mpi_rank() == 0 || world().mpi_rank() == last_rank(); }
bool two_ranks() { return world().size() > 1; }
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

using streamalloc::testing::expect_error;

template <class T>
std::uint64_t word_of(T value) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::bit_cast<std::uint64_t>(value);
  } else {
    return static_cast<std::uint64_t>(value);
  }
}

// Four variables of different distributions, created in a fixed order; draw() takes one round
// of values from each (single draws and a bulk fill) as exact 64-bit words.
struct variables {
  stream_variable<normal_distribution> x;
  stream_variable<integers_distribution<std::int64_t>> k;
  stream_variable<poisson_distribution> p;
  stream_variable<exponential_distribution> e;

  explicit variables(stream_set& set)
      : x(set.normal(1.0, 2.0)),
        k(set.integers(0, 1000)),
        p(set.poisson(3.5)),
        e(set.exponential(0.5)) {}

  words draw() {
    words out{word_of(x()), word_of(k()), word_of(p()), word_of(e()), word_of(x())};
    std::vector<double> bulk(3);
    e.fill(bulk);
    for (const double v : bulk) out.push_back(word_of(v));
    return out;
  }
};

// The claim of the registry with this spawn-path prefix and first component, if any.
std::optional<claims::claim> held(const claims::claim_registry& registry,
                                  const std::vector<std::uint64_t>& prefix, std::uint64_t first) {
  for (const claims::claim& c : registry.snapshot()) {
    if (c.kind == claims::claim_kind::spawn_path && c.prefix == prefix && c.first == first)
      return c;
  }
  return std::nullopt;
}

// A directory all ranks share, made for one test and removed after it (COLLECTIVE, both ends):
// rank 0's pid keeps concurrent ctest runs apart.
class scratch {
 public:
  explicit scratch(const std::string& name) {
    long pid = static_cast<long>(::getpid());
    check_mpi(MPI_Bcast(&pid, 1, MPI_LONG, 0, world().comm()), "MPI_Bcast");
    dir_ = std::filesystem::temp_directory_path() /
           ("streamalloc_stream_set_" + std::to_string(pid)) / name;
    if (world().mpi_rank() == 0) {
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
    }
    barrier();
  }
  ~scratch() {
    barrier();
    if (world().mpi_rank() == 0) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
      std::filesystem::remove(dir_.parent_path(), ignored);  // only once it is empty
    }
  }
  scratch(const scratch&) = delete;
  scratch& operator=(const scratch&) = delete;

  std::filesystem::path operator/(const std::string& file) const { return dir_ / file; }

 private:
  std::filesystem::path dir_;
};

std::vector<char> file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::span<const std::byte> as_blob(const std::string& text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

std::string blob_text(std::span<const std::byte> blob) {
  return {reinterpret_cast<const char*>(blob.data()), blob.size()};
}

// ---------------------------------------------------------------------------------------------
// Claimed stream sets.

TEST(ClaimedStreamSet, VariablesAreRecordedAsClaimsOfTheirSpawnPaths) {
  stream_allocator alloc(world(), spawn_campaign(), job_index(2));
  const std::uint64_t t = 10 + rank_number();
  claimed_stream_set s = claim_task_stream_set(alloc, task_path{t});
  EXPECT_EQ(s.origin_path(), task_path{t});
  EXPECT_EQ(s.rooting(), stream_set_rooting::task);
  EXPECT_EQ(alloc.registry().streams(), 1U);  // the set's own path (t,)
  variables v(s.set());
  // (t,) and (t, 0) .. (t, 3): the four variables are one record.
  EXPECT_EQ(alloc.registry().records(), 2U);
  EXPECT_EQ(alloc.registry().streams(), 5U);
  const auto vars = held(alloc.registry(), {t}, 0);
  EXPECT_TRUE(vars.has_value());
  if (vars) {
    EXPECT_EQ(vars->count, 4U);
    EXPECT_EQ(vars->task, task_path{t});
    EXPECT_EQ(vars->owner, world().rank());
  }
  // Variable 1 starts on spawn path (t, 1): NumPy's SeedSequence(root, spawn_key=(2, t, 1)).
  EXPECT_TRUE(same_state(v.k.generator(), any_bit_generator(bit_generator_kind::pcg64,
                                                            alloc.origin().spawn_sequence(
                                                                job_index(2), task_path{t, 1}))));
  // And every variable draws what a core set on the same meta seed draws.
  stream_set reference(alloc.origin().spawn_sequence(job_index(2), task_path{t}));
  variables r(reference);
  EXPECT_EQ(v.draw(), r.draw());

  const verdict verdict_all = alloc.verify();
  EXPECT_TRUE(verdict_all.clean()) << verdict_all.report();
  EXPECT_EQ(verdict_all.streams, 5U * ranks());
}

TEST(ClaimedStreamSet, RankRootedSetsLiveOnTheRanksPath) {
  stream_allocator alloc(world(), spawn_campaign(), job_index(0));
  claimed_stream_set s = claim_rank_stream_set(alloc, 3, bit_generator_kind::philox);
  const task_path path{rank_number(), 3};
  EXPECT_EQ(s.origin_path(), path);
  EXPECT_EQ(s.rooting(), stream_set_rooting::rank);
  variables v(s.set());
  EXPECT_TRUE(held(alloc.registry(), {rank_number()}, 3).has_value());
  EXPECT_TRUE(held(alloc.registry(), {rank_number(), 3}, 0).has_value());
  stream_set reference(alloc.origin().spawn_sequence(job_index(0), path),
                       bit_generator_kind::philox);
  variables r(reference);
  EXPECT_EQ(v.draw(), r.draw());
  const verdict verdict_all = alloc.verify();
  EXPECT_TRUE(verdict_all.clean()) << verdict_all.report();
  EXPECT_EQ(verdict_all.streams, 5U * ranks());
}

TEST(ClaimedStreamSet, OneTaskPathOnTwoRanksIsReportedOnEveryRank) {
  stream_allocator alloc(world(), spawn_campaign(), job_index(0));
  const task_path task = colliding_rank() ? task_path{42} : task_path{100 + rank_number()};
  claimed_stream_set s = claim_task_stream_set(alloc, task);
  s->normal();
  s->integers(0, 6);
  const verdict v = alloc.verify();
  EXPECT_TRUE(same_on_all_ranks(v.report())) << v.report();
  if (two_ranks()) {
    const std::string last = "rank " + std::to_string(last_rank());
    bool meta = false;
    bool variable = false;
    for (const claims::conflict& c : v.conflicts) {
      const bool both = contains(c.message, "rank 0") && contains(c.message, last);
      meta = meta || (both && contains(c.message, "spawn path (0, 42)"));
      variable = variable || (both && contains(c.message, "(0, 42, "));
    }
    EXPECT_TRUE(meta) << v.report();
    EXPECT_TRUE(variable) << v.report();
    EXPECT_THROW(require_clean(v), reuse_error);
  } else {
    EXPECT_TRUE(v.clean()) << v.report();
  }
}

TEST(ClaimedStreamSet, AVariableOnAnAliasOrAHeldPathIsRefusedAtOnce) {
  stream_allocator alloc(world(), spawn_campaign(), job_index(0));
  const std::uint64_t r = rank_number();
  // NumPy coerces r + 2^32 to the words [r, 1]: spawn key (0, r + 2^32) is (0, r, 1), the
  // stream of variable 1 of a set on (r,).
  alloc.spawn(task_path{r + (std::uint64_t{1} << 32)});
  claimed_stream_set s = claim_task_stream_set(alloc, task_path{r});
  auto x = s->normal();
  const std::uint64_t streams = alloc.registry().streams();
  expect_error<reuse_error>([&] { s->integers(0, 10); }, "SeedSequence pool equals that of");
  EXPECT_EQ(s->size(), 1U);
  EXPECT_EQ(alloc.registry().streams(), streams);

  // The exact path of a variable, already held.
  alloc.spawn(task_path{1000 + r, 0});
  claimed_stream_set t = claim_task_stream_set(alloc, task_path{1000 + r});
  expect_error<reuse_error>([&] { t->normal(); }, "overlaps");
  EXPECT_EQ(t->size(), 0U);
  // Building a second set on a held path is refused before any variable.
  expect_error<reuse_error>([&] { claim_task_stream_set(alloc, task_path{r}); }, "overlaps");
  (void)x;

  const verdict v = alloc.verify();
  EXPECT_TRUE(v.clean()) << v.report();  // refused claims were never recorded
}

TEST(ClaimedStreamSet, ReseedingClaimsTheNewMetaSeedsChildren) {
  stream_allocator alloc(world(), spawn_campaign(), job_index(1));
  const task_path task{20 + rank_number()};
  claimed_stream_set s = claim_task_stream_set(alloc, task);
  variables v(s.set());
  v.draw();
  const seed_sequence next = alloc.origin().spawn_sequence(job_index(1), task.child(1000));
  s->seed(next);
  const auto moved = held(alloc.registry(), task.child(1000).parts(), 0);
  EXPECT_TRUE(moved.has_value() && moved->count == 4) << alloc.registry().streams();
  EXPECT_EQ(alloc.registry().streams(), 1U + 4U + 4U);
  stream_set fresh(next);
  variables f(fresh);
  EXPECT_EQ(v.draw(), f.draw());

  // Going back to the first meta seed would replay used streams: refused, the set unchanged.
  expect_error<reuse_error>([&] { s->seed(alloc.origin().spawn_sequence(job_index(1), task)); },
                            "overlaps");
  EXPECT_EQ(s->meta_seed(), next);
  // A seed that is not a stream of this run has no spawn path to claim.
  expect_error<invalid_argument>([&] { s->seed(seed_sequence(seed_entropy(5))); },
                                 "not a stream of this run");
  // Children are numbered from n_children_spawned, as NumPy's spawn() numbers them.
  seed_sequence spawned = next;
  spawned.spawn(10);
  s->seed(spawned);
  EXPECT_TRUE(held(alloc.registry(), task.child(1000).parts(), 0).has_value());
  EXPECT_EQ(alloc.registry().streams(), 1U + 4U + 4U + 4U);  // (task, 1000, 10..13) merged in

  const verdict verdict_all = alloc.verify();
  EXPECT_TRUE(verdict_all.clean()) << verdict_all.report();
}

TEST(ClaimedStreamSet, OtherStrategiesAreRefused) {
  for (const strategy how : {strategy::philox, strategy::jumped}) {
    stream_allocator alloc(world(), campaign(seed_entropy(1), how), job_index(0));
    const std::string name = "strategy is " + std::string(to_string(how));
    expect_error<invalid_argument>([&] { claim_task_stream_set(alloc, task_path{1}); }, name);
    expect_error<invalid_argument>([&] { claim_rank_stream_set(alloc, 0); }, name);
    EXPECT_EQ(alloc.registry().records(), 0U);
  }
}

// ---------------------------------------------------------------------------------------------
// Checkpoints.

// Draws `rounds` rounds from a core set on the task's meta seed: the values a checkpointed set
// must continue with.
words reference_round(const campaign& origin, job_index job, std::uint64_t task, int skip) {
  stream_set reference(origin.spawn_sequence(job, task_path{task}));
  variables r(reference);
  for (int i = 0; i < skip; ++i) r.draw();
  return r.draw();
}

TEST(StreamSetCheckpoint, RoundTripContinuesEveryVariableAndCarriesTheClaims) {
  const scratch dir("round_trip");
  const auto path = dir / "run.ckpt";
  const campaign origin = spawn_campaign();
  const job_index job(3);
  // The default assignment keeps tasks r + 100 * ranks and r + 200 * ranks on rank r; their
  // first components cannot be a rank number, so they do not collide with the rank-rooted set
  // (r, 0) (stream_allocator.hpp: do not mix rootings on overlapping numbers).
  const std::vector<std::uint64_t> tasks{rank_number() + 100 * ranks(),
                                         rank_number() + 200 * ranks()};
  std::vector<words> after;
  std::uint64_t streams_written = 0;
  {
    stream_allocator alloc(world(), origin, job);
    std::vector<claimed_stream_set> sets;
    std::vector<variables> vars;
    for (const auto t : tasks) sets.push_back(claim_task_stream_set(alloc, task_path{t}));
    sets.push_back(claim_rank_stream_set(alloc, 0));
    for (auto& s : sets) vars.emplace_back(s.set());
    for (auto& v : vars) v.draw();
    write_checkpoint(alloc, path, sets, as_blob("round 1"));
    for (auto& v : vars) after.push_back(v.draw());
    streams_written = alloc.registry().streams();
  }
  stream_allocator alloc(world(), origin, job);
  const stream_set_checkpoint ck = read_checkpoint(alloc, path);
  EXPECT_EQ(ck.task_sets(), (std::vector<task_path>{task_path{tasks[0]}, task_path{tasks[1]}}));
  EXPECT_EQ(ck.rank_sets(), std::vector<std::uint64_t>{0});
  EXPECT_EQ(blob_text(ck.app_state()), "round 1");
  EXPECT_EQ(ck.written_ranks(), static_cast<std::uint32_t>(world().size()));
  EXPECT_EQ(alloc.registry().streams(), streams_written);
  std::vector<claimed_stream_set> sets;
  for (const auto t : tasks) sets.push_back(ck.resume_task_set(alloc, task_path{t}));
  sets.push_back(ck.resume_rank_set(alloc, 0));
  for (std::size_t i = 0; i < sets.size(); ++i) {
    variables v(sets[i].set());
    ck.restore(sets[i]);
    EXPECT_EQ(v.draw(), after[i]) << "set " << i;
  }
  EXPECT_EQ(alloc.registry().streams(), streams_written);  // re-creating claimed nothing
  sets[0]->random();  // a variable beyond the checkpoint's is a new claim
  EXPECT_EQ(alloc.registry().streams(), streams_written + 1);
  // The carried claims are held here: taking one of their paths again is refused at once.
  expect_error<reuse_error>([&] { alloc.spawn(task_path{tasks[0], 2}); }, "overlaps");
  expect_error<invalid_argument>([&] { ck.resume_task_set(alloc, task_path{9999}); },
                                 "no task-rooted set (9999,)");

  const verdict v = alloc.verify();
  EXPECT_TRUE(v.clean()) << v.report();
}

// The world's first `count` ranks as a communicator (MPI_COMM_NULL elsewhere).
MPI_Comm first_ranks(int count) {
  MPI_Comm sub = MPI_COMM_NULL;
  check_mpi(MPI_Comm_split(world().comm(), world().mpi_rank() < count ? 0 : MPI_UNDEFINED,
                           world().mpi_rank(), &sub),
            "MPI_Comm_split");
  return sub;
}

std::uint64_t sum_over_world(std::uint64_t local) {
  std::uint64_t total = 0;
  check_mpi(MPI_Allreduce(&local, &total, 1, MPI_UINT64_T, MPI_SUM, world().comm()),
            "MPI_Allreduce");
  return total;
}

TEST(StreamSetCheckpoint, TaskRootedSetsMoveToAnotherRankCount) {
  const scratch dir("rank_count");
  const auto path = dir / "run.ckpt";
  const campaign origin = spawn_campaign();
  const job_index job(0);
  std::uint64_t written = 0;
  {
    stream_allocator alloc(world(), origin, job);
    std::vector<claimed_stream_set> sets;
    for (std::uint64_t i = 0; i < 3; ++i) {
      sets.push_back(claim_task_stream_set(alloc, task_path{3 * rank_number() + i}));
      variables v(sets.back().set());
      v.draw();
      v.draw();
    }
    write_checkpoint(alloc, path, sets);
    written = alloc.registry().streams();
  }
  const std::uint64_t written_total = sum_over_world(written);

  const int readers = two_ranks() ? world().size() - 1 : 1;
  MPI_Comm sub = first_ranks(readers);
  std::uint64_t restored = 0;
  std::uint64_t carried = 0;
  if (sub != MPI_COMM_NULL) {
    runtime rt(sub);
    stream_allocator alloc(rt, origin, job);
    const stream_set_checkpoint ck = read_checkpoint(alloc, path);
    for (const task_path& task : ck.task_sets()) {
      EXPECT_EQ(round_robin(task, readers), rt.mpi_rank()) << task.to_string();
      claimed_stream_set s = ck.resume_task_set(alloc, task);
      variables v(s.set());
      ck.restore(s);
      EXPECT_EQ(v.draw(), reference_round(origin, job, task.parts()[0], 2)) << task.to_string();
      ++restored;
    }
    carried = alloc.registry().streams();
    const verdict v = verify(rt, alloc.registry());
    EXPECT_TRUE(v.clean()) << v.report();
    EXPECT_EQ(v.streams, written_total);
  }
  if (sub != MPI_COMM_NULL) check_mpi(MPI_Comm_free(&sub), "MPI_Comm_free");
  EXPECT_EQ(sum_over_world(restored), 3U * ranks());
  EXPECT_EQ(sum_over_world(carried), written_total);
}

TEST(StreamSetCheckpoint, RankRootedSetsRefuseAnotherRankCount) {
  if (!two_ranks()) GTEST_SKIP() << "needs a smaller rank count to read on";
  const scratch dir("rank_rooted");
  const auto path = dir / "run.ckpt";
  {
    stream_allocator alloc(world(), spawn_campaign(), job_index(0));
    std::vector<claimed_stream_set> sets;
    sets.push_back(claim_rank_stream_set(alloc, 0));
    sets.back()->normal();
    write_checkpoint(alloc, path, sets);
  }
  MPI_Comm sub = first_ranks(world().size() - 1);
  if (sub != MPI_COMM_NULL) {
    runtime rt(sub);
    stream_allocator alloc(rt, spawn_campaign(), job_index(0));
    expect_error<invalid_argument>([&] { read_checkpoint(alloc, path); },
                                   "continue only on " + std::to_string(world().size()) + " ranks");
    check_mpi(MPI_Comm_free(&sub), "MPI_Comm_free");
  }
  barrier();
}

TEST(StreamSetCheckpoint, DamagedAndForeignFilesAreRefusedOnEveryRank) {
  const scratch dir("damaged");
  const auto good = dir / "good.ckpt";
  {
    stream_allocator alloc(world(), spawn_campaign(), job_index(0));
    std::vector<claimed_stream_set> sets;
    sets.push_back(claim_task_stream_set(alloc, task_path{rank_number()}));
    variables v(sets.back().set());
    v.draw();
    write_checkpoint(alloc, good, sets, as_blob("app"));
  }
  if (world().mpi_rank() == 0) {
    const std::vector<char> bytes = file_bytes(good);
    write_bytes(dir / "truncated.ckpt", std::vector<char>(bytes.begin(), bytes.end() - 7));
    write_bytes(dir / "short.ckpt", std::vector<char>(bytes.begin(), bytes.begin() + 30));
    // Rank 0's claims start right after the header, whose length is bytes 16..23.
    std::uint64_t header_length = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      const auto byte = static_cast<unsigned char>(bytes[16 + i]);
      header_length |= std::uint64_t{byte} << (8 * i);
    }
    std::vector<char> claims = bytes;
    claims[header_length + 5] = static_cast<char>(claims[header_length + 5] ^ 0x20);
    write_bytes(dir / "claims.ckpt", claims);
    std::vector<char> flipped = bytes;
    flipped[60] = static_cast<char>(flipped[60] ^ 0x10);  // inside the campaign string
    write_bytes(dir / "header.ckpt", flipped);
    flipped = bytes;
    flipped.back() = static_cast<char>(flipped.back() ^ 0x01);  // the last set's own CRC
    write_bytes(dir / "set.ckpt", flipped);
    write_bytes(dir / "foreign.ckpt", std::vector<char>(100, 'x'));
  }
  barrier();

  const auto refused = [&](const char* file, auto error, const std::string& fragment,
                           const campaign& origin, job_index job) {
    stream_allocator alloc(world(), origin, job);
    expect_error<decltype(error)>([&] { read_checkpoint(alloc, dir / file); }, fragment);
    EXPECT_EQ(alloc.registry().records(), 0U) << file;  // nothing carried from a refused file
  };
  refused("truncated.ckpt", io_error(""), "truncated", spawn_campaign(), job_index(0));
  refused("short.ckpt", io_error(""), "the file only 30 (truncated)", spawn_campaign(),
          job_index(0));
  refused("header.ckpt", io_error(""), "CRC-32C", spawn_campaign(), job_index(0));
  refused("claims.ckpt", io_error(""), "rank 0's claims", spawn_campaign(), job_index(0));
  refused("set.ckpt", io_error(""), "damaged", spawn_campaign(), job_index(0));
  refused("foreign.ckpt", io_error(""), "not a stream set checkpoint", spawn_campaign(),
          job_index(0));
  refused("missing.ckpt", io_error(""), "cannot open checkpoint", spawn_campaign(), job_index(0));
  refused("good.ckpt", invalid_argument(""), "belongs to campaign", spawn_campaign(7),
          job_index(0));
  refused("good.ckpt", invalid_argument(""), "is of job 0, expected this run's job 5",
          spawn_campaign(), job_index(5));
  // The intact file still reads.
  stream_allocator alloc(world(), spawn_campaign(), job_index(0));
  EXPECT_EQ(blob_text(read_checkpoint(alloc, good).app_state()), "app");
  EXPECT_TRUE(all_ranks(true));
}

TEST(StreamSetCheckpoint, AFailedWriteLeavesThePreviousCheckpoint) {
  const scratch dir("failed_write");
  const auto path = dir / "run.ckpt";
  stream_allocator alloc(world(), spawn_campaign(), job_index(0));
  std::vector<claimed_stream_set> sets;
  sets.push_back(claim_task_stream_set(alloc, task_path{rank_number()}));
  sets.back()->normal();
  write_checkpoint(alloc, path, sets, as_blob("first"));
  detail::checkpoint_hooks failing;
  failing.fail_on_rank = last_rank();
  expect_error<io_error>(
      [&] { detail::write_checkpoint(alloc, path, sets, as_blob("second"), failing); },
      "injected failure");
  bool no_temporary = true;
  if (world().mpi_rank() == 0) {
    for (const auto& entry : std::filesystem::directory_iterator(dir / "")) {
      no_temporary = no_temporary && entry.path().filename() == "run.ckpt";
    }
  }
  EXPECT_TRUE(all_ranks(no_temporary));
  stream_allocator reader(world(), spawn_campaign(), job_index(0));
  EXPECT_EQ(blob_text(read_checkpoint(reader, path).app_state()), "first");
}

// Shared directories: the temporary file has an unpredictable name created exclusively, so a
// symbolic link planted where the old fixed name (<path>.tmp) was is never written through, and
// a link planted as the checkpoint itself is refused, not followed.
TEST(StreamSetCheckpoint, PlantedSymbolicLinksAreNeitherFollowedNorReplaced) {
  const scratch dir("planted_links");
  const auto path = dir / "run.ckpt";
  const auto victim = dir / "victim";
  if (world().mpi_rank() == 0) {
    std::ofstream(victim) << "precious";
    std::filesystem::create_symlink(victim, path.string() + ".tmp");
  }
  barrier();
  stream_allocator alloc(world(), spawn_campaign(), job_index(0));
  std::vector<claimed_stream_set> sets;
  sets.push_back(claim_task_stream_set(alloc, task_path{rank_number()}));
  write_checkpoint(alloc, path, sets, as_blob("mine"));
  const auto victim_text = [&] {
    std::ifstream in(victim);
    std::string text;
    std::getline(in, text);
    return text;
  };
  EXPECT_TRUE(all_ranks(victim_text() == "precious"));
  const auto linked = dir / "linked.ckpt";
  if (world().mpi_rank() == 0) std::filesystem::create_symlink(victim, linked);
  barrier();
  expect_error<io_error>([&] { write_checkpoint(alloc, linked, sets, as_blob("x")); },
                         "symbolic link");
  EXPECT_TRUE(all_ranks(victim_text() == "precious" && std::filesystem::is_symlink(linked)));
}

}  // namespace
}  // namespace streamalloc::mpi
