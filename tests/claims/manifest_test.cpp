// Manifests: exact round trips, the JSON Lines layout, atomic writing, and every way a file can
// be bad — each error naming the file and line.
#include "support/scratch_directory.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_shard.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <span>
#include <sstream>
#include <string>

#include "streamalloc/crc32c.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class ManifestTest : public streamalloc::testing::scratch_directory_test {
 protected:
  ManifestTest() : scratch_directory_test("manifest") {}

  static std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
};

// The seal of manifest.hpp, computed here from its description: the CRC-32C of the 8-byte
// little-endian domain (2^64 - 1 for a manifest's own lines), the 8-byte little-endian line
// number and the object, appended as the last field "crc32c".
std::string sealed(const std::string& object, std::uint64_t line,
                   std::uint64_t domain = ~std::uint64_t{0}) {
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>(domain >> (8 * i));
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>(line >> (8 * i));
  bytes += object;
  const std::uint32_t crc = crc32c(std::as_bytes(std::span(bytes.data(), bytes.size())));
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", crc);
  return object.substr(0, object.size() - 1) + ", \"crc32c\": \"" + hex + "\"}";
}

// The object of a sealed line (its "crc32c" field removed).
std::string unsealed(const std::string& line) {
  const auto at = line.rfind(", \"crc32c\": \"");
  return at == std::string::npos ? line : line.substr(0, at) + "}";
}

claim philox_ids(std::uint64_t first, std::uint64_t count, std::uint32_t owner) {
  claim c;
  c.kind = claim_kind::philox_id;
  c.first = first;
  c.count = count;
  c.owner = rank_id(owner);
  return c;
}

manifest sample() {
  manifest m{campaign(big_uint::parse("0x1000000000000000000000001", "seed"), strategy::philox),
             job_index(2),
             4,
             {},
             ""};
  m.claims.push_back(philox_ids(0, 1000, 0));
  claim s = philox_ids(3, 10, 1);
  s.kind = claim_kind::spawn_path;
  s.prefix = {1, std::uint64_t{1} << 33};
  s.task = task_path{1};
  s.budget = 5000;
  s.used = 4999;
  m.claims.push_back(s);
  claim j = philox_ids(7, 1, 2);
  j.kind = claim_kind::jump_index;
  m.claims.push_back(j);
  claim p = philox_ids(0, 1, 3);
  p.kind = claim_kind::philox_position;
  p.sequence = ~uint128{0};
  p.position = uint128{1} << 127;
  p.position_high = 1;
  m.claims.push_back(p);
  claim g = philox_ids(0, 1, 3);
  g.kind = claim_kind::pcg64_position;
  g.sequence = (uint128{1} << 120) + 1;
  g.position = 12345;
  m.claims.push_back(g);
  for (auto& c : m.claims) c.job = m.job;
  return m;
}

