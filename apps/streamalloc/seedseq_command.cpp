// `streamalloc seedseq`: a SeedSequence, its pool, generated words and spawned children as JSON.
#include <unistd.h>

#include "commands.hpp"
#include "output_sink.hpp"
#include "seedseq_options.hpp"
#include "streamalloc/json.hpp"

namespace streamalloc::cli {
namespace {

json spawn_key_json(const std::vector<big_uint>& key) {
  json out = json::array();
  for (const auto& entry : key) out.push_back(big_to_json(entry));
  return out;
}

}  // namespace

int run_seedseq(std::span<const std::string> args) {
  const auto options = parse_seedseq_options(args);
  if (!options) return 0;
  seed_sequence seq = make_seed_sequence(options->seed);
  const std::vector<seed_sequence> children = seq.spawn(options->spawn);

  // The library's own rendering of SeedSequence.state (entropy exactly as given, big integers
  // intact) opens the object; the derived fields follow.
  json document = parse_json(seq.state_json(), "SeedSequence state");
  document["pool"] = seq.pool();
  if (options->words64) {
    document["state"] = seq.generate_state64(options->words);
  } else {
    document["state"] = seq.generate_state32(options->words);
  }
  if (!children.empty()) {
    json listed = json::array();
    for (const auto& child : children) {
      listed.push_back(json{{"spawn_key", spawn_key_json(child.spawn_key())}});
    }
    document["children"] = std::move(listed);
  }

  output_sink sink(STDOUT_FILENO);
  sink.write(dump_json(document) + "\n");
  sink.flush();
  return 0;
}

}  // namespace streamalloc::cli
