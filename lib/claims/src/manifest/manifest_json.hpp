// Private: the JSON of manifest headers, footers, shard lists and lineage (manifest.hpp), shared
// by the manifest reader, the writers and the record's shards.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "streamalloc/claims/manifest_reader.hpp"
#include "streamalloc/claims/record_position.hpp"
#include "streamalloc/json.hpp"

namespace streamalloc::claims::detail {

// "<file>:<line>: ".
std::string where(const std::filesystem::path& file, std::uint64_t line);

// Throws invalid_argument naming `what` if `object` has a field not in `known`.
void reject_unknown_fields(const json& object, std::span<const char* const> known,
                           const std::string& what);

// "seed S, strategy X, pool size N".
std::string describe_campaign(const campaign& c);

// The header line's object (format 3 fields when format >= 3).
json header_json(std::uint64_t format, const campaign& origin, job_index job, std::uint32_t ranks,
                 const std::string& run, const std::optional<record_lineage>& resumed_from);

// Parses a header line's object (already unsealed for format 3) into `out` (format, version,
// campaign, job, ranks, run, resumed_from). Throws invalid_argument without a location.
void parse_header(const json& h, manifest_header& out);

// The lineage object {"run", "commit", "shard_lines", "manifest"} and back.
json lineage_json(const record_lineage& l);
record_lineage lineage_from_json(const json& value, const std::string& what);

// The format number of a header line's text, without checking anything else (0 if the line is
// not a manifest header at all).
std::uint64_t sniff_format(const std::string& line);

// A run ID: 16 lower-case hex digits.
void check_run_id(const std::string& run, const std::string& what);

}  // namespace streamalloc::claims::detail