// Asserts that reading `path` throws E whose message starts with "<path>:<line>: " and
// contains `fragment`.
// Asserts that reading `manifest` throws E whose message starts with "<file>:<line>: " (the file
// may be one of its shards) and contains `fragment`.
template <class E>
void expect_read_error_in(const fs::path& manifest, const fs::path& path, std::size_t line,
                          const std::string& fragment) {
  try {
    read_manifest(manifest);
    ADD_FAILURE() << "expected an error reading " << path;
  } catch (const E& e) {
    const std::string what = e.what();
    const std::string prefix = path.string() + ":" + std::to_string(line) + ": ";
    EXPECT_EQ(what.rfind(prefix, 0), 0U) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

template <class E>
void expect_read_error(const fs::path& path, std::size_t line, const std::string& fragment) {
  expect_read_error_in<E>(path, path, line, fragment);
}

TEST_F(ManifestTest, RoundTripsExactly) {
  const manifest m = sample();
  write_manifest(file("run.jsonl"), m);
  const manifest back = read_manifest(file("run.jsonl"));
  EXPECT_TRUE(back.campaign == m.campaign);
  EXPECT_EQ(back.job, m.job);
  EXPECT_EQ(back.ranks, m.ranks);
  EXPECT_EQ(back.claims, m.claims);
  EXPECT_FALSE(back.version.empty());
  // A list root and an empty run survive too.
  manifest list{campaign(seed_entropy::list({0, 0}), strategy::spawn, 8), job_index(0), 1, {}, ""};
  write_manifest(file("empty.jsonl"), list);
  const manifest list_back = read_manifest(file("empty.jsonl"));
  EXPECT_TRUE(list_back.campaign == list.campaign);
  EXPECT_TRUE(list_back.campaign.root().is_list());
  EXPECT_TRUE(list_back.claims.empty());
}

TEST_F(ManifestTest, JsonLinesLayout) {
  manifest m = sample();
  m.run = "0123456789abcdef";
  write_manifest(file("run.jsonl"), m);
  const auto lines = lines_of(slurp(file("run.jsonl")));
  ASSERT_EQ(lines.size(), 7U);
  // Every line is its object sealed with its CRC-32C and line number.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i], sealed(unsealed(lines[i]), i + 1)) << "line " << i + 1;
  }
  // The root is exact: 2^96 + 1, beyond any double.
  const std::string header_start = R"({"streamalloc_manifest": 3, "version": ")";
  EXPECT_EQ(lines[0].rfind(header_start, 0), 0U) << lines[0];
  EXPECT_NE(
      lines[0].find(
          R"("campaign": {"root": 79228162514264337593543950337, "strategy": "philox", "pool_size": 4}, "job": 2, "ranks": 4, "run": "0123456789abcdef", "crc32c": ")"),
      std::string::npos)
      << lines[0];
  EXPECT_EQ(unsealed(lines[1]),
            R"({"kind": "philox_id", "first": 0, "count": 1000, "job": 2, "owner": 0})");
  EXPECT_EQ(unsealed(lines[6]), R"({"end": true, "claims": 5})");
  // Without a run ID the writer makes one up; each manifest gets its own.
  write_manifest(file("other.jsonl"), sample());
  write_manifest(file("third.jsonl"), sample());
  const std::string a = read_manifest(file("other.jsonl")).run;
  EXPECT_EQ(a.size(), 16U);
  EXPECT_NE(a, read_manifest(file("third.jsonl")).run);
}

TEST_F(ManifestTest, WritesAtomicallyAndLeavesNoTemporaryFile) {
  spit(file("run.jsonl"), "old contents\n");
  write_manifest(file("run.jsonl"), sample());
  EXPECT_EQ(read_manifest(file("run.jsonl")).claims.size(), 5U);
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) {
    ++entries;
    EXPECT_EQ(e.path().filename(), "run.jsonl");
  }
  EXPECT_EQ(entries, 1U);
}

TEST_F(ManifestTest, WriteFailuresAreIoErrors) {
  EXPECT_THROW(write_manifest(file("missing_dir") / "run.jsonl", sample()), io_error);
  manifest bad = sample();
  bad.claims[0].owner = rank_id(4);  // only ranks 0..3
  EXPECT_THROW(write_manifest(file("run.jsonl"), bad), invalid_argument);
  bad = sample();
  bad.claims[0].job = job_index(3);  // the run is job 2
  EXPECT_THROW(write_manifest(file("run.jsonl"), bad), invalid_argument);
  bad = sample();
  bad.claims[0].count = 0;
  EXPECT_THROW(write_manifest(file("run.jsonl"), bad), invalid_argument);
  EXPECT_FALSE(fs::exists(file("run.jsonl")));
}

