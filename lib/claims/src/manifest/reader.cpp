// Reading manifests of every format, single-file or run record, one line at a time.
#include "streamalloc/claims/manifest_reader.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "src/manifest/apply_use.hpp"
#include "src/manifest/manifest_json.hpp"
#include "src/manifest/sealed_line.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

using detail::where;

constexpr const char* header_example =
    "{\"streamalloc_manifest\": 3, \"version\": ..., \"campaign\": {...}, \"job\": J, \"ranks\": "
    "N, \"run\": ...}";

[[noreturn]] void bad_content(const std::filesystem::path& file, std::uint64_t line,
                              const std::string& why) {
  throw invalid_argument(where(file, line) + why);
}

json parse_object(const std::string& text, const char* what) { return parse_json(text, what); }

// The JSON object of a line: unsealed first when the format seals lines.
json line_object(const std::string& line, std::uint64_t format, std::uint64_t domain,
                 std::uint64_t number, const char* what) {
  if (format < 3) return parse_object(line, what);
  // A line that is not sealed at all: say first what is wrong with it as JSON, if anything.
  if (!looks_sealed(line)) parse_object(line, what);
  return parse_object(detail::unseal(line, domain, number), what);
}

// True if `text` is a footer line {"end": ...} (sealed or not).
bool is_footer(const std::string& text) {
  try {
    const json value = parse_json(text, "footer");
    return value.is_object() && value.contains("end");
  } catch (const invalid_argument&) {
    return false;
  }
}

// A manifest records one run: its claims name that run's job and ranks.
void check_in_run(const claim& c, const manifest_header& h, const std::string& what) {
  if (c.owner.value() >= h.ranks) {
    throw invalid_argument(what + ": owner rank " + std::to_string(c.owner.value()) +
                           " is outside the run's ranks [0, " + std::to_string(h.ranks) + ")");
  }
  if (c.job != h.job) {
    throw invalid_argument(what + ": job " + std::to_string(c.job.value()) +
                           " differs from the run's job " + std::to_string(h.job.value()));
  }
}

// Footer fields: {"end": true, "claims": N} and, in run records, "commit" and "complete".
void parse_footer(const json& footer, manifest_header& h, bool& record_form) {
  static constexpr std::array known_old = {"end", "claims"};
  static constexpr std::array known_new = {"end", "claims", "commit", "complete"};
  if (h.format >= 3) {
    detail::reject_unknown_fields(footer, known_new, "footer");
  } else {
    detail::reject_unknown_fields(footer, known_old, "footer");
  }
  const json& end = footer["end"];
  if (!end.is_boolean() || !end.get<bool>()) {
    throw invalid_argument("footer field 'end': got " + describe_json(end) + ", expected true");
  }
  h.claims = json_to_u64(json_field(footer, "claims", "footer"), "footer field 'claims'");
  record_form = footer.contains("commit");
  if (record_form) {
    h.commit = json_to_u64(footer["commit"], "footer field 'commit'");
    const json& complete = json_field(footer, "complete", "footer");
    if (!complete.is_boolean()) {
      throw invalid_argument("footer field 'complete': got " + describe_json(complete) +
                             ", expected true or false");
    }
    h.complete = complete.get<bool>();
  } else if (footer.contains("complete")) {
    throw invalid_argument("footer field 'complete' without 'commit' (only run records have it)");
  }
}

// A shard line of a run record's manifest: {"shard": r, "file": ..., "lines": n}.
void parse_shard_line(const json& value, std::uint32_t expected, const std::filesystem::path& dir,
                      manifest_header& h) {
  static constexpr std::array known = {"shard", "file", "lines"};
  if (!value.is_object() || !value.contains("shard")) {
    throw invalid_argument("got " + describe_json(value) +
                           ", expected the shard line {\"shard\": " + std::to_string(expected) +
                           ", \"file\": ..., \"lines\": N} (a run record lists one per rank)");
  }
  detail::reject_unknown_fields(value, known, "shard line");
  const auto shard = json_to_u64(value["shard"], "shard line field 'shard'");
  if (shard != expected) {
    throw invalid_argument("shard line for rank " + std::to_string(shard) + ", expected rank " +
                           std::to_string(expected) + " (one line per rank, in rank order)");
  }
  const json& file = json_field(value, "file", "shard line");
  if (!file.is_string() || file.get<std::string>().empty()) {
    throw invalid_argument("shard line field 'file': got " + describe_json(file) +
                           ", expected a file name");
  }
  const std::filesystem::path name(file.get<std::string>());
  if (name.is_absolute() ||
      std::any_of(name.begin(), name.end(), [](const auto& part) { return part == ".."; })) {
    throw invalid_argument("shard line field 'file': \"" + name.string() +
                           "\" must be a relative path below the manifest's directory");
  }
  h.shard_files.push_back(dir / name);
  h.shard_lines.push_back(
      json_to_u64(json_field(value, "lines", "shard line"), "shard line field 'lines'"));
}

