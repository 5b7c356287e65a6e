#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_json.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>

#include "streamalloc/error.hpp"

// The build defines the version (the project() call is the one source); this fallback only
// keeps out-of-tree builds of this file working.
#ifndef STREAMALLOC_VERSION
#define STREAMALLOC_VERSION "unknown"
#endif

namespace streamalloc::claims {
namespace {



constexpr const char* header_example =
    "{\"streamalloc_manifest\": 2, \"version\": ..., \"campaign\": {...}, \"job\": J, \"ranks\": "
    "N}";

std::string where(const std::filesystem::path& file, std::size_t line) {
  return file.string() + ":" + std::to_string(line) + ": ";
}

[[noreturn]] void bad_content(const std::filesystem::path& file, std::size_t line,
                              const std::string& why) {
  throw invalid_argument(where(file, line) + why);
}

void reject_unknown_fields(const json& object, std::span<const char* const> known,
                           const std::string& what) {
  for (const auto& item : object.items()) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return item.key() == k; })) {
      std::string list;
      for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      throw invalid_argument(what + ": unknown field '" + item.key() + "' (expected " + list + ")");
    }
  }
}

std::string describe_campaign(const campaign& c) {
  return "seed " + cut_for_message(c.root().to_string()) + ", strategy " + std::string(to_string(c.how())) +
         ", pool size " + std::to_string(c.pool_size());
}

// ---- writing ----

class temp_file {
 public:
  explicit temp_file(std::filesystem::path target)
      : target_(std::move(target)), temp_(target_.string() + ".tmp." + std::to_string(::getpid())) {
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("cannot create temporary file " + temp_.string());
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_.c_str());
  }

  void write(std::string_view data) {
    while (!data.empty()) {
      const ::ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("cannot write " + temp_.string());
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  // Data on disk first, then the rename, then the directory entry on disk: after a crash the
  // path holds either the old file or the complete new one.
  void commit() {
    if (::fsync(fd_) != 0) fail("cannot sync " + temp_.string());
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("cannot close " + temp_.string());
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
      fail("cannot rename " + temp_.string() + " to " + target_.string());
    }
    committed_ = true;
    const auto dir = target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      // Some file systems cannot sync directories (EINVAL); the rename itself is still atomic.
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw io_error(target_.string() + ": " + what + ": " + std::strerror(errno));
  }

  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// A manifest records one run: its claims name that run's job and ranks.
void check_in_run(const claim& c, job_index job, std::uint32_t ranks, const std::string& what) {
  if (c.owner.value() >= ranks) {
    throw invalid_argument(what + ": owner rank " + std::to_string(c.owner.value()) +
                           " is outside the run's ranks [0, " + std::to_string(ranks) + ")");
  }
  if (c.job != job) {
    throw invalid_argument(what + ": job " + std::to_string(c.job.value()) +
                           " differs from the run's job " + std::to_string(job.value()));
  }
}

// ---- reading ----

// Input bounds (issue 12): a line longer than max_manifest_line_bytes is refused as soon as it
// is seen, and a blank line that is not trailing is refused where it is, so that neither a huge
// line nor millions of blank ones are held in memory before the check that refuses them.
std::vector<std::string> read_lines(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw io_error(where(file, 1) + "cannot open manifest: " + std::strerror(errno));
  }
  std::vector<std::string> lines;
  std::string line;
  std::size_t blank_from = 0;  // 1-based number of the first of the current blank lines, or 0
  std::size_t number = 0;
  while (true) {
    line.clear();
    bool ended = false;
    std::streambuf& buffer = *in.rdbuf();
    for (int c = buffer.sbumpc(); c != std::char_traits<char>::eof(); c = buffer.sbumpc()) {
      if (c == '\n') {
        ended = true;
        break;
      }
      if (line.size() == max_manifest_line_bytes) {
        bad_content(file, number + 1,
                    "line longer than " + std::to_string(max_manifest_line_bytes) +
                        " bytes (no manifest line is near that size)");
      }
      line.push_back(static_cast<char>(c));
    }
    if (!ended && line.empty()) break;
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (blank_from == 0) blank_from = number;
      continue;
    }
    if (blank_from != 0) {
      bad_content(file, blank_from, "empty line, expected one claim object per line");
    }
    lines.push_back(std::move(line));
    line = std::string();
  }
  if (in.bad()) {
    throw io_error(where(file, lines.size() + 1) + "cannot read manifest: " + std::strerror(errno));
  }
  return lines;
}