TEST_F(ManifestTest, FileWithoutFooterIsTruncated) {
  write_manifest(file("run.jsonl"), sample());
  auto lines = lines_of(slurp(file("run.jsonl")));
  std::string text;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) text += lines[i] + "\n";
  spit(file("cut.jsonl"), text);
  expect_read_error<io_error>(file("cut.jsonl"), 6, "truncated manifest");
  // Cut in the middle of a line (a torn last line): still truncated.
  const std::string full = slurp(file("run.jsonl"));
  spit(file("torn.jsonl"), full.substr(0, full.size() / 2));
  expect_read_error<io_error>(file("torn.jsonl"), lines_of(full.substr(0, full.size() / 2)).size(),
                              "truncated manifest");
  // Cut inside the header.
  spit(file("header.jsonl"), full.substr(0, 20));
  expect_read_error<io_error>(file("header.jsonl"), 1, "truncated manifest");
  spit(file("empty.jsonl"), "");
  expect_read_error<io_error>(file("empty.jsonl"), 1, "empty file");
  expect_read_error<io_error>(file("absent.jsonl"), 1, "cannot open manifest");
}

TEST_F(ManifestTest, BadContentNamesFileAndLine) {
  write_manifest(file("run.jsonl"), sample());
  const auto lines = lines_of(slurp(file("run.jsonl")));
  // The replacement is sealed at its place, so that the content check itself is tested.
  const auto with_line = [&](std::size_t index, const std::string& replacement) {
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const bool object = !replacement.empty() && replacement.back() == '}';
      text += (i == index ? (object ? sealed(replacement, i + 1) : replacement) : lines[i]) + "\n";
    }
    spit(file("bad.jsonl"), text);
    return file("bad.jsonl");
  };
  // A torn line in the middle (not valid JSON).
  expect_read_error<invalid_argument>(with_line(2, R"({"kind": "spawn_pa)"), 3, "not valid JSON");
  // Wrong types.
  expect_read_error<invalid_argument>(
      with_line(1, R"({"kind": "philox_id", "first": "0", "count": 1000, "job": 0, "owner": 0})"),
      2, "field 'first'");
  expect_read_error<invalid_argument>(
      with_line(1, R"({"kind": "philox_id", "first": 0, "count": 1000, "job": 0, "owner": -1})"), 2,
      "field 'owner'");
  // Unknown kind, unknown field, owner outside the run.
  expect_read_error<invalid_argument>(
      with_line(3, R"({"kind": "mt19937_id", "first": 0, "count": 1, "job": 0, "owner": 0})"), 4,
      "'mt19937_id' is not a claim kind");
  expect_read_error<invalid_argument>(
      with_line(3,
                R"({"kind": "jump_index", "first": 0, "count": 1, "job": 0, "owner": 0, "x": 1})"),
      4, "unknown field 'x'");
  expect_read_error<invalid_argument>(
      with_line(3, R"({"kind": "jump_index", "first": 0, "count": 1, "job": 2, "owner": 4})"), 4,
      "owner rank 4 is outside the run's ranks [0, 4)");
  expect_read_error<invalid_argument>(
      with_line(3, R"({"kind": "jump_index", "first": 0, "count": 1, "job": 0, "owner": 1})"), 4,
      "job 0 differs from the run's job 2");
  // An empty line, a footer too early, a footer that disagrees.
  expect_read_error<invalid_argument>(with_line(2, ""), 3, "empty line");
  expect_read_error<invalid_argument>(with_line(2, R"({"end": true, "claims": 1})"), 3,
                                      "footer before");
  expect_read_error<invalid_argument>(with_line(6, R"({"end": true, "claims": 4})"), 7,
                                      "footer says 4 claims, but the file has 5");
  // Headers: not a manifest, another format, a bad campaign.
  expect_read_error<invalid_argument>(with_line(0, R"({"hello": 1})"), 1,
                                      "not a streamalloc manifest");
  expect_read_error<invalid_argument>(
      with_line(
          0,
          R"({"streamalloc_manifest": 99, "version": "9", "campaign": {}, "job": 0, "ranks": 1})"),
      1, "unsupported manifest format 99");
  expect_read_error<invalid_argument>(
      with_line(
          0,
          R"({"streamalloc_manifest": 3, "version": "x", "campaign": {"root": 5, "strategy": "fancy", "pool_size": 4}, "job": 0, "ranks": 4, "run": "0123456789abcdef"})"),
      1, "'fancy' is not a strategy");
  expect_read_error<invalid_argument>(
      with_line(
          0,
          R"({"streamalloc_manifest": 3, "version": "x", "campaign": {"root": 5, "strategy": "philox", "pool_size": 2}, "job": 0, "ranks": 4, "run": "0123456789abcdef"})"),
      1, "field 'pool_size'");
  expect_read_error<invalid_argument>(
      with_line(
          0,
          R"({"streamalloc_manifest": 3, "version": "x", "campaign": {"root": -5, "strategy": "philox", "pool_size": 4}, "job": 0, "ranks": 4, "run": "0123456789abcdef"})"),
      1, "field 'root'");
  expect_read_error<invalid_argument>(
      with_line(
          0,
          R"({"streamalloc_manifest": 3, "version": "x", "campaign": {"root": 5, "strategy": "philox", "pool_size": 4}, "job": 0, "ranks": 0, "run": "0123456789abcdef"})"),
      1, "'ranks'");
}

