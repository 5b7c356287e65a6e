// audit_manifests(): the report it returns (the program's printing and exit codes are tested
// with the program, tests/apps/cli_audit_test.cpp).
#include "streamalloc/claims/audit.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>

#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/manifest_reader.hpp"
#include "streamalloc/claims/record_shard.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

namespace fs = std::filesystem;

class AuditReport : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("streamalloc_audit_report_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const manifest& m) const {
    write_manifest(dir_ / name, m);
    return dir_ / name;
  }

  fs::path dir_;
};

claim ids(std::uint64_t first, std::uint64_t count, std::uint32_t owner, std::uint64_t job) {
  claim c;
  c.kind = claim_kind::philox_id;
  c.first = first;
  c.count = count;
  c.owner = rank_id(owner);
  c.job = job_index(job);
  return c;
}

manifest run_of(std::uint64_t job, std::vector<claim> claims) {
  return manifest{campaign(2024, strategy::philox), job_index(job), 4, std::move(claims), ""};
}

TEST_F(AuditReport, CountsClaimsAndNamesEachConflictsSources) {
  const auto a = write("a.jsonl", run_of(0, {ids(0, 1000, 0, 0), ids(1000, 10, 1, 0)}));
  const auto b = write("b.jsonl", run_of(0, {ids(500, 10, 3, 0)}));
  const auto c = write("c.jsonl", run_of(1, {ids(500, 10, 3, 1)}));  // job 1: its own region
  const std::vector<fs::path> files = {a, b, c};
  const audit_report report = audit_manifests(files);
  EXPECT_EQ(report.claims, 4U);
  EXPECT_EQ(report.manifests, files);
  ASSERT_EQ(report.conflicts.size(), 1U);
  EXPECT_FALSE(report.clean());
  EXPECT_EQ(report.conflicts[0].kind, conflict_kind::same_descriptor);
  EXPECT_EQ(report.conflicts[0].first.source, a.string() + ":2");
  EXPECT_EQ(report.conflicts[0].second.source, b.string() + ":2");
  EXPECT_TRUE(*report.conflicts[0].first.origin == campaign(2024, strategy::philox));
  const std::vector<fs::path> clean = {a, c};
  EXPECT_TRUE(audit_manifests(clean).clean());
}

TEST_F(AuditReport, BadInputThrowsNamingTheFile) {
  const auto a = write("a.jsonl", run_of(0, {ids(0, 10, 0, 0)}));
  const std::vector<fs::path> twice = {a, a};
  EXPECT_THROW(audit_manifests(twice), invalid_argument);
  const std::vector<fs::path> missing = {a, dir_ / "missing.jsonl"};
  try {
    audit_manifests(missing);
    ADD_FAILURE() << "expected io_error";
  } catch (const io_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind((dir_ / "missing.jsonl").string() + ":1: ", 0), 0U);
  }
}

