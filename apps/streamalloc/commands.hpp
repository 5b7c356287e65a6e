// streamalloc CLI: the subcommands. Each takes the words after its name, writes its result on
// standard output and returns the exit status (0, also after --help); every failure is thrown
// (streamalloc::error, output_closed) and mapped to a status by main.
#pragma once

#include <span>
#include <string>

namespace streamalloc::cli {

int run_generate(std::span<const std::string> args);
int run_seedseq(std::span<const std::string> args);
// Exit 0 clean, 1 conflicts found, 2 bad input (thrown).
int run_audit(std::span<const std::string> args);
// Exit 0 found, 1 no claim of the record holds the stream, 2 bad input (thrown).
int run_stream(std::span<const std::string> args);

}  // namespace streamalloc::cli