// Format 3 seals every line: a changed digit, a line moved or repeated, a line from another
// manifest — each is refused naming the line (2 in 900 byte flips of format 2 files parsed).
TEST_F(ManifestTest, SealsCatchFlipsMovesAndRepeats) {
  write_manifest(file("run.jsonl"), sample());
  const auto lines = lines_of(slurp(file("run.jsonl")));
  const auto join = [](const std::vector<std::string>& parts) {
    std::string text;
    for (const auto& p : parts) text += p + "\n";
    return text;
  };
  std::vector<std::string> flipped = lines;
  flipped[1][flipped[1].find("\"first\": 0") + 10] = '1';  // first 0 -> first 1
  spit(file("flip.jsonl"), join(flipped));
  expect_read_error<invalid_argument>(file("flip.jsonl"), 2, "checksum mismatch");
  std::vector<std::string> swapped = lines;
  std::swap(swapped[2], swapped[3]);
  spit(file("swap.jsonl"), join(swapped));
  expect_read_error<invalid_argument>(file("swap.jsonl"), 3, "checksum mismatch");
  std::vector<std::string> repeated = lines;
  repeated.insert(repeated.begin() + 2, lines[2]);
  spit(file("repeat.jsonl"), join(repeated));
  // The footer, checked first, is no longer at its line.
  expect_read_error<invalid_argument>(file("repeat.jsonl"), 8, "checksum mismatch");
  std::vector<std::string> bare = lines;
  bare[4] = unsealed(bare[4]);  // valid JSON, but no seal
  spit(file("bare.jsonl"), join(bare));
  expect_read_error<invalid_argument>(file("bare.jsonl"), 5, "no checksum");
  // Every single byte flip is refused (the file's 7 lines, a few hundred bytes).
  const std::string text = slurp(file("run.jsonl"));
  std::size_t refused = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    std::string damaged = text;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x04);
    spit(file("damaged.jsonl"), damaged);
    try {
      read_manifest(file("damaged.jsonl"));
    } catch (const error&) {
      ++refused;
    }
  }
  EXPECT_EQ(refused, text.size());
}

// Format 2 (separated jobs, no seals) is still read.
TEST_F(ManifestTest, FormatTwoStillReads) {
  const std::string text =
      R"({"streamalloc_manifest": 2, "version": "0.1.0", "campaign": {"root": 7, "strategy": "philox", "pool_size": 4}, "job": 3, "ranks": 2})"
      "\n"
      R"({"kind": "philox_id", "first": 5, "count": 10, "job": 3, "owner": 1})"
      "\n"
      R"({"end": true, "claims": 1})"
      "\n";
  spit(file("two.jsonl"), text);
  const manifest m = read_manifest(file("two.jsonl"));
  EXPECT_EQ(m.campaign.jobs(), job_layout::separated);
  EXPECT_EQ(m.job, job_index(3));
  ASSERT_EQ(m.claims.size(), 1U);
  EXPECT_EQ(m.claims[0].first, 5U);
  EXPECT_EQ(m.run, "");
}