// The audit holds claims compactly and runs the sweep itself: its report must be
// find_conflicts() over the very claims read, each named "<file>:<line>". Claims of every kind,
// runs, lockstep tasks, budgets and uses, in three manifests of two campaigns, crowded into few
// streams so that every kind of conflict occurs. (Tasks differ between claims, so no two claims
// tie in content and the sources' spelling cannot decide an order.)
TEST_F(AuditReport, TheSameConflictsAsFindConflictsOverTheClaimsRead) {
  std::mt19937_64 bits(20240611);
  const auto below = [&](std::uint64_t n) { return bits() % n; };
  std::uint64_t task = 0;
  const auto random_claim = [&](std::uint64_t job) {
    claim c;
    c.owner = rank_id(static_cast<std::uint32_t>(below(3)));
    c.job = job_index(job);
    switch (below(5)) {
      case 0: c.kind = claim_kind::philox_id; break;
      case 1: c.kind = claim_kind::jump_index; break;
      case 2:
        c.kind = claim_kind::spawn_path;
        if (below(2) == 0) c.prefix = {below(2)};
        break;
      case 3:
        c.kind = claim_kind::philox_position;
        c.sequence = below(3);
        c.position = below(2) == 0 ? 0 : below(40);
        break;
      default:
        c.kind = claim_kind::pcg64_position;
        c.sequence = 2 * below(2) + 1;
        c.position = below(40);
        break;
    }
    const bool positioned =
        c.kind == claim_kind::philox_position || c.kind == claim_kind::pcg64_position;
    c.first = positioned ? 0 : below(40);
    c.count = positioned ? 1 : 1 + below(6);
    c.task = task_path{task++, below(3)};
    c.task_lockstep = c.count > 1 && below(2) == 0;
    if (below(3) == 0) c.budget = 1 + below(64);
    if (below(3) == 0) c.used = below(80);
    return c;
  };
  const campaign first(2024, strategy::philox);
  const campaign second(seed_entropy::list({7, 0}), strategy::jumped);
  std::vector<fs::path> files;
  for (int m = 0; m < 3; ++m) {
    std::vector<claim> claims;
    const std::uint64_t job = m == 1 ? 1 : 0;  // jobs 0 and 1 of one campaign, and another
    for (int i = 0; i < 60; ++i) claims.push_back(random_claim(job));
    files.push_back(write("m" + std::to_string(m) + ".jsonl",
                          manifest{m == 2 ? second : first, job_index(job), 3, claims, ""}));
  }
  const audit_report report = audit_manifests(files);

  std::vector<std::shared_ptr<const campaign>> campaigns;
  std::vector<sourced_claim> read;
  for (const auto& file : files) {
    manifest_reader reader(file);
    campaigns.push_back(std::make_shared<const campaign>(reader.header().campaign));
    reader.read([&](const claim& c, const claim_location& at) {
      ASSERT_FALSE(at.update);
      read.push_back(
          {campaigns.back().get(), c, at.file->string() + ":" + std::to_string(at.line)});
    });
  }
  const std::vector<conflict> expected = find_conflicts(read);
  std::size_t kinds[4] = {};
  for (const auto& c : expected) ++kinds[static_cast<int>(c.kind)];
  for (int k = 0; k < 4; ++k) EXPECT_GT(kinds[k], 0U) << to_string(static_cast<conflict_kind>(k));
  EXPECT_EQ(report.claims, read.size());
  ASSERT_EQ(report.conflicts.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const conflict& got = report.conflicts[i];
    EXPECT_EQ(got.message, expected[i].message);
    EXPECT_EQ(got.kind, expected[i].kind);
    EXPECT_EQ(got.first.what, expected[i].first.what) << got.message;
    EXPECT_EQ(got.first.source, expected[i].first.source);
    EXPECT_EQ(got.second.what, expected[i].second.what) << got.message;
    EXPECT_EQ(got.second.source, expected[i].second.source);
    EXPECT_TRUE(*got.first.origin == *expected[i].first.origin);
    EXPECT_TRUE(*got.second.origin == *expected[i].second.origin);
  }

  // The visiting form hands over the same conflicts, in the same order, and keeps none.
  std::vector<conflict> visited;
  const audit_report counted =
      audit_manifests(files, [&](const conflict& c) { visited.push_back(c); });
  EXPECT_TRUE(counted.conflicts.empty());
  EXPECT_EQ(counted.conflict_count, expected.size());
  EXPECT_FALSE(counted.clean());
  EXPECT_EQ(counted.claims, report.claims);
  ASSERT_EQ(visited.size(), report.conflicts.size());
  for (std::size_t i = 0; i < visited.size(); ++i) {
    EXPECT_EQ(visited[i].message, report.conflicts[i].message);
    EXPECT_EQ(visited[i].first.source, report.conflicts[i].first.source);
    EXPECT_EQ(visited[i].second.what, report.conflicts[i].second.what);
  }
}

// --- restarts: replay or reuse --------------------------------------------------------------

// A run record written with the serial building blocks, as mpi::run_record writes one: `shards`
// holds each rank's claims, `committed` how many of each the manifest commits.
struct record_spec {
  std::string run;
  std::vector<std::vector<claim>> shards;
  std::vector<std::uint64_t> committed;
  std::optional<record_lineage> resumed_from;
};

// Rank r's histories [first, first + n) of job 0, lockstep tasks (h,) on stream IDs h.
claim histories(std::uint64_t first, std::uint64_t n, std::uint32_t rank) {
  claim c = ids(first, n, rank, 0);
  c.task = task_path{first};
  c.task_lockstep = n > 1;
  return c;
}

fs::path write_record(const fs::path& dir, const std::string& name, const record_spec& spec) {
  const fs::path path = dir / name;
  std::uint64_t claims = 0;
  for (std::uint32_t r = 0; r < spec.shards.size(); ++r) {
    if (r == 0) fs::create_directory(shard_directory(path, spec.run));
    shard_writer shard(shard_file(path, spec.run, r), spec.run, r);
    std::vector<shard_writer::entry> entries;
    for (const claim& c : spec.shards[r]) entries.push_back({c, false});
    shard.append(entries, false);
    claims += spec.committed[r];
  }
  write_record_manifest({path, campaign(2024, strategy::philox), job_index(0),
                         static_cast<std::uint32_t>(spec.shards.size()), spec.run,
                         spec.resumed_from, spec.committed, claims, 3, false},
                        false);
  return path;
}

