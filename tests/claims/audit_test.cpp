// audit_manifests(): the report it returns (the program's printing and exit codes are tested
// with the program, tests/apps/cli_audit_test.cpp).
#include "streamalloc/claims/audit.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "streamalloc/claims/manifest.hpp"
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

}  // namespace
}  // namespace streamalloc::claims
