// verify()'s verdict does not depend on the rank count (issue 8). Each scenario spreads a fixed
// set of claims over the ranks (slot s on rank s mod P) and asserts the conflicts the streams'
// geometry says exist — computed here from the generators (jumped(), advance(), counters) and
// from NumPy's word rule, never from verify() itself — on 1, 2, 3 and 4 ranks alike. Every
// verdict is also compared with find_conflicts() of all ranks' claims gathered on one rank,
// message for message. Tests only EXPECT before their last collective.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "mpi_test_support.hpp"
#include "src/verify_hooks.hpp"  // the test-only hooks (lib/mpi/src)
#include "streamalloc/claims/conflict.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc/mpi/verify.hpp"
#include "streamalloc/stream_geometry.hpp"

namespace streamalloc::mpi {
namespace {

using testing::all_ranks;
using testing::gather_all;
using testing::world;

constexpr std::uint64_t two32 = std::uint64_t{1} << 32;

int ranks() { return world().size(); }
int me() { return world().mpi_rank(); }
// Slot s of a scenario is claimed on rank s mod P.
bool mine(int slot) { return slot % ranks() == me(); }

campaign make_campaign(strategy how) { return campaign(seed_entropy(20240607), how); }

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- every rank's claims, gathered (as 64-bit words) ----------------------------------------

void put128(std::vector<std::uint64_t>& w, uint128 v) {
  w.push_back(high64(v));
  w.push_back(low64(v));
}
uint128 get128(const std::vector<std::uint64_t>& w, std::size_t& i) {
  const uint128 v = make_uint128(w[i], w[i + 1]);
  i += 2;
  return v;
}

std::vector<claims::claim> all_claims(const stream_allocator& alloc) {
  std::vector<std::uint64_t> words;
  alloc.registry().for_each([&](const claims::claim& c) {
    words.insert(words.end(), {static_cast<std::uint64_t>(c.kind), c.first, c.count, c.job.value(),
                               c.owner.value(), c.prefix.size()});
    words.insert(words.end(), c.prefix.begin(), c.prefix.end());
    put128(words, c.sequence);
    put128(words, c.position);
    put128(words, c.position_high);
    words.push_back(c.task ? c.task->depth() + 1 : 0);
    if (c.task) words.insert(words.end(), c.task->parts().begin(), c.task->parts().end());
    words.push_back(c.task_lockstep ? 1 : 0);
    put128(words, c.budget);
    put128(words, c.used);
  });
  const auto all = gather_all(words);
  std::vector<claims::claim> out;
  for (std::size_t i = 0; i < all.size();) {
    claims::claim c;
    c.kind = static_cast<claims::claim_kind>(all[i++]);
    c.first = all[i++];
    c.count = all[i++];
    c.job = job_index(all[i++]);
    c.owner = rank_id(static_cast<std::uint32_t>(all[i++]));
    c.prefix.assign(all.begin() + static_cast<std::ptrdiff_t>(i + 1),
                    all.begin() + static_cast<std::ptrdiff_t>(i + 1 + all[i]));
    i += 1 + all[i];
    c.sequence = get128(all, i);
    c.position = get128(all, i);
    c.position_high = get128(all, i);
    if (const std::uint64_t depth = all[i++]; depth != 0) {
      c.task = task_path(
          std::vector<std::uint64_t>(all.begin() + static_cast<std::ptrdiff_t>(i),
                                     all.begin() + static_cast<std::ptrdiff_t>(i + depth - 1)));
      i += depth - 1;
    }
    c.task_lockstep = all[i++] != 0;
    c.budget = get128(all, i);
    c.used = get128(all, i);
    out.push_back(std::move(c));
  }
  return out;
}

// COLLECTIVE. The verdict is find_conflicts() of every rank's claims: the same conflicts, in the
// same order, with the same messages — the serial check verify() distributes.
void expect_serial_verdict(const verdict& v, const stream_allocator& alloc) {
  const auto gathered = all_claims(alloc);
  std::vector<claims::sourced_claim> sourced;
  for (const auto& c : gathered) sourced.push_back({&alloc.origin(), c, ""});
  const auto serial = claims::find_conflicts(sourced);
  ASSERT_EQ(v.conflicts.size(), serial.size()) << v.report();
  for (std::size_t i = 0; i < serial.size(); ++i) {
    EXPECT_EQ(v.conflicts[i].message, serial[i].message);
    EXPECT_EQ(v.conflicts[i].kind, serial[i].kind);
  }
  EXPECT_EQ(v.claims, gathered.size());
}

// The conflicts with rank numbers blanked: what every rank count must agree on.
std::vector<std::string> signature(const verdict& v) {
  std::vector<std::string> out;
  const std::regex rank_number("rank [0-9]+");
  for (const auto& c : v.conflicts) {
    out.push_back(std::string(claims::to_string(c.kind)) + ": " +
                  std::regex_replace(c.message, rank_number, "rank ?"));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string lines(const std::vector<std::string>& s) {
  std::string out;
  for (const auto& line : s) out += line + "\n";
  return out;
}

claim_options budget(uint128 b) {
  claim_options o;
  o.budget = b;
  return o;
}

// Expects invalid_argument naming every fragment.
template <class Fn>
void expect_refused(Fn&& fn, std::initializer_list<const char*> fragments) {
  try {
    fn();
    ADD_FAILURE() << "expected invalid_argument";
  } catch (const invalid_argument& e) {
    for (const char* f : fragments) EXPECT_TRUE(contains(e.what(), f)) << e.what();
  }
}

// The offset, in draws from the campaign's root PCG64, at which jumped(j) of job 0 starts.
uint128 jump_offset(std::uint64_t j) { return uint128{j} * pcg_jump_step; }

// ---- issue 8: PCG64 budgets ------------------------------------------------------------------

// The cases reach past 2^64 draws: refused at claim time, naming the budget and the
// limit, on every rank count (so no verdict can depend on where the claims landed).
TEST(VerdictBudgets, PcgBudgetsPast2Pow64AreRefusedAtClaimTime) {
  stream_allocator alloc(world(), make_campaign(strategy::jumped), job_index(0));
  const auto base = static_cast<std::uint64_t>(me()) * 100;
  expect_refused([&] { alloc.jumped_explicit(jump_index(base), budget(uint128{1} << 127)); },
                 {"budget 170141183460469231731687303715884105728", "2^64"});
  expect_refused([&] { alloc.pcg64_block(uint128{1} << 69, budget(uint128{1} << 70)); },
                 {"budget 1180591620717411303424", "2^64"});
  expect_refused([&] { alloc.pcg64_block(uint128{1} << 99, budget(uint128{1} << 100)); },
                 {"budget 1267650600228229401496703205376"});
  expect_refused([&] { alloc.jumped_range(jump_index(base + 1), 10, budget(uint128{1} << 80)); },
                 {"budget 1208925819614629174706176"});
  EXPECT_EQ(alloc.registry().records(), 0U);
  EXPECT_NO_THROW(alloc.jumped_explicit(jump_index(base), budget(claims::max_budget)));
  const verdict v = alloc.verify();
  EXPECT_TRUE(v.clean()) << v.report();
}

// Within 2^64 draws every overlap is found, wherever its claims are: the shapes at the
// largest budget the library accepts.
TEST(VerdictBudgets, PcgOverlapsWithin2Pow64AreFoundOnEveryRankCount) {
  stream_allocator alloc(world(), make_campaign(strategy::jumped), job_index(0));
  const uint128 half = uint128{1} << 63;
  const std::uint64_t inside = 1000 + (std::uint64_t{1} << 19);
  if (mine(0)) alloc.jumped_explicit(jump_index(0), budget(claims::max_budget));
  if (mine(1)) alloc.pcg64_block(half, budget(1));                 // inside jump index 0
  if (mine(2)) alloc.pcg64_block(uint128{1} << 64, budget(1000));  // just past its end
  if (mine(3))
    alloc.jumped_range(jump_index(1000), std::uint64_t{1} << 20, budget(claims::max_budget));
  if (mine(4)) alloc.pcg64_block(jump_offset(inside) + half, budget(10));  // in jump 525288
  if (mine(5)) alloc.pcg64_block(jump_offset(inside) - 5, budget(5));      // ends just before
  const verdict v = alloc.verify();
  const auto sig = signature(v);
  EXPECT_EQ(sig.size(), 2U) << v.report();
  EXPECT_EQ(std::count_if(sig.begin(), sig.end(),
                          [](const std::string& s) { return s.rfind("overlap: ", 0) == 0; }),
            2)
      << lines(sig);
  EXPECT_TRUE(contains(lines(sig), "starts 9223372036854775808 draws after jump index 0 on"))
      << lines(sig);
  EXPECT_TRUE(contains(lines(sig), "starts 9223372036854775808 draws after jump index 525288"))
      << lines(sig);
  expect_serial_verdict(v, alloc);
}

// One meaning of a budget for every kind (claim.hpp): B draws of 64-bit words. Philox: the first
// four words of Philox(key, 0) are block 1, so a stream at counter 1 shares nothing with 4 draws
// and a block with 5; PCG64: draw 2 of a stream is draw 1 of its copy advanced by one.
TEST(VerdictBudgets, BudgetsAreDrawsOf64BitWordsForEveryKind) {
  for (const uint128 words : {uint128{4}, uint128{5}}) {
    stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
    const uint128 key = alloc.origin().philox_key(job_index(0), stream_id(3));
    if (mine(0)) alloc.philox_explicit(stream_id(3), budget(words));
    if (mine(1)) alloc.philox_at(key, 1, budget(1));
    const verdict v = alloc.verify();
    EXPECT_EQ(v.conflicts.size(), words == 4 ? 0U : 1U) << v.report();
    if (words == 5 && v.conflicts.size() == 1) {
      EXPECT_TRUE(contains(v.conflicts[0].message, "both use counter block 0x2")) << v.report();
    }
    expect_serial_verdict(v, alloc);
  }
  for (const uint128 draws : {uint128{1}, uint128{2}}) {
    stream_allocator alloc(world(), make_campaign(strategy::jumped), job_index(0));
    if (mine(0)) alloc.pcg64_block(0, budget(draws));
    if (mine(1)) alloc.pcg64_block(1, budget(1));
    const verdict v = alloc.verify();
    EXPECT_EQ(v.conflicts.size(), draws == 1 ? 0U : 1U) << v.report();
    expect_serial_verdict(v, alloc);
  }
}

// ---- issue 8: runs of any length ---------------------------------------------------------------

TEST(VerdictRuns, HugeRangesAreOneRecordEachAndCheckedWhole) {
  {
    stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
    const std::uint64_t top = std::uint64_t{1} << 63;
    if (mine(0)) alloc.philox_range(stream_id(0), top);
    if (mine(1)) alloc.philox_range(stream_id(top), std::uint64_t{1} << 48);
    if (mine(2)) alloc.philox_range(stream_id(top + (std::uint64_t{1} << 48)), two32);
    const verdict clean = alloc.verify();
    EXPECT_TRUE(clean.clean()) << clean.report();
    EXPECT_EQ(clean.streams, top + (std::uint64_t{1} << 48) + two32);
    expect_serial_verdict(clean, alloc);
  }
  {
    // A job's whole jumped region (2^40 streams) and hand-built copies inside and beside it.
    stream_allocator alloc(world(), make_campaign(strategy::jumped), job_index(0));
    const std::uint64_t middle = std::uint64_t{1} << 39;
    if (mine(0)) alloc.jumped_range(jump_index(0), std::uint64_t{1} << 40, budget(1000));
    if (mine(1)) alloc.pcg64_block(jump_offset(middle) + 5, budget(10));     // inside
    if (mine(2)) alloc.pcg64_block(jump_offset(middle) + 1000, budget(10));  // just after
    const verdict v = alloc.verify();
    const auto sig = signature(v);
    EXPECT_EQ(sig.size(), 1U) << v.report();
    EXPECT_TRUE(contains(lines(sig), "starts 5 draws after jump index 549755813888")) << lines(sig);
    expect_serial_verdict(v, alloc);
  }
  {
    stream_allocator alloc(world(), make_campaign(strategy::spawn), job_index(0));
    if (mine(0)) alloc.spawn_range(task_path{1}, 0, std::uint64_t{1} << 48);
    if (mine(1)) alloc.spawn_range(task_path{2}, 0, std::uint64_t{1} << 48);
    const verdict v = alloc.verify();
    EXPECT_TRUE(v.clean()) << v.report();
    expect_serial_verdict(v, alloc);
  }
}

// A run of 40000 components >= 2^32 is one record and one interval (it was quadratic): clean
// beside its neighbours, and its NumPy alias (7, x, 5) = words [.., 7, x, 5] = (7, 5 * 2^32 + x)
// is found from another rank, or refused at claim time on the same one.
TEST(VerdictRuns, SpawnRunsOfTwoWordComponents) {
  stream_allocator alloc(world(), make_campaign(strategy::spawn), job_index(0));
  if (mine(0)) alloc.spawn_range(task_path{7}, 5 * two32, 40000);
  if (mine(1)) alloc.spawn_range(task_path{7, 12345}, 6, 100);  // [7, 12345, 6..]: past the run
  if (mine(2)) alloc.spawn_range(task_path{7, 40000}, 5, 1);    // x = 40000: past the run
  const verdict clean = alloc.verify();
  EXPECT_TRUE(clean.clean()) << clean.report();
  expect_serial_verdict(clean, alloc);
  const int other = ranks() - 1;  // rank 0 holds the run
  bool refused = false;
  if (me() == other) {
    try {
      alloc.spawn(task_path{7, 12345, 5});
    } catch (const reuse_error& e) {
      refused = contains(e.what(), "SeedSequence pool equals");
    }
  }
  const verdict v = alloc.verify();
  if (ranks() == 1) {
    EXPECT_TRUE(refused);
    EXPECT_TRUE(v.clean()) << v.report();
  } else {
    const auto sig = signature(v);
    EXPECT_EQ(sig.size(), 1U) << v.report();
    EXPECT_TRUE(contains(lines(sig), "spawn path (0, 7, 21474848825)"))
        << lines(sig);  // 5 * 2^32 + 12345
    EXPECT_TRUE(contains(lines(sig), "identical SeedSequence pools")) << lines(sig);
  }
  expect_serial_verdict(v, alloc);
}

// ---- issue 8: hand-built Philox streams, the two outcomes of reuse, and the spawn limit --------

TEST(VerdictReuse, JumpedPhiloxCopiesClaimedByHandAreOtherStreams) {
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  const philox twelve = alloc.origin().philox_stream(job_index(0), stream_id(12));
  if (mine(0)) alloc.philox_explicit(stream_id(12));
  if (mine(1)) alloc.philox_at(twelve.jumped());   // counter 2^128
  if (mine(2)) alloc.philox_at(twelve.jumped(3));  // counter 3 * 2^128
  const verdict v = alloc.verify();
  EXPECT_TRUE(v.clean()) << v.report();
  expect_serial_verdict(v, alloc);
}

// A stream taken twice is refused at claim time on one rank (reuse_error), and reported by
// verify() across ranks — the two outcomes stream_allocator.hpp documents.
TEST(VerdictReuse, ReuseIsRefusedOnOneRankAndReportedAcrossRanks) {
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  const uint128 key9 = alloc.origin().philox_key(job_index(0), stream_id(9));
  int refused = 0;
  const auto take = [&](auto&& claim_it) {
    try {
      claim_it();
    } catch (const reuse_error&) {
      ++refused;
    }
  };
  if (mine(0)) take([&] { alloc.philox_explicit(stream_id(5)); });
  if (mine(1)) take([&] { alloc.philox_explicit(stream_id(5)); });
  if (mine(0)) take([&] { alloc.philox_explicit(stream_id(9)); });
  if (mine(1)) take([&] { alloc.philox_at(key9, 0); });
  const verdict v = alloc.verify();
  if (ranks() == 1) {
    EXPECT_EQ(refused, 2);
    EXPECT_TRUE(v.clean()) << v.report();
  } else {
    EXPECT_EQ(refused, 0);
    const auto sig = signature(v);
    ASSERT_EQ(sig.size(), 2U) << v.report();
    EXPECT_EQ(sig[0],
              "same_descriptor: reuse: philox stream ID 5 (rank ?) and philox stream ID 5 "
              "(rank ?): taken twice");
    EXPECT_TRUE(contains(sig[1],
                         "same_identity: alias: philox stream ID 9 (rank ?) and Philox "
                         "stream (key "))
        << sig[1];
    EXPECT_THROW(require_clean(v), reuse_error);
  }
  expect_serial_verdict(v, alloc);
}

// The documented limit (claims/conflict.hpp): a spawn claim names a SeedSequence, not the
// generator it seeds, so the generator claimed by hand is not connected to it.
TEST(VerdictReuse, SpawnClaimsAndTheGeneratorsTheySeedAreNotConnected) {
  stream_allocator alloc(world(), make_campaign(strategy::spawn), job_index(0));
  const seed_sequence seq = alloc.origin().spawn_sequence(job_index(0), task_path{4});
  if (mine(0)) alloc.spawn(task_path{4});
  if (mine(1)) alloc.pcg64_at(pcg64(seq));  // the same stream, to NumPy
  const verdict v = alloc.verify();
  EXPECT_TRUE(v.clean()) << v.report();  // not reported: claim each stream one way
  expect_serial_verdict(v, alloc);
}

// ---- issue 11: rounds, and the serial check on a random mix -----------------------------------

// A mix of every kind, some of it conflicting: claims a rank refuses at claim time are skipped.
void claim_mix(stream_allocator& philox_alloc, stream_allocator& jumped_alloc,
               stream_allocator& spawn_alloc) {
  for (int slot = 0; slot < 400; ++slot) {
    if (!mine(slot)) continue;
    std::mt19937_64 rng(static_cast<std::uint64_t>(slot));
    const std::uint64_t first = rng() % 3000;
    const claim_options details = budget(1 + rng() % 4000);
    try {
      switch (slot % 6) {
        case 0: philox_alloc.philox_range(stream_id(first), 1 + rng() % 30, details); break;
        case 1:
          philox_alloc.philox_at(philox_alloc.origin().philox_key(job_index(0), stream_id(first)),
                                 rng() % 300, details);
          break;
        case 2: jumped_alloc.jumped_range(jump_index(first), 1 + rng() % 30, details); break;
        case 3: jumped_alloc.pcg64_block(jump_offset(first) + rng() % 3000, details); break;
        case 4:
          spawn_alloc.spawn_range(task_path{rng() % 3}, first, 1 + rng() % 30, details);
          break;
        default:
          spawn_alloc.spawn_range(task_path{}, ((1 + rng() % 3) << 32) + first, 1 + rng() % 40,
                                  details);
          break;
      }
    } catch (const reuse_error&) {
      // this rank already holds one of its streams: skipped, as an application would
    }
  }
}

TEST(VerdictSerial, ARandomMixIsFindConflictsOfAllClaimsAtAnyRoundSize) {
  stream_allocator philox_alloc(world(), make_campaign(strategy::philox), job_index(0));
  stream_allocator jumped_alloc(world(), make_campaign(strategy::jumped), job_index(0));
  stream_allocator spawn_alloc(world(), make_campaign(strategy::spawn), job_index(0));
  claim_mix(philox_alloc, jumped_alloc, spawn_alloc);
  for (const stream_allocator* alloc : {&philox_alloc, &jumped_alloc, &spawn_alloc}) {
    const verdict v = alloc->verify();
    // Philox copies and PCG64 blocks overlap ID and jumped runs (overlaps are never refused at
    // claim time); spawn reuse may all land on one rank and be refused there instead.
    if (alloc != &spawn_alloc) {
      EXPECT_FALSE(v.clean());
    }
    expect_serial_verdict(v, *alloc);
    // Rounds of 3 spans per peer and 3 bytes per gather: the same verdict.
    detail::verify_hooks hooks;
    hooks.round_spans = 3;
    const verdict rounds = detail::verify(world(), alloc->registry(), hooks);
    EXPECT_EQ(rounds.report(), v.report());
  }
}

}  // namespace
}  // namespace streamalloc::mpi
