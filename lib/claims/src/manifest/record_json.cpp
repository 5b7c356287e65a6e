// The JSON of campaigns and record positions (record_json.hpp).
#include "streamalloc/claims/record_json.hpp"

#include <array>

#include "src/manifest/manifest_json.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {

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
  detail::reject_unknown_fields(value, known, w);
  const json& root = json_field(value, "root", w);
  seed_entropy entropy;
  if (root.is_array()) {
    std::vector<big_uint> values;
    for (std::size_t i = 0; i < root.size(); ++i) {
      values.push_back(json_to_big(root[i], w + " field 'root' entry " + std::to_string(i)));
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
  const auto pool = json_to_u64(json_field(value, "pool_size", w), w + " field 'pool_size'",
                                seed_sequence::max_pool_size);
  if (pool < seed_sequence::default_pool_size) {
    throw invalid_argument(w + " field 'pool_size': got " + std::to_string(pool) +
                           ", expected an integer in [4, " +
                           std::to_string(seed_sequence::max_pool_size) + "]");
  }
  return campaign(std::move(entropy),
                  parse_strategy(how.get<std::string>(), w + " field 'strategy'"),
                  static_cast<std::size_t>(pool), jobs);
}

json position_to_json(const record_position& p) {
  json lines = json::array();
  for (const auto n : p.shard_lines) lines.push_back(n);
  json out{{"campaign", campaign_to_json(p.campaign)},
           {"job", p.job.value()},
           {"manifest", p.manifest},
           {"run", p.run},
           {"commit", p.commit},
           {"shard_lines", lines}};
  if (p.resumed_from) out["resumed_from"] = detail::lineage_json(*p.resumed_from);
  return out;
}

record_position position_from_json(const json& value, std::string_view what) {
  const std::string w(what);
  if (!value.is_object()) {
    throw invalid_argument(w + ": got " + describe_json(value) + ", expected a record position");
  }
  static constexpr std::array known = {"campaign", "job",         "manifest",    "run",
                                       "commit",   "shard_lines", "resumed_from"};
  detail::reject_unknown_fields(value, known, w);
  record_position p{campaign_from_json(json_field(value, "campaign", w), w + " field 'campaign'"),
                    job_index(json_to_u64(json_field(value, "job", w), w + " field 'job'")),
                    {},
                    {},
                    0,
                    {},
                    std::nullopt};
  const json& manifest = json_field(value, "manifest", w);
  const json& run = json_field(value, "run", w);
  if (!manifest.is_string() || !run.is_string()) {
    throw invalid_argument(w + ": fields 'manifest' and 'run' must be strings");
  }
  p.manifest = manifest.get<std::string>();
  p.run = run.get<std::string>();
  if (!p.run.empty()) detail::check_run_id(p.run, w + " field 'run'");
  p.commit = json_to_u64(json_field(value, "commit", w), w + " field 'commit'");
  const json& lines = json_field(value, "shard_lines", w);
  if (!lines.is_array()) {
    throw invalid_argument(w + " field 'shard_lines': got " + describe_json(lines) +
                           ", expected a list");
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    p.shard_lines.push_back(
        json_to_u64(lines[i], w + " field 'shard_lines' entry " + std::to_string(i)));
  }
  if (p.run.empty() != p.shard_lines.empty()) {
    throw invalid_argument(w + ": a position names both a run and its shards' lines, or neither");
  }
  if (value.contains("resumed_from")) {
    p.resumed_from = detail::lineage_from_json(value["resumed_from"], w + " field 'resumed_from'");
  }
  return p;
}

}  // namespace streamalloc::claims