// Run records: shard lines are sealed with their shard as the domain, so a flipped byte, a
// line moved within or between shards, or a shard of another run is refused naming the shard
// file and line; lines past the committed count are not read at all.
TEST_F(ManifestTest, RunRecordShardsAreSealedAndNamedInErrors) {
  const std::string run = "0123456789abcdef";
  const fs::path path = file("record.jsonl");
  fs::create_directory(shard_directory(path, run));
  for (std::uint32_t r = 0; r < 2; ++r) {
    shard_writer shard(shard_file(path, run, r), run, r);
    std::vector<shard_writer::entry> entries;
    for (std::uint64_t k = 0; k < 3; ++k)
      entries.push_back({philox_ids(100 * r + 10 * k, 5, r), false});
    shard.append(entries, false);
  }
  const campaign origin(seed_entropy(9), strategy::philox);
  write_record_manifest({path, origin, job_index(0), 2, run, std::nullopt, {2, 3}, 5, 4, false},
                        false);
  manifest m = read_manifest(path);
  EXPECT_EQ(m.claims.size(), 5U);  // shard 0's third line is past its committed count
  EXPECT_FALSE(m.complete);
  EXPECT_EQ(m.commit, 4U);
  EXPECT_EQ(m.run, run);
  const fs::path shard1 = shard_file(path, run, 1);
  const std::string good = slurp(shard1);
  auto lines = lines_of(good);
  // A flipped digit in shard 1, line 3.
  std::string flipped = good;
  flipped[flipped.find("\"first\": 110") + 10] = '2';
  spit(shard1, flipped);
  expect_read_error_in<invalid_argument>(path, shard1, 3, "checksum mismatch");
  // Two lines swapped.
  std::swap(lines[1], lines[2]);
  std::string swapped;
  for (const auto& l : lines) swapped += l + "\n";
  spit(shard1, swapped);
  expect_read_error_in<invalid_argument>(path, shard1, 2, "checksum mismatch");
  // Shard 0's file given as shard 1's.
  spit(shard1, slurp(shard_file(path, run, 0)));
  expect_read_error_in<invalid_argument>(path, shard1, 1, "checksum mismatch");
  spit(shard1, good);
  EXPECT_EQ(read_manifest(path).claims.size(), 5U);
}

TEST_F(ManifestTest, NextFreeIsOnePastTheLargestClaim) {
  manifest m = sample();
  EXPECT_EQ(m.next_free().stream, stream_id(1000));
  EXPECT_EQ(m.next_free().jump, jump_index(8));
  m.claims.clear();
  EXPECT_EQ(m.next_free().stream, stream_id(0));
  EXPECT_EQ(m.next_free().jump, jump_index(0));
  m.claims.push_back(philox_ids(~std::uint64_t{0}, 1, 0));
  EXPECT_THROW(m.next_free(), invalid_argument);
}