// True if `text` is a footer line {"end": true, ...}.
bool is_footer(const std::string& text) {
  try {
    const json value = parse_json(text, "footer");
    return value.is_object() && value.contains("end");
  } catch (const invalid_argument&) {
    return false;
  }
}

manifest parse_header(const std::filesystem::path& file, const std::string& text) {
  try {
    const json h = parse_json(text, "manifest header");
    if (!h.is_object() || !h.contains("streamalloc_manifest")) {
      throw invalid_argument(std::string("not a streamalloc manifest: expected the header ") +
                             header_example + ", got " + describe_json(h));
    }
    static constexpr std::array known = {"streamalloc_manifest", "version", "campaign", "job",
                                         "ranks"};
    reject_unknown_fields(h, known, "manifest header");
    const auto format = json_to_u64(h["streamalloc_manifest"], "manifest format");
    if (format != manifest_format && format != shared_layout_manifest_format) {
      throw invalid_argument("unsupported manifest format " + std::to_string(format) +
                             " (this streamalloc reads formats 1 and " +
                             std::to_string(manifest_format) + ")");
    }
    // Format 1 predates job regions: its IDs and indices share one space across jobs.
    const job_layout layout =
        format == shared_layout_manifest_format ? job_layout::shared : job_layout::separated;
    const json& version = json_field(h, "version", "manifest header");
    if (!version.is_string()) {
      throw invalid_argument("manifest header field 'version': got " +
                             describe_json(version) + ", expected a string");
    }
    manifest m{campaign_from_json(json_field(h, "campaign", "manifest header"),
                                  "manifest header field 'campaign'", layout),
               job_index(json_to_u64(json_field(h, "job", "manifest header"),
                                             "manifest header field 'job'")),
               0,
               {},
               version.get<std::string>()};
    const auto ranks = json_to_u64(json_field(h, "ranks", "manifest header"),
                                           "manifest header field 'ranks'",
                                           std::numeric_limits<std::uint32_t>::max());
    if (ranks == 0) throw invalid_argument("manifest header field 'ranks': got 0, expected >= 1");
    m.ranks = static_cast<std::uint32_t>(ranks);
    return m;
  } catch (const invalid_argument& e) {
    bad_content(file, 1, e.what());
  }
}

// Two campaigns of the same root, strategy and pool size: one campaign, whatever layout its
// records were written in.
bool same_root(const campaign& a, const campaign& b) {
  return a.root() == b.root() && a.how() == b.how() && a.pool_size() == b.pool_size();
}

struct free_region {
  stream_id stream{};
  jump_index jump{};
};

// The first Philox ID and jump index of job `job`'s region (separated layout) that no claim of
// `m` lies at or beyond. A shared-layout claim's ID i is key root_key + i: job 0's ID i; its jump
// index i is jump count i: job i >> 40's index i mod 2^40.
free_region free_in_region(const manifest& m, job_index job) {
  const bool shared = m.campaign.jobs() == job_layout::shared;
  const auto after = [](std::uint64_t last, const char* what) {
    if (last == std::numeric_limits<std::uint64_t>::max()) {
      throw invalid_argument(std::string("no free ") + what + " left: 2^64 - 1 is claimed");
    }
    return last + 1;
  };
  free_region out;
  for (const claim& c : m.claims) {
    if (c.kind == claim_kind::philox_id) {
      const job_index region = shared ? job_index(0) : c.job;
      if (region == job && c.last() >= out.stream.value()) {
        out.stream = stream_id(after(c.last(), "philox stream ID"));
      }
    } else if (c.kind == claim_kind::jump_index) {
      if (!shared) {
        if (c.job == job && c.last() >= out.jump.value()) {
          out.jump = jump_index(after(c.last(), "jump index"));
        }
        continue;
      }
      // The shared indices [first, last] as separated (job, index) pairs: only the part inside
      // job `job`'s 2^40 counts matters.
      const std::uint64_t region_first = job.value() >= max_jumped_jobs ? 0 : job.value() << 40;
      if (job.value() >= max_jumped_jobs || c.last() < region_first) continue;
      const std::uint64_t region_last = region_first + (jump_indices_per_job - 1);
      if (c.first > region_last) continue;
      const std::uint64_t last = std::min(c.last(), region_last) - region_first;
      out.jump = std::max(out.jump, jump_index(last + 1));
    }
  }
  return out;
}

}  // namespace

