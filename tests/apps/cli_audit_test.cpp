// `streamalloc audit`: reuse and aliases across runs, and the 0 / 1 / 2 exit contract — the
// program's output, byte for byte, on manifests written by the claims library.
#include "support/scratch_directory.hpp"
#include "streamalloc/claims/audit.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "streamalloc/error.hpp"
#include "cli_runner.hpp"
#include "streamalloc/claims/manifest.hpp"

namespace streamalloc::claims {
namespace {

namespace fs = std::filesystem;

class CliAuditTest : public streamalloc::testing::scratch_directory_test {
 protected:
  CliAuditTest() : scratch_directory_test("audit") {}

  fs::path write(const std::string& name, const manifest& m) const {
    write_manifest(dir_ / name, m);
    return dir_ / name;
  }

  struct outcome {
    int code;
    std::string out;
    std::string err;
  };
  static outcome audit(const std::vector<fs::path>& files) {
    std::vector<std::string> args = {"audit"};
    for (const auto& f : files) args.push_back(f.string());
    const auto r = testing::run_cli(args);
    return {r.exit_code, r.out, r.err};
  }
};

claim ids(claim_kind kind, std::uint64_t first, std::uint64_t count, std::uint32_t owner) {
  claim c;
  c.kind = kind;
  c.first = first;
  c.count = count;
  c.owner = rank_id(owner);
  return c;
}

manifest philox_run(std::uint64_t job, std::vector<claim> claims) {
  for (auto& c : claims) c.job = job_index(job);
  return manifest{campaign(2024, strategy::philox), job_index(job), 4, std::move(claims), ""};
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(CliAuditTest, CleanRunsExitZeroWithASummary) {
  const auto a = write("a.jsonl", philox_run(0, {ids(claim_kind::philox_id, 0, 1000, 0),
                                                 ids(claim_kind::philox_id, 1000, 1000, 1)}));
  const auto b = write("b.jsonl", philox_run(1, {ids(claim_kind::philox_id, 2000, 1000, 0)}));
  const auto r = audit({a, b});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "audit: 2 manifests, 3 claims, no conflicts\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliAuditTest, ReuseAcrossTwoManifestsIsListedWithFilesAndLines) {
  // The second run of job 0 forgot to resume: it starts at ID 0 again.
  const auto a = write("a.jsonl", philox_run(0, {ids(claim_kind::philox_id, 0, 1000, 0)}));
  const auto b = write("b.jsonl", philox_run(0, {ids(claim_kind::jump_index, 0, 1, 0),
                                                 ids(claim_kind::philox_id, 500, 10, 3)}));
  const auto r = audit({a, b});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_EQ(line_count(r.out), 2U) << r.out;
  EXPECT_NE(r.out.find("reuse: philox stream IDs 0 to 999 (rank 0) from " + a.string() +
                       ":2 and "
                       "philox stream IDs 500 to 509 (rank 3) from " +
                       b.string() +
                       ":3: "
                       "philox stream ID 500 taken twice\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("audit: 2 manifests, 3 claims, 1 conflict\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");

  const std::vector<fs::path> files = {a, b};
  const audit_report report = audit_manifests(files);
  EXPECT_EQ(report.claims, 3U);
  ASSERT_EQ(report.conflicts.size(), 1U);
  EXPECT_EQ(report.conflicts[0].first.source, a.string() + ":2");
  EXPECT_EQ(report.conflicts[0].second.source, b.string() + ":3");
  EXPECT_TRUE(*report.conflicts[0].first.origin == campaign(2024, strategy::philox));
}

TEST_F(CliAuditTest, EntropyZeroAndZeroZeroAliasAcrossManifests) {
  // Two "different" campaigns, seeds 0 and [0, 0]: NumPy gives them the same pools.
  claim path = ids(claim_kind::spawn_path, 0, 16, 0);
  path.prefix = {0};
  const auto a =
      write("zero.jsonl", manifest{campaign(0, strategy::spawn), job_index(0), 1, {path}, ""});
  const auto b = write(
      "zero_zero.jsonl",
      manifest{campaign(seed_entropy::list({0, 0}), strategy::spawn), job_index(0), 1, {path}, ""});
  const auto r = audit({a, b});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("alias: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("identical SeedSequence pools"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("campaigns seeded 0 and [0, 0]"), std::string::npos) << r.out;
  // Seeds 0 and 1 do not alias.
  const auto c =
      write("one.jsonl", manifest{campaign(1, strategy::spawn), job_index(0), 1, {path}, ""});
  EXPECT_EQ(audit({a, c}).code, 0);
}

TEST_F(CliAuditTest, ResumedRunAuditsClean) {
  const auto a = write("a.jsonl", philox_run(0, {ids(claim_kind::philox_id, 0, 100, 0),
                                                 ids(claim_kind::jump_index, 0, 4, 1)}));
  const std::vector<fs::path> earlier = {a};
  const resume_point next = find_resume_point(earlier);
  const auto b =
      write("b.jsonl", philox_run(next.next_job.value(),
                                  {ids(claim_kind::philox_id, next.next_stream.value(), 100, 0),
                                   ids(claim_kind::jump_index, next.next_jump.value(), 4, 1)}));
  EXPECT_EQ(audit({a, b}).code, 0);
}

// Records written before job regions (format 1, shared layout) and after (format 2) of one
// campaign are compared by the streams they name: the old job 1's ID 50 is key root_key + 50,
// which is the new job 0's ID 50 and not the new job 1's.
TEST_F(CliAuditTest, OldAndNewRecordsOfOneCampaignAreComparedByTheirStreams) {
  for (const strategy how : {strategy::philox, strategy::jumped}) {
    const claim_kind kind =
        how == strategy::philox ? claim_kind::philox_id : claim_kind::jump_index;
    const auto run = [&](job_layout layout, std::uint64_t job, claim c) {
      c.job = job_index(job);
      return manifest{campaign(2024, how, 4, layout), job_index(job), 4, {c}, ""};
    };
    const auto old1 = write("old1.jsonl", run(job_layout::shared, 1, ids(kind, 0, 100, 0)));
    const auto new0 = write("new0.jsonl", run(job_layout::separated, 0, ids(kind, 50, 10, 1)));
    const auto new1 = write("new1.jsonl", run(job_layout::separated, 1, ids(kind, 0, 100, 2)));
    const auto both = audit({old1, new0});
    EXPECT_EQ(both.code, 1) << both.out << both.err;
    EXPECT_EQ(line_count(both.out), 2U) << both.out;
    const auto clean = audit({old1, new1});
    EXPECT_EQ(clean.code, 0) << clean.out << clean.err;
  }
}

TEST_F(CliAuditTest, BadInputExitsTwoWithOneLineNamingFileAndLine) {
  const auto a = write("a.jsonl", philox_run(0, {ids(claim_kind::philox_id, 0, 100, 0)}));
  const auto b = write("b.jsonl", philox_run(1, {ids(claim_kind::philox_id, 100, 100, 0)}));
  // Truncate b: drop its footer.
  std::ifstream in(b);
  std::string header;
  std::string claim_line;
  std::getline(in, header);
  std::getline(in, claim_line);
  in.close();
  std::ofstream(b, std::ios::trunc) << header << "\n" << claim_line << "\n";
  auto r = audit({a, b});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(line_count(r.err), 1U) << r.err;
  EXPECT_EQ(r.err.rfind(b.string() + ":2: ", 0), 0U) << r.err;
  EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;

  r = audit({});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "streamalloc: error: audit: no manifest given (expected one or more manifest "
            "paths)\n");

  r = audit({a, dir_ / "missing.jsonl"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind((dir_ / "missing.jsonl").string() + ":1: ", 0), 0U) << r.err;

  // The same file twice would make every claim a reuse: refused.
  r = audit({a, a});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("the same file as"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace streamalloc::claims