// Uses recorded after their claims split them (read_manifest's rule): the audit, which applies
// them to its compact entries through an index, must hold the claims read_manifest() holds and
// find the conflicts find_conflicts() finds among them. Two ranks' shards of one record, each
// with disjoint runs of its own and uses that cut them, the ranks' IDs overlapping each other.
TEST_F(AuditReport, UsesSplitClaimsAsReadManifestDoes) {
  std::mt19937_64 bits(7);
  const auto below = [&](std::uint64_t n) { return bits() % n; };
  record_spec spec{"dddddddddddddddd", {{}, {}}, {}, std::nullopt};
  std::vector<std::vector<shard_writer::entry>> lines(2);
  for (std::uint32_t r = 0; r < 2; ++r) {
    std::vector<claim> held;
    for (std::uint64_t k = 0; k < 150; ++k) {
      claim c = ids(10 * k + below(3), 1 + below(7), r, 0);
      c.kind = below(4) == 0 ? claim_kind::jump_index : claim_kind::philox_id;
      c.task = task_path{r, k};
      if (below(4) == 0) c.budget = 1 + below(50);
      lines[r].push_back({c, false});
      held.push_back(c);
      // Uses of streams of an earlier claim, some of them of streams already used.
      for (std::uint64_t u = below(3); u-- > 0;) {
        const claim& of = held[below(held.size())];
        const std::uint64_t from = of.first + below(of.count);
        claim use = of;
        use.first = from;
        use.count = 1 + below(of.last() - from + 1);
        use.task = task_of(of, from);
        use.task_lockstep = false;
        use.used = below(60);
        lines[r].push_back({use, true});
      }
    }
  }
  const fs::path path = dir_ / "uses.jsonl";
  fs::create_directory(shard_directory(path, spec.run));
  std::uint64_t claims = 0;
  std::vector<std::uint64_t> committed;
  for (std::uint32_t r = 0; r < 2; ++r) {
    shard_writer shard(shard_file(path, spec.run, r), spec.run, r);
    committed.push_back(shard.append(lines[r], false));
    claims += shard.claims();
  }
  write_record_manifest({path, campaign(2024, strategy::philox), job_index(0), 2, spec.run,
                         std::nullopt, committed, claims, 1, true},
                        false);
  const std::vector<fs::path> files = {path};
  const audit_report report = audit_manifests(files);

  const manifest m = read_manifest(path);
  std::vector<sourced_claim> read;
  for (const claim& c : m.claims) read.push_back({&m.campaign, c, ""});
  const std::vector<conflict> expected = find_conflicts(read);
  EXPECT_EQ(report.claims, m.claims.size());
  EXPECT_GT(report.claims, 300U);  // the uses did split claims
  const auto listed = [](const std::vector<conflict>& list) {
    std::vector<std::string> out;
    for (const auto& c : list) {
      out.push_back(std::string(to_string(c.kind)) + " " + c.first.what.describe() + " " +
                    c.second.what.describe() + " " +
                    std::to_string(static_cast<std::uint64_t>(c.first.what.used)));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_GT(expected.size(), 10U);
  EXPECT_EQ(listed(report.conflicts), listed(expected));
}

const std::string parent_run = "aaaaaaaaaaaaaaaa";
const std::string child_run = "bbbbbbbbbbbbbbbb";

// The killed run: 2 ranks, rounds of 100 histories; its record committed round 2 (lines 2 of
// each shard), but the checkpoint a restart used was round 1's (1 line each).
record_spec killed_run() {
  return {
      parent_run,
      {{histories(0, 50, 0), histories(100, 50, 0)}, {histories(50, 50, 1), histories(150, 50, 1)}},
      {2, 2},
      std::nullopt};
}

// Its restart on 3 ranks from round 1's checkpoint: redoes [100, 200), then does [200, 300).
record_spec restart(std::vector<std::vector<claim>> shards) {
  std::vector<std::uint64_t> committed;
  for (const auto& shard : shards) committed.push_back(shard.size());
  return {child_run, std::move(shards), std::move(committed),
          record_lineage{parent_run, 2, {1, 1}, "killed.jsonl", "run.ckpt"}};
}

TEST_F(AuditReport, ARestartRedoingWorkAfterItsCheckpointIsAReplayNotReuse) {
  const auto killed = write_record(dir_, "killed.jsonl", killed_run());
  const auto restarted = write_record(dir_, "restarted.jsonl",
                                      restart({{histories(100, 33, 0), histories(200, 33, 0)},
                                               {histories(133, 33, 1), histories(233, 33, 1)},
                                               {histories(166, 34, 2), histories(266, 34, 2)}}));
  const std::vector<fs::path> both = {killed, restarted};
  const audit_report report = audit_manifests(both);
  EXPECT_TRUE(report.clean()) << (report.conflicts.empty() ? "" : report.conflicts[0].message);
  EXPECT_EQ(report.replays, 4U);  // each of the two round-2 claims, redone in two pieces
  EXPECT_EQ(report.replayed_streams, 100U);
  EXPECT_EQ(report.claims, 10U);
  // The order of the manifests does not matter.
  const std::vector<fs::path> reversed = {restarted, killed};
  EXPECT_TRUE(audit_manifests(reversed).clean());
}

TEST_F(AuditReport, WhatARestartMustNotRedoIsReuse) {
  const auto killed = write_record(dir_, "killed.jsonl", killed_run());
  // Re-claiming round 1, which the checkpoint it resumed from had already done.
  const auto early = write_record(
      dir_, "early.jsonl",
      restart({{histories(40, 10, 0)}, {histories(133, 33, 1)}, {histories(166, 34, 2)}}));
  // The same streams for other tasks.
  claim shifted = histories(100, 33, 0);
  shifted.task = task_path{7000};
  const auto other_task =
      write_record(dir_, "other_task.jsonl",
                   restart({{shifted}, {histories(133, 33, 1)}, {histories(166, 34, 2)}}));
  for (const auto& bad : {early, other_task}) {
    const std::vector<fs::path> files = {killed, bad};
    const audit_report report = audit_manifests(files);
    EXPECT_EQ(report.conflicts.size(), 1U) << bad;
  }
  // A second, unrelated run (no lineage) on the killed run's abandoned streams.
  record_spec unrelated =
      restart({{histories(100, 33, 0)}, {histories(133, 33, 1)}, {histories(166, 34, 2)}});
  unrelated.resumed_from.reset();
  const auto stranger = write_record(dir_, "stranger.jsonl", unrelated);
  const std::vector<fs::path> files = {killed, stranger};
  const audit_report strange = audit_manifests(files);
  EXPECT_FALSE(strange.clean());
  EXPECT_EQ(strange.replays, 0U);
  // A restart and an unrelated run both on the same streams: the replay is accepted, the
  // unrelated run is still reuse.
  const auto restarted = write_record(
      dir_, "restarted.jsonl",
      restart({{histories(100, 33, 0)}, {histories(133, 33, 1)}, {histories(166, 34, 2)}}));
  const std::vector<fs::path> three = {killed, restarted, stranger};
  const audit_report report = audit_manifests(three);
  EXPECT_FALSE(report.clean());
  EXPECT_GE(report.conflicts.size(), 3U);
}

TEST_F(AuditReport, ARestartOfARestartReplaysBothPredecessors) {
  const auto killed = write_record(dir_, "killed.jsonl", killed_run());
  // The first restart (3 ranks) redid [100, 200) but was killed too, after committing only
  // [100, 133) — its checkpoint then was its first commit.
  record_spec first = restart({{histories(100, 33, 0), histories(200, 33, 0)},
                               {histories(133, 33, 1)},
                               {histories(166, 34, 2)}});
  const auto middle = write_record(dir_, "middle.jsonl", first);
  // The second restart (1 rank) from the first restart's commit after [100, 133): redoes
  // [133, 300).
  record_spec second{"cccccccccccccccc",
                     {{histories(133, 167, 0)}},
                     {1},
                     record_lineage{child_run, 2, {1, 0, 0}, "middle.jsonl", "run.ckpt"}};
  const auto last = write_record(dir_, "last.jsonl", second);
  const std::vector<fs::path> files = {killed, middle, last};
  const audit_report report = audit_manifests(files);
  EXPECT_TRUE(report.clean()) << (report.conflicts.empty() ? "" : report.conflicts[0].message);
  EXPECT_GE(report.replays, 3U);
}

}  // namespace
}  // namespace streamalloc::claims