TEST_F(ManifestTest, ResumePointIsPerJob) {
  manifest first = sample();  // job 2: philox IDs [0, 1000), jump index 7
  manifest second = sample();
  second.job = job_index(5);
  second.claims = {philox_ids(1000, 500, 1)};
  second.claims[0].job = second.job;
  write_manifest(file("a.jsonl"), first);
  write_manifest(file("b.jsonl"), second);
  const std::vector<fs::path> files = {file("a.jsonl"), file("b.jsonl")};
  // By default a new job, whose region no run has touched.
  const resume_point fresh = find_resume_point(files);
  EXPECT_TRUE(fresh.campaign == first.campaign);
  EXPECT_EQ(fresh.next_job, job_index(6));
  EXPECT_EQ(fresh.job, job_index(6));
  EXPECT_EQ(fresh.next_stream, stream_id(0));
  EXPECT_EQ(fresh.next_jump, jump_index(0));
  // A later run of job 2 continues job 2's region, never job 5's, and the other way round.
  const resume_point two = find_resume_point(files, nullptr, job_index(2));
  EXPECT_EQ(two.job, job_index(2));
  EXPECT_EQ(two.next_stream, stream_id(1000));
  EXPECT_EQ(two.next_jump, jump_index(8));
  const resume_point five = find_resume_point(files, nullptr, job_index(5));
  EXPECT_EQ(five.next_stream, stream_id(1500));
  EXPECT_EQ(five.next_jump, jump_index(0));
  EXPECT_EQ(find_resume_point(files, nullptr, job_index(3)).next_stream, stream_id(0));
  EXPECT_NO_THROW(find_resume_point(files, &first.campaign));
}

// Format 1 predates job regions: read back with the shared layout, whose streams a new run's
// job 0 region holds (Philox IDs) or that split into 2^40-index regions (jump indices).
TEST_F(ManifestTest, FormatOneIsReadWithTheSharedLayout) {
  manifest old = sample();
  old.campaign = campaign(old.campaign.root(), strategy::philox, 4, job_layout::shared);
  write_manifest(file("old.jsonl"), old);
  EXPECT_EQ(slurp(file("old.jsonl")).rfind(R"({"streamalloc_manifest": 1, )", 0), 0U);
  const manifest back = read_manifest(file("old.jsonl"));
  EXPECT_EQ(back.campaign.jobs(), job_layout::shared);
  EXPECT_TRUE(back.campaign == old.campaign);
  EXPECT_EQ(back.claims, old.claims);
  EXPECT_EQ(read_manifest(file("old.jsonl")).campaign.philox_key(job_index(2), stream_id(7)),
            old.campaign.philox_root_key() + 7);

  // The old job 2's IDs [0, 1000) are keys root_key + [0, 1000): job 0's region.
  const std::vector<fs::path> files = {file("old.jsonl")};
  const resume_point zero = find_resume_point(files, nullptr, job_index(0));
  EXPECT_EQ(zero.campaign.jobs(), job_layout::separated);
  EXPECT_EQ(zero.next_stream, stream_id(1000));
  EXPECT_EQ(zero.next_jump, jump_index(8));
  const resume_point two = find_resume_point(files, nullptr, job_index(2));
  EXPECT_EQ(two.next_stream, stream_id(0));
  EXPECT_EQ(two.next_jump, jump_index(0));
  // A shared jump index past 2^40 lies in job 1's region.
  manifest far = old;
  far.claims = {philox_ids((std::uint64_t{1} << 40) + 4, 10, 0)};
  far.claims[0].kind = claim_kind::jump_index;
  far.claims[0].job = far.job;
  write_manifest(file("far.jsonl"), far);
  const std::vector<fs::path> far_files = {file("far.jsonl")};
  EXPECT_EQ(find_resume_point(far_files, nullptr, job_index(1)).next_jump, jump_index(14));
  EXPECT_EQ(find_resume_point(far_files, nullptr, job_index(0)).next_jump, jump_index(0));
  // Old and new records of one campaign resume together.
  write_manifest(file("new.jsonl"), sample());
  const std::vector<fs::path> both = {file("old.jsonl"), file("new.jsonl")};
  EXPECT_EQ(find_resume_point(both, nullptr, job_index(2)).next_stream, stream_id(1000));
  EXPECT_EQ(find_resume_point(both, &old.campaign, job_index(0)).next_stream, stream_id(1000));
}

