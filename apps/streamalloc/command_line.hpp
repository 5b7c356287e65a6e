// streamalloc CLI: what every subcommand's option parsing shares.
//
// Boost.Program_options does the tokenising; this file fixes the style all subcommands use (no
// abbreviated option names, since the names are a public contract and a prefix that is unique
// today may not be tomorrow), rejects stray positional arguments by name, and turns Boost's
// errors into streamalloc::invalid_argument with a pointer to the subcommand's --help.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <boost/program_options.hpp>

namespace streamalloc::cli {

namespace po = boost::program_options;

// Parses `args` (the words after the subcommand) against `options`. `command` ("generate")
// names the subcommand in error messages. Throws invalid_argument for unknown options, missing
// or repeated values and positional arguments.
po::variables_map parse_command_line(std::span<const std::string> args,
                                     const po::options_description& options,
                                     std::string_view command);

// The value of a string option that has a value (given or defaulted).
const std::string& option_text(const po::variables_map& vm, const char* name);
// Whether the user wrote the option (a defaulted value does not count).
bool given(const po::variables_map& vm, const char* name);

}  // namespace streamalloc::cli
