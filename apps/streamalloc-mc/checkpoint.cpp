#include "checkpoint.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/claims/sealed_line.hpp"
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
    if (v.bit_length() > 128)
      throw invalid_argument(what + " field '" + key + "' exceeds 128 bits");
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

// The seal's domain for checkpoints ("mc-ckpt"), so that a sealed manifest line is not a
// checkpoint.
constexpr std::uint64_t seal_domain = 0x74706b632d636dULL;
constexpr std::uint64_t format = 3;
// A checkpoint is a few hundred bytes plus a line count per rank of the run.
constexpr std::size_t max_checkpoint_bytes = std::size_t{16} << 20;

// What a checkpoint must satisfy beyond its checksum: counts that add up, streams that fit
// their index space (base + histories must not wrap), a physical geometry.
void check_invariants(const checkpoint& c, const std::string& what) {
  const auto fail = [&](const std::string& why) { throw invalid_argument(what + ": " + why); };
  if (c.histories == 0) fail("histories is 0, expected at least 1");
  if (c.completed > c.histories) {
    fail("completed " + std::to_string(c.completed) + " exceeds histories " +
         std::to_string(c.histories));
  }
  const auto& t = c.totals;
  const uint128 fates = uint128{t.fates[0]} + t.fates[1] + t.fates[2];
  if (t.histories != c.completed || fates != t.histories) {
    fail("the tallies count " + std::to_string(t.histories) + " histories with fates " +
         std::to_string(t.fates[0]) + " + " + std::to_string(t.fates[1]) + " + " +
         std::to_string(t.fates[2]) + ", expected completed = " + std::to_string(c.completed) +
         " = their sum");
  }
  if (t.collisions_squared < t.collisions ||
      t.collisions_squared > uint128{t.collisions} * t.collisions) {
    fail("collisions_squared is not between collisions and collisions^2");
  }
  const std::uint64_t limit =
      c.streams.campaign.how() == strategy::jumped ? jump_indices_per_job : UINT64_MAX;
  if (c.base > limit || c.histories > limit - c.base) {
    fail("base " + std::to_string(c.base) + " + histories " + std::to_string(c.histories) +
         " passes the job's " +
         (limit == UINT64_MAX ? std::string("2^64 stream IDs") : std::string("2^40 jump indices")) +
         " (the streams would wrap around)");
  }
  if (!(c.geometry.thickness > 0.0) || !std::isfinite(c.geometry.thickness) ||
      !(c.geometry.scattering_ratio >= 0.0 && c.geometry.scattering_ratio < 1.0)) {
    fail("thickness must be positive and finite, scattering_ratio in [0, 1)");
  }
}

}  // namespace

void write_checkpoint(const std::filesystem::path& path, const checkpoint& c) {
  check_invariants(c, "checkpoint " + path.string());
  const json doc = {{format_key, format},
                    {"streams", claims::position_to_json(c.streams)},
                    {"base", c.base},
                    {"histories", c.histories},
                    {"completed", c.completed},
                    {"thickness", c.geometry.thickness},
                    {"scattering_ratio", c.geometry.scattering_ratio},
                    {"tallies", tallies_to_json(c.totals)}};
  // Sealed with its CRC-32C (claims/sealed_line.hpp). Synced, but not its directory: after a
  // crash of the machine the previous checkpoint is as good a restart point.
  write_file_atomically(path, claims::seal_line(dump_json(doc), seal_domain, 1) + "\n", true,
                        false);
}

bool is_checkpoint_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string head(64, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find(format_key) != std::string::npos;
}

checkpoint read_checkpoint(const std::filesystem::path& path) {
  const std::string what = "checkpoint " + path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_io("cannot open checkpoint", path);
  // A checkpoint is well under a kilobyte (a seed of big_uint::max_digits digits makes it
  // 100 KB); a larger file is refused before it is read whole.
  std::string text;
  char chunk[1 << 16];
  while (text.size() <= max_checkpoint_bytes && in.read(chunk, sizeof chunk).gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) fail_io("cannot read checkpoint", path);
  if (text.size() > max_checkpoint_bytes) {
    throw invalid_argument(what + ": larger than " + std::to_string(max_checkpoint_bytes) +
                           " bytes, not a streamalloc-mc checkpoint");
  }
  if (text.empty() || text.back() != '\n') {
    throw invalid_argument(what + ": truncated at byte " + std::to_string(text.size()) +
                           " (a checkpoint is one line ending in a newline)");
  }
  text.pop_back();
  if (text.find('\n') != std::string::npos) {
    throw invalid_argument(what + ": line 2 (byte " + std::to_string(text.find('\n') + 1) +
                           "): a checkpoint is one line");
  }
  // Format 3 is sealed; formats 1 and 2 (written before seals) are read and checked for
  // consistency only.
  const bool sealed = claims::looks_sealed(text);
  try {
    if (sealed) text = claims::unseal_line(text, seal_domain, 1);
  } catch (const invalid_argument& e) {
    throw invalid_argument(what + ":1: " + e.what());
  }
  const json doc = parse_json(text, what);
  const auto u64 = [&](const char* key) {
    return json_to_u64(json_field(doc, key, what), what + " field '" + key + "'");
  };
  const auto number = [&](const char* key) {
    const json& v = json_field(doc, key, what);
    if (!v.is_number()) throw invalid_argument(what + " field '" + key + "' is not a number");
    return v.get<double>();
  };
  const auto version = json_to_u64(json_field(doc, format_key, what), what);
  if (version < 1 || version > format || (version == format) != sealed) {
    throw invalid_argument(what + ": unsupported checkpoint format " + std::to_string(version) +
                           (sealed ? " with" : " without") +
                           " a checksum (this streamalloc-mc reads formats 1 and 2, and 3 "
                           "sealed)");
  }
  claims::record_position streams;
  if (version >= 2) {
    streams =
        claims::position_from_json(json_field(doc, "streams", what), what + " field 'streams'");
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
  check_invariants(c, what);
  return c;
}

}  // namespace streamalloc::mc