TEST_F(ManifestTest, ResumeRefusesAnotherCampaign) {
  manifest first = sample();
  manifest other{campaign(seed_entropy::list({0, 0}), strategy::philox), job_index(0), 1, {}, ""};
  write_manifest(file("a.jsonl"), first);
  write_manifest(file("b.jsonl"), other);
  const std::vector<fs::path> files = {file("a.jsonl"), file("b.jsonl")};
  try {
    find_resume_point(files);
    ADD_FAILURE() << "expected invalid_argument";
  } catch (const invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(file("b.jsonl").string() + ":1: ", 0), 0U) << what;
    EXPECT_NE(what.find("seed [0, 0]"), std::string::npos) << what;
    EXPECT_NE(what.find(file("a.jsonl").string()), std::string::npos) << what;
  }
  const std::vector<fs::path> one = {file("a.jsonl")};
  const campaign mine(1, strategy::philox);
  EXPECT_THROW(find_resume_point(one, &mine), invalid_argument);
  EXPECT_THROW(find_resume_point({}), invalid_argument);
}

// Bad input (issue 12): a huge line or a flood of blank lines is refused where it starts, not
// after the whole file has been held in memory (a 200 MB manifest of spaces took 8.2 s, 1 GB).
TEST_F(ManifestTest, HugeLinesAndBlankFloodsAreRefusedWhereTheyStart) {
  write_manifest(file("run.jsonl"), sample());
  const std::string good = slurp(file("run.jsonl"));
  spit(file("spaces.jsonl"), std::string(max_manifest_line_bytes + 1, ' ') + "\n" + good);
  expect_read_error<invalid_argument>(file("spaces.jsonl"), 1, "line longer than 16777216 bytes");
  const std::size_t first_break = good.find('\n') + 1;
  spit(file("long_claim.jsonl"),
       good.substr(0, first_break) + std::string(max_manifest_line_bytes + 5, '{') + "\n");
  expect_read_error<invalid_argument>(file("long_claim.jsonl"), 2, "line longer than");
  spit(file("blanks.jsonl"),
       good.substr(0, first_break) + std::string(1'000'000, '\n') + good.substr(first_break));
  expect_read_error<invalid_argument>(file("blanks.jsonl"), 2, "empty line");
  // Trailing blank lines (and CRLF endings) are still fine.
  spit(file("trailing.jsonl"), good + "\n\r\n\n");
  EXPECT_EQ(read_manifest(file("trailing.jsonl")).claims, sample().claims);
}

TEST_F(ManifestTest, DeepJsonInAnyLineIsAClearError) {
  write_manifest(file("run.jsonl"), sample());
  const std::string good = slurp(file("run.jsonl"));
  // The deep line replaces a line (lines are sealed with their numbers: an inserted line would
  // first be reported as moving the footer).
  const std::size_t first_break = good.find('\n') + 1;
  const std::size_t second_break = good.find('\n', first_break) + 1;
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  spit(file("deep_claim.jsonl"),
       good.substr(0, first_break) + deep + "\n" + good.substr(second_break));
  expect_read_error<invalid_argument>(file("deep_claim.jsonl"), 2, "nested deeper than 256");
  spit(file("deep_header.jsonl"), deep + "\n" + good.substr(first_break));
  expect_read_error<invalid_argument>(file("deep_header.jsonl"), 1, "nested deeper than 256");
}

TEST_F(ManifestTest, CampaignSeedsOfAnyAcceptedLengthRoundTrip) {
  // 309 digits and more were written, then refused on reading ("number overflow").
  for (const std::size_t digits : {std::size_t{1}, std::size_t{308}, std::size_t{309},
                                   std::size_t{10'000}, big_uint::max_digits}) {
    manifest m = sample();
    m.campaign =
        campaign(seed_entropy(big_uint::parse(std::string(digits, '7'), "seed")), strategy::philox);
    write_manifest(file("seed.jsonl"), m);
    const manifest back = read_manifest(file("seed.jsonl"));
    EXPECT_TRUE(back.campaign == m.campaign) << digits;
    EXPECT_EQ(back.claims, m.claims);
  }
}

}  // namespace
}  // namespace streamalloc::claims
