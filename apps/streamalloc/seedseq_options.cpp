#include "seedseq_options.hpp"

#include <iostream>

#include "command_line.hpp"
#include "option_values.hpp"

namespace streamalloc::cli {
namespace {

constexpr const char* usage_text =
    "Usage: streamalloc seedseq [options]\n"
    "\n"
    "Prints numpy.random.SeedSequence(S, spawn_key=K, pool_size=P) as one JSON object:\n"
    "  {\"entropy\", \"spawn_key\", \"pool_size\", \"n_children_spawned\", \"pool\",\n"
    "   \"state\": generate_state(words, dtype), \"children\": [{\"spawn_key\"}, ...]}\n"
    "(\"children\" only with --spawn N > 0; n_children_spawned counts them). Without --seed the\n"
    "entropy comes from the operating system and is shown in \"entropy\".\n";

}  // namespace

std::optional<seedseq_options> parse_seedseq_options(std::span<const std::string> args) {
  po::options_description options("Options");
  options.add_options()("help,h", "show this help and exit");
  add_seed_options(options);
  options.add_options()("words", po::value<std::string>()->default_value("4")->value_name("N"),
                        "number of words generate_state returns")(
      "dtype", po::value<std::string>()->default_value("u32")->value_name("T"),
      "word type of generate_state: u32 (np.uint32) or u64 (np.uint64)")(
      "spawn", po::value<std::string>()->default_value("0")->value_name("N"),
      "spawn N children and list their spawn keys");

  const po::variables_map vm = parse_command_line(args, options, "seedseq");
  if (vm.count("help") != 0) {
    std::cout << usage_text << '\n' << options << '\n';
    return std::nullopt;
  }
  seedseq_options out;
  out.seed = read_seed_options(vm);
  out.words =
      static_cast<std::size_t>(parse_count(option_text(vm, "words"), "--words", max_state_words));
  out.words64 = parse_choice(option_text(vm, "dtype"), "--dtype", {"u32", "u64"}) == 1;
  out.spawn = static_cast<std::size_t>(parse_count(option_text(vm, "spawn"), "--spawn", max_spawn));
  return out;
}

}  // namespace streamalloc::cli