// A claim line's object: a claim, or (in shards) a use update {"update": true, ...}.
claim claim_of(json value, bool& update, bool shards) {
  update = false;
  if (value.is_object() && value.contains("end")) {
    throw invalid_argument(
        "footer before the last line (expected a claim object; a manifest ends at its footer)");
  }
  if (shards && value.is_object() && value.contains("update")) {
    const json& flag = value["update"];
    if (!flag.is_boolean() || !flag.get<bool>()) {
      throw invalid_argument("field 'update': got " + describe_json(flag) + ", expected true");
    }
    value.erase("update");
    update = true;
  }
  return claim_from_json(value, "claim");
}

}  // namespace

manifest_reader::manifest_reader(std::filesystem::path path) : path_(std::move(path)) {
  const detail::file_scan scan = detail::scan_lines(path_, "manifest", max_manifest_line);
  // Blank lines at the end are allowed (and ignored); the last line that is not blank is the
  // footer.
  const std::string& last = scan.last;
  const std::uint64_t lines = scan.last_line;
  footer_line_ = lines;
  if (lines == 0) {
    throw io_error(where(path_, 1) + "empty file, expected a manifest starting with the header " +
                   header_example);
  }
  if (scan.inner_blank != 0) {
    bad_content(path_, scan.inner_blank, "empty line, expected one claim object per line");
  }
  std::string first;
  {
    detail::line_reader in(path_, "manifest", max_manifest_line);
    in.next(first);
  }
  const auto header_of = [&] {
    try {
      json h;
      const std::uint64_t format = detail::sniff_format(first);
      h = line_object(first, format, detail::manifest_domain, 1, "manifest header");
      detail::parse_header(h, header_);
    } catch (const invalid_argument& e) {
      bad_content(path_, 1, e.what());
    }
  };
  if (!is_footer(last)) {
    // "Not a manifest at all" is the more useful message for other files; a header cut short
    // still starts like one.
    const std::string magic = "{\"streamalloc_manifest\"";
    const bool cut_header =
        lines == 1 && (first.rfind(magic, 0) == 0 || magic.rfind(first, 0) == 0);
    if (!cut_header) header_of();
    throw io_error(where(path_, lines) +
                   "truncated manifest: the last line is not the footer {\"end\": true, "
                   "\"claims\": N} (the writer was interrupted or the file was cut)");
  }
  header_of();
  if (lines < 2)
    bad_content(path_, 1, "the header is also the footer; expected a header line first");
  bool record_form = false;
  try {
    parse_footer(line_object(last, header_.format, detail::manifest_domain, lines, "footer"),
                 header_, record_form);
  } catch (const invalid_argument& e) {
    bad_content(path_, lines, e.what());
  }
  if (!record_form) return;
  // A run record: lines 2 .. ranks + 1 list the shards.
  if (lines != std::uint64_t{header_.ranks} + 2) {
    bad_content(path_, lines,
                "a run record of " + std::to_string(header_.ranks) + " ranks has " +
                    std::to_string(header_.ranks + 2) +
                    " lines (header, one shard line per "
                    "rank, footer), this file has " +
                    std::to_string(lines));
  }
  detail::line_reader in(path_, "manifest", max_manifest_line);
  std::string line;
  in.next(line);  // the header
  const auto dir = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  for (std::uint32_t r = 0; r < header_.ranks; ++r) {
    in.next(line);
    try {
      parse_shard_line(
          line_object(line, header_.format, detail::manifest_domain, r + 2, "shard line"), r, dir,
          header_);
    } catch (const invalid_argument& e) {
      bad_content(path_, r + 2, e.what());
    }
  }
}

manifest_reader::~manifest_reader() = default;