json campaign_to_json(const campaign& c) {
  json root;
  if (c.root().is_list()) {
    root = json::array();
    for (const auto& v : c.root().values()) root.push_back(big_to_json(v));
  } else {
    root = big_to_json(c.root().values().front());
  }
  return json{
      {"root", root}, {"strategy", std::string(to_string(c.how()))}, {"pool_size", c.pool_size()}};
}

campaign campaign_from_json(const json& value, std::string_view what, job_layout jobs) {
  const std::string w(what);
  static constexpr std::array known = {"root", "strategy", "pool_size"};
  if (!value.is_object()) {
    throw invalid_argument(w + ": got " + describe_json(value) +
                           ", expected {\"root\": ..., \"strategy\": ..., \"pool_size\": ...}");
  }
  reject_unknown_fields(value, known, w);
  const json& root = json_field(value, "root", w);
  seed_entropy entropy;
  if (root.is_array()) {
    std::vector<big_uint> values;
    for (std::size_t i = 0; i < root.size(); ++i) {
      values.push_back(
          json_to_big(root[i], w + " field 'root' entry " + std::to_string(i)));
    }
    entropy = seed_entropy::list(std::move(values));
  } else {
    entropy = seed_entropy(json_to_big(root, w + " field 'root'"));
  }
  const json& how = json_field(value, "strategy", w);
  if (!how.is_string()) {
    throw invalid_argument(w + " field 'strategy': got " + describe_json(how) +
                           ", expected \"spawn\", \"philox\" or \"jumped\"");
  }
  const auto pool = json_to_u64(json_field(value, "pool_size", w),
                                        w + " field 'pool_size'", seed_sequence::max_pool_size);
  if (pool < seed_sequence::default_pool_size) {
    throw invalid_argument(w + " field 'pool_size': got " + std::to_string(pool) +
                           ", expected an integer in [4, " +
                           std::to_string(seed_sequence::max_pool_size) + "]");
  }
  return campaign(std::move(entropy),
                  parse_strategy(how.get<std::string>(), w + " field 'strategy'"),
                  static_cast<std::size_t>(pool), jobs);
}

manifest::free_point manifest::next_free() const {
  const auto after = [](std::uint64_t last, const char* what) {
    if (last == std::numeric_limits<std::uint64_t>::max()) {
      throw invalid_argument(std::string("no free ") + what + " left: 2^64 - 1 is claimed");
    }
    return last + 1;
  };
  free_point out;
  for (const auto& c : claims) {
    if (c.kind == claim_kind::philox_id && c.last() >= out.stream.value()) {
      out.stream = stream_id(after(c.last(), "philox stream ID"));
    } else if (c.kind == claim_kind::jump_index && c.last() >= out.jump.value()) {
      out.jump = jump_index(after(c.last(), "jump index"));
    }
  }
  return out;
}

void write_manifest(const std::filesystem::path& path, const manifest& m) {
  if (m.ranks == 0) throw invalid_argument(path.string() + ": a run has at least one rank, got 0");
  for (std::size_t i = 0; i < m.claims.size(); ++i) {
    const std::string what = path.string() + ": claim " + std::to_string(i);
    try {
      validate(m.claims[i]);
    } catch (const invalid_argument& e) {
      throw invalid_argument(what + ": " + e.what());
    }
    check_in_run(m.claims[i], m.job, m.ranks, what);
  }
  const std::uint64_t format = m.campaign.jobs() == job_layout::shared
                                   ? shared_layout_manifest_format
                                   : manifest_format;
  const json header{{"streamalloc_manifest", format},
                    {"version", STREAMALLOC_VERSION},
                    {"campaign", campaign_to_json(m.campaign)},
                    {"job", m.job.value()},
                    {"ranks", m.ranks}};
  temp_file out(path);
  std::string buffer = dump_json(header) + "\n";
  constexpr std::size_t flush_at = std::size_t{1} << 20;
  for (const auto& c : m.claims) {
    buffer += dump_json(to_json(c));
    buffer += '\n';
    if (buffer.size() >= flush_at) {
      out.write(buffer);
      buffer.clear();
    }
  }
  buffer += dump_json(json{{"end", true}, {"claims", m.claims.size()}}) + "\n";
  out.write(buffer);
  out.commit();
}

