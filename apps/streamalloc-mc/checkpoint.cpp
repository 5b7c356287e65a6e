#include "checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/json.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/claims/manifest.hpp"

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
  const json doc = {{format_key, 1},
                    {"campaign", claims::campaign_to_json(c.origin)},
                    {"job", c.job.value()},
                    {"base", c.base},
                    {"histories", c.histories},
                    {"completed", c.completed},
                    {"thickness", c.geometry.thickness},
                    {"scattering_ratio", c.geometry.scattering_ratio},
                    {"tallies", tallies_to_json(c.totals)}};
  const std::string text = dump_json(doc) + "\n";
  const std::filesystem::path temporary =
      path.string() + ".tmp." + std::to_string(static_cast<long>(::getpid()));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail_io("cannot create checkpoint", temporary);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      ::close(fd);
      fail_io("cannot write checkpoint", temporary);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) fail_io("cannot flush checkpoint", temporary);
  if (::rename(temporary.c_str(), path.c_str()) != 0) fail_io("cannot rename checkpoint to", path);
}

bool is_checkpoint_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  return std::getline(in, line) && line.find(format_key) != std::string::npos;
}

checkpoint read_checkpoint(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_io("cannot open checkpoint", path);
  const std::string what = "checkpoint " + path.string();
  // A checkpoint is well under a kilobyte (a seed of big_uint::max_digits digits makes it
  // 100 KB); a larger file is refused before it is read whole.
  constexpr std::size_t max_bytes = std::size_t{16} << 20;
  std::string text;
  char chunk[1 << 16];
  while (text.size() <= max_bytes && in.read(chunk, sizeof chunk).gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) fail_io("cannot read checkpoint", path);
  if (text.size() > max_bytes) {
    throw invalid_argument(what + ": larger than " + std::to_string(max_bytes) +
                           " bytes, not a streamalloc-mc checkpoint");
  }
  const json doc = parse_json(text, what);
  if (json_to_u64(json_field(doc, format_key, what), what) != 1) {
    throw invalid_argument(what + ": unsupported checkpoint format version");
  }
  const auto u64 = [&](const char* key) {
    return json_to_u64(json_field(doc, key, what), what + " field '" + key + "'");
  };
  const auto number = [&](const char* key) {
    const json& v = json_field(doc, key, what);
    if (!v.is_number()) throw invalid_argument(what + " field '" + key + "' is not a number");
    return v.get<double>();
  };
  checkpoint c{claims::campaign_from_json(json_field(doc, "campaign", what), what),
               job_index(u64("job")),
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
