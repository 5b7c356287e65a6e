// streamalloc/claims/record_json.hpp — claims and campaigns as JSON documents.
//
// The JSON forms that manifests are made of, for code that reads or writes such records itself
// (the manifest reader and writer use them). Opt-in, like streamalloc/json.hpp which it
// includes: link streamalloc::json (nlohmann-json's headers) to use it. Serial; pure functions.
#pragma once

#include <string_view>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/record_position.hpp"
#include "streamalloc/json.hpp"

namespace streamalloc::claims {

// A claim as one JSON object (a manifest line) with fields in this order:
//   {"kind": "philox_id", "first": 0, "count": 1, "job": 0, "owner": 2,
//    "prefix": [..], "sequence": S, "position": P, "position_high": H, "task": [..],
//    "task_lockstep": true, "budget": B, "used": U}
// kind, first, count, job and owner are always present; prefix only for spawn_path (omitted
// when empty); sequence and position exactly for the position kinds; position_high when
// non-zero; task when set (an empty task is []); task_lockstep only when true; budget unless
// unlimited; used unless 0.
// 128-bit values are exact JSON integers. claim_from_json() accepts exactly this form, rejects
// unknown fields, and throws invalid_argument naming `what`, the field, the value found and
// what was expected; the claim it returns has passed validate().
json to_json(const claim& c);
claim claim_from_json(const json& value, std::string_view what);

// JSON of a campaign as the manifest header holds it, and back (invalid_argument naming
// `what` on bad content). The job layout is not part of the JSON (a manifest's format implies
// it): campaign_from_json gives the campaign the layout the caller names.
json campaign_to_json(const streamalloc::campaign& c);
streamalloc::campaign campaign_from_json(const json& value, std::string_view what,
                                         job_layout jobs = job_layout::separated);

// A record position (record_position.hpp) as JSON — what a program stores in its own
// checkpoint so that a restart from it records where it came from — and back:
//   {"campaign": {...}, "job": J, "manifest": "run.jsonl", "run": "3f0c...", "commit": 4,
//    "shard_lines": [12, 12], "resumed_from": {...}}
// position_from_json throws invalid_argument naming `what` on bad content.
json position_to_json(const record_position& p);
record_position position_from_json(const json& value, std::string_view what);

}  // namespace streamalloc::claims