manifest read_manifest(const std::filesystem::path& path) {
  const std::vector<std::string> lines = read_lines(path);
  if (lines.empty()) {
    throw io_error(where(path, 1) + "empty file, expected a manifest starting with the header " +
                   header_example);
  }
  const std::size_t footer_line = lines.size();  // 1-based line numbers
  if (!is_footer(lines.back())) {
    // "Not a manifest at all" is the more useful message for other files; a header cut short
    // still starts like one.
    const std::string magic = "{\"streamalloc_manifest\"";
    const bool cut_header = lines.size() == 1 && (lines.front().rfind(magic, 0) == 0 ||
                                                  magic.rfind(lines.front(), 0) == 0);
    if (!cut_header) static_cast<void>(parse_header(path, lines.front()));
    throw io_error(where(path, footer_line) +
                   "truncated manifest: the last line is not the footer {\"end\": true, "
                   "\"claims\": N} (the writer was interrupted or the file was cut)");
  }
  manifest m = parse_header(path, lines.front());
  if (lines.size() < 2) {
    bad_content(path, 1, "the header is also the footer; expected a header line first");
  }
  m.claims.reserve(lines.size() - 2);
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    const std::size_t line = i + 1;
    if (lines[i].empty()) bad_content(path, line, "empty line, expected one claim object per line");
    try {
      const json value = parse_json(lines[i], "claim");
      if (value.is_object() && value.contains("end")) {
        throw invalid_argument(
            "footer before the last line (expected a claim object; a "
            "manifest ends at its footer)");
      }
      claim c = claim_from_json(value, "claim");
      check_in_run(c, m.job, m.ranks, "claim");
      m.claims.push_back(std::move(c));
    } catch (const invalid_argument& e) {
      bad_content(path, line, e.what());
    }
  }
  try {
    const json footer = parse_json(lines.back(), "footer");
    static constexpr std::array known = {"end", "claims"};
    reject_unknown_fields(footer, known, "footer");
    const json& end = footer["end"];
    if (!end.is_boolean() || !end.get<bool>()) {
      throw invalid_argument("footer field 'end': got " + describe_json(end) +
                             ", expected true");
    }
    const auto count = json_to_u64(json_field(footer, "claims", "footer"),
                                           "footer field 'claims'");
    if (count != m.claims.size()) {
      throw invalid_argument("footer says " + std::to_string(count) + " claims, but the file has " +
                             std::to_string(m.claims.size()));
    }
  } catch (const invalid_argument& e) {
    bad_content(path, footer_line, e.what());
  }
  return m;
}

resume_point find_resume_point(std::span<const std::filesystem::path> manifests,
                               const campaign* expected, std::optional<job_index> job) {
  if (manifests.empty()) {
    throw invalid_argument("resume: no manifest given, expected at least one");
  }
  std::vector<manifest> loaded;
  loaded.reserve(manifests.size());
  for (std::size_t i = 0; i < manifests.size(); ++i) {
    const auto& file = manifests[i];
    manifest m = read_manifest(file);
    if (expected != nullptr && !same_root(m.campaign, *expected)) {
      throw invalid_argument(where(file, 1) + "manifest of a different campaign (" +
                             describe_campaign(m.campaign) + ") than this run's (" +
                             describe_campaign(*expected) +
                             "); a resumed run continues the campaign of its manifests");
    }
    if (!loaded.empty() && !same_root(m.campaign, loaded.front().campaign)) {
      throw invalid_argument(where(file, 1) + "manifest of a different campaign (" +
                             describe_campaign(m.campaign) + ") than " + manifests[0].string() +
                             " (" + describe_campaign(loaded.front().campaign) +
                             "); a run resumes one campaign at a time");
    }
    if (m.job.value() == std::numeric_limits<std::uint64_t>::max()) {
      throw invalid_argument(where(file, 1) + "job index 2^64 - 1 leaves no next job");
    }
    loaded.push_back(std::move(m));
  }
  const campaign& first = loaded.front().campaign;
  resume_point out{campaign(first.root(), first.how(), first.pool_size(), job_layout::separated),
                   {}, {}, {}, {}};
  for (const manifest& m : loaded) out.next_job = std::max(out.next_job, job_index(m.job.value() + 1));
  out.job = job.value_or(out.next_job);
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    try {
      const free_region next = free_in_region(loaded[i], out.job);
      out.next_stream = std::max(out.next_stream, next.stream);
      out.next_jump = std::max(out.next_jump, next.jump);
    } catch (const invalid_argument& e) {
      throw invalid_argument(where(manifests[i], 1) + e.what());
    }
  }
  return out;
}

}  // namespace streamalloc::claims
