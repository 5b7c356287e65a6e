#include "command_line.hpp"

#include <vector>

#include "streamalloc/error.hpp"

namespace streamalloc::cli {

po::variables_map parse_command_line(std::span<const std::string> args,
                                     const po::options_description& options,
                                     std::string_view command) {
  // Positional words are collected under a hidden name so the error can quote them: Boost's own
  // "too many positional options" does not say which word was unexpected.
  po::options_description all;
  all.add(options);
  all.add_options()("streamalloc-positional", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("streamalloc-positional", -1);

  const std::string help_hint = " (see 'streamalloc " + std::string(command) + " --help')";
  po::variables_map vm;
  try {
    const std::vector<std::string> words(args.begin(), args.end());
    po::store(
        po::command_line_parser(words)
            .options(all)
            .positional(positional)
            .style(po::command_line_style::unix_style & ~po::command_line_style::allow_guessing)
            .run(),
        vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw invalid_argument(e.what() + help_hint);
  }
  if (vm.count("streamalloc-positional") != 0) {
    const auto& extra = vm["streamalloc-positional"].as<std::vector<std::string>>();
    throw invalid_argument("unexpected argument '" + extra.front() + "': " + std::string(command) +
                           " takes only options" + help_hint);
  }
  return vm;
}

const std::string& option_text(const po::variables_map& vm, const char* name) {
  return vm[name].as<std::string>();
}

bool given(const po::variables_map& vm, const char* name) {
  return vm.count(name) != 0 && !vm[name].defaulted();
}

}  // namespace streamalloc::cli