void manifest_reader::read(const std::function<void(const claim&, const claim_location&)>& visit) {
  if (read_) throw invalid_argument(path_.string() + ": manifest_reader::read called twice");
  read_ = true;
  std::uint64_t claims = 0;
  std::string line;
  bool update = false;
  if (header_.shard_files.empty()) {
    detail::line_reader in(path_, "manifest", max_manifest_line);
    in.next(line);  // the header, checked when opened
    claim_location at{&path_, 0, std::nullopt, false};
    for (;;) {
      if (!in.next(line)) break;
      at.line = in.line_number();
      std::optional<claim> c;
      try {
        if (line.empty()) throw invalid_argument("empty line, expected one claim object per line");
        const json value =
            line_object(line, header_.format, detail::manifest_domain, at.line, "claim");
        // The footer is the last line, checked when opened (a footer line earlier is refused).
        if (at.line == footer_line_) break;
        c = claim_of(value, update, false);
        check_in_run(*c, header_, "claim");
      } catch (const invalid_argument& e) {
        bad_content(path_, at.line, e.what());
      }
      ++claims;
      visit(*c, at);
    }
    if (claims != header_.claims) {
      bad_content(path_, at.line,  // the footer's line
                  "footer says " + std::to_string(header_.claims) + " claims, but the file has " +
                      std::to_string(claims));
    }
    return;
  }
  std::uint64_t footer_line = header_.ranks + 2;
  for (std::uint32_t r = 0; r < header_.shard_files.size(); ++r) {
    const std::filesystem::path& file = header_.shard_files[r];
    detail::line_reader in(file, "shard", max_manifest_line);
    const std::uint64_t committed = header_.shard_lines[r];
    const auto truncated = [&](std::uint64_t have) {
      throw io_error(where(file, have + 1) + "truncated shard: " + path_.string() + " commits " +
                     std::to_string(committed) + " claim lines of rank " + std::to_string(r) +
                     ", the file has " + std::to_string(have) + " complete");
    };
    if (!in.next(line) || !in.terminated()) truncated(0);
    try {
      const json h = line_object(line, 3, r, 1, "shard header");
      static constexpr std::array known = {"streamalloc_shard", "run", "shard"};
      detail::reject_unknown_fields(h, known, "shard header");
      if (json_to_u64(json_field(h, "streamalloc_shard", "shard header"), "shard format") != 3 ||
          json_field(h, "run", "shard header") != header_.run ||
          json_to_u64(json_field(h, "shard", "shard header"), "shard header field 'shard'") != r) {
        throw invalid_argument("shard header " + describe_json(h) + " is not run " + header_.run +
                               "'s shard " + std::to_string(r));
      }
    } catch (const invalid_argument& e) {
      bad_content(file, 1, e.what());
    }
    claim_location at{&file, 0, r, false};
    for (std::uint64_t k = 0; k < committed; ++k) {
      if (!in.next(line) || !in.terminated()) truncated(k);
      at.line = in.line_number();
      std::optional<claim> c;
      try {
        c = claim_of(line_object(line, 3, r, at.line, "claim"), update, true);
        check_in_run(*c, header_, "claim");
        if (c->owner.value() != r) {
          throw invalid_argument("owner rank " + std::to_string(c->owner.value()) + " in rank " +
                                 std::to_string(r) + "'s shard");
        }
      } catch (const invalid_argument& e) {
        bad_content(file, at.line, e.what());
      }
      at.update = update;
      if (!update) ++claims;
      visit(*c, at);
    }
    // Lines past the committed count belong to a checkpoint that never committed: ignored.
  }
  if (claims != header_.claims) {
    bad_content(path_, footer_line,
                "footer says " + std::to_string(header_.claims) + " claims, but the shards hold " +
                    std::to_string(claims));
  }
}

void apply_use(std::vector<claim>& claims, const claim& update) {
  detail::apply_use_to(claims, update, [](claim& c) -> claim& { return c; });
}

manifest read_manifest(const std::filesystem::path& path) {
  manifest_reader reader(path);
  const manifest_header& h = reader.header();
  manifest m{h.campaign, h.job,          h.ranks,  {},        h.version,
             h.run,      h.resumed_from, h.commit, h.complete};
  m.claims.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(h.claims, 1U << 20)));
  reader.read([&](const claim& c, const claim_location& at) {
    if (!at.update) {
      m.claims.push_back(c);
      return;
    }
    try {
      apply_use(m.claims, c);
    } catch (const invalid_argument& e) {
      throw invalid_argument(where(*at.file, at.line) + e.what());
    }
  });
  return m;
}

}  // namespace streamalloc::claims
