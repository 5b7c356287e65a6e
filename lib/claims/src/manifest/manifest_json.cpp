#include "src/manifest/manifest_json.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/error.hpp"

// The build defines the version (the project() call is the one source); this fallback only
// keeps out-of-tree builds of this file working.
#ifndef STREAMALLOC_VERSION
#define STREAMALLOC_VERSION "unknown"
#endif

namespace streamalloc::claims::detail {

std::string where(const std::filesystem::path& file, std::uint64_t line) {
  return file.string() + ":" + std::to_string(line) + ": ";
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
  return "seed " + cut_for_message(c.root().to_string()) + ", strategy " +
         std::string(to_string(c.how())) + ", pool size " + std::to_string(c.pool_size());
}

void check_run_id(const std::string& run, const std::string& what) {
  const bool ok = run.size() == 16 && std::all_of(run.begin(), run.end(), [](char c) {
                    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                  });
  if (!ok) {
    throw invalid_argument(what + ": got \"" + run + "\", expected a run ID of 16 hex digits");
  }
}

json lineage_json(const record_lineage& l) {
  json lines = json::array();
  for (const auto n : l.shard_lines) lines.push_back(n);
  json out{{"run", l.run}, {"commit", l.commit}, {"shard_lines", lines}, {"manifest", l.manifest}};
  if (!l.checkpoint.empty()) out["checkpoint"] = l.checkpoint;
  return out;
}

record_lineage lineage_from_json(const json& value, const std::string& what) {
  if (!value.is_object()) {
    throw invalid_argument(what + ": got " + describe_json(value) +
                           ", expected {\"run\": ..., \"commit\": ..., \"shard_lines\": [...], "
                           "\"manifest\": ...}");
  }
  static constexpr std::array known = {"run", "commit", "shard_lines", "manifest", "checkpoint"};
  record_lineage out;
  reject_unknown_fields(value, known, what);
  if (value.contains("checkpoint")) {
    const json& checkpoint = value["checkpoint"];
    if (!checkpoint.is_string()) {
      throw invalid_argument(what + " field 'checkpoint': got " + describe_json(checkpoint) +
                             ", expected a string");
    }
    out.checkpoint = checkpoint.get<std::string>();
  }
  const json& run = json_field(value, "run", what);
  const json& manifest = json_field(value, "manifest", what);
  if (!run.is_string() || !manifest.is_string()) {
    throw invalid_argument(what + ": fields 'run' and 'manifest' must be strings");
  }
  out.run = run.get<std::string>();
  check_run_id(out.run, what + " field 'run'");
  out.manifest = manifest.get<std::string>();
  out.commit = json_to_u64(json_field(value, "commit", what), what + " field 'commit'");
  const json& lines = json_field(value, "shard_lines", what);
  if (!lines.is_array() || lines.empty()) {
    throw invalid_argument(what + " field 'shard_lines': got " + describe_json(lines) +
                           ", expected a non-empty list of line counts");
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out.shard_lines.push_back(
        json_to_u64(lines[i], what + " field 'shard_lines' entry " + std::to_string(i)));
  }
  return out;
}

json header_json(std::uint64_t format, const campaign& origin, job_index job, std::uint32_t ranks,
                 const std::string& run, const std::optional<record_lineage>& resumed_from) {
  json h{{"streamalloc_manifest", format},
         {"version", STREAMALLOC_VERSION},
         {"campaign", campaign_to_json(origin)},
         {"job", job.value()},
         {"ranks", ranks}};
  if (format >= 3) {
    h["run"] = run;
    if (resumed_from) h["resumed_from"] = lineage_json(*resumed_from);
  }
  return h;
}

std::uint64_t sniff_format(const std::string& line) {
  try {
    const json h = parse_json(line, "manifest header");
    if (!h.is_object() || !h.contains("streamalloc_manifest")) return 0;
    const json& f = h["streamalloc_manifest"];
    return f.is_number_unsigned() ? f.get<std::uint64_t>() : 0;
  } catch (const invalid_argument&) {
    return 0;
  }
}

void parse_header(const json& h, manifest_header& out) {
  static constexpr const char* example =
      "{\"streamalloc_manifest\": 3, \"version\": ..., \"campaign\": {...}, \"job\": J, "
      "\"ranks\": N, \"run\": ...}";
  if (!h.is_object() || !h.contains("streamalloc_manifest")) {
    throw invalid_argument(std::string("not a streamalloc manifest: expected the header ") +
                           example + ", got " + describe_json(h));
  }
  const auto format = json_to_u64(h["streamalloc_manifest"], "manifest format");
  if (format < shared_layout_manifest_format || format > manifest_format) {
    throw invalid_argument("unsupported manifest format " + std::to_string(format) +
                           " (this streamalloc reads formats 1 to " +
                           std::to_string(manifest_format) + ")");
  }
  static constexpr std::array known_old = {"streamalloc_manifest", "version", "campaign", "job",
                                           "ranks"};
  static constexpr std::array known_new = {
      "streamalloc_manifest", "version", "campaign", "job", "ranks", "run", "resumed_from"};
  if (format >= 3) {
    reject_unknown_fields(h, known_new, "manifest header");
  } else {
    reject_unknown_fields(h, known_old, "manifest header");
  }
  out.format = format;
  const json& version = json_field(h, "version", "manifest header");
  if (!version.is_string()) {
    throw invalid_argument("manifest header field 'version': got " + describe_json(version) +
                           ", expected a string");
  }
  out.version = version.get<std::string>();
  // Format 1 predates job regions: its IDs and indices share one space across jobs.
  const job_layout layout =
      format == shared_layout_manifest_format ? job_layout::shared : job_layout::separated;
  out.campaign = campaign_from_json(json_field(h, "campaign", "manifest header"),
                                    "manifest header field 'campaign'", layout);
  out.job = job_index(
      json_to_u64(json_field(h, "job", "manifest header"), "manifest header field 'job'"));
  const auto ranks =
      json_to_u64(json_field(h, "ranks", "manifest header"), "manifest header field 'ranks'",
                  std::numeric_limits<std::uint32_t>::max());
  if (ranks == 0) throw invalid_argument("manifest header field 'ranks': got 0, expected >= 1");
  out.ranks = static_cast<std::uint32_t>(ranks);
  if (format >= 3) {
    const json& run = json_field(h, "run", "manifest header");
    if (!run.is_string()) {
      throw invalid_argument("manifest header field 'run': got " + describe_json(run) +
                             ", expected a string");
    }
    out.run = run.get<std::string>();
    check_run_id(out.run, "manifest header field 'run'");
    if (h.contains("resumed_from")) {
      out.resumed_from =
          lineage_from_json(h["resumed_from"], "manifest header field 'resumed_from'");
    }
  }
}

}  // namespace streamalloc::claims::detail
