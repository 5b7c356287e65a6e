#include "checkpoint.hpp"


#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/json.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/atomic_file.hpp"

namespace streamalloc::mc {
namespace {


constexpr const char* format_key = "streamalloc_mc_checkpoint";

json tallies_to_json(const tallies& t) {
  return {{"histories", t.histories},
          {"transmitted", t.fates[static_cast<std::size_t>(fate::transmitted)]},
          {"reflected", t.fates[static_cast<std::size_t>(fate::reflected)]},
          {"absorbed", t.fates[static_cast<std::size_t>(fate::absorbed)]},
          {"collisions", t.collisions},
          {"collisions_squared", big_to_json(big_uint::from_uint128(t.collisions_squared))},
          {"track_fixed", big_to_json(big_uint::from_uint128(t.track_fixed))}};
}

tallies tallies_from_json(const json& j, const std::string& what) {
  const auto u64 = [&](const char* key) {
    return json_to_u64(json_field(j, key, what), what + " field '" + key + "'");
  };
  const auto u128 = [&](const char* key) {
    const big_uint v = json_to_big(json_field(j, key, what), what + " field '" + key + "'");
    if (v.bit_length() > 128) throw invalid_argument(what + " field '" + key + "' exceeds 128 bits");
    return v.low_u128();
  };
  tallies t;
  t.histories = u64("histories");
  t.fates[static_cast<std::size_t>(fate::transmitted)] = u64("transmitted");
  t.fates[static_cast<std::size_t>(fate::reflected)] = u64("reflected");
  t.fates[static_cast<std::size_t>(fate::absorbed)] = u64("absorbed");
  t.collisions = u64("collisions");
  t.collisions_squared = u128("collisions_squared");
  t.track_fixed = u128("track_fixed");
  return t;
}

void fail_io(const std::string& what, const std::filesystem::path& path) {
  throw io_error(what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

void write_checkpoint(const std::filesystem::path& path, const checkpoint& c) {
  const json doc = {{format_key, 2},
                    {"streams", claims::position_to_json(c.streams)},
                    {"base", c.base},
                    {"histories", c.histories},
                    {"completed", c.completed},
                    {"thickness", c.geometry.thickness},
                    {"scattering_ratio", c.geometry.scattering_ratio},
                    {"tallies", tallies_to_json(c.totals)}};
  // Synced, but not its directory: after a crash of the machine the previous checkpoint is as
  // good a restart point.
  write_file_atomically(path, dump_json(doc) + "\n", true, false);
}

bool is_checkpoint_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  return std::getline(in, line) && line.find(format_key) != std::string::npos;
}

checkpoint read_checkpoint(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) fail_io("cannot open checkpoint", path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string what = "checkpoint " + path.string();
  const json doc = parse_json(buffer.str(), what);
  const auto u64 = [&](const char* key) {
    return json_to_u64(json_field(doc, key, what), what + " field '" + key + "'");
  };
  const auto number = [&](const char* key) {
    const json& v = json_field(doc, key, what);
    if (!v.is_number()) throw invalid_argument(what + " field '" + key + "' is not a number");
    return v.get<double>();
  };
  const auto format = json_to_u64(json_field(doc, format_key, what), what);
  if (format != 1 && format != 2) {
    throw invalid_argument(what + ": unsupported checkpoint format " + std::to_string(format) +
                           " (this streamalloc-mc reads formats 1 and 2)");
  }
  claims::record_position streams;
  if (format == 2) {
    streams = claims::position_from_json(json_field(doc, "streams", what), what + " field 'streams'");
  } else {
    // Format 1 predates job regions: job 0 (and spawn) streams are the same in both layouts.
    streams.campaign = claims::campaign_from_json(json_field(doc, "campaign", what), what);
    streams.job = job_index(u64("job"));
    if (streams.job != job_index(0) && streams.campaign.how() != strategy::spawn) {
      throw invalid_argument(what + ": a format-1 checkpoint of job " +
                             std::to_string(streams.job.value()) +
                             " was written before jobs had regions of their own; its streams "
                             "are not this version's (run the job again)");
    }
  }
  checkpoint c{std::move(streams),
               u64("base"),
               u64("histories"),
               u64("completed"),
               slab{number("thickness"), number("scattering_ratio")},
               tallies_from_json(json_field(doc, "tallies", what), what + " tallies")};
  if (c.completed > c.histories || c.totals.histories != c.completed) {
    throw invalid_argument(what + ": completed " + std::to_string(c.completed) +
                           " disagrees with histories " + std::to_string(c.histories) +
                           " or the tallies' " + std::to_string(c.totals.histories));
  }
  return c;
}

}  // namespace streamalloc::mc
