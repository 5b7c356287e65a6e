// CLI test support: the program's error contract, checked one way by every suite.
#pragma once

#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace streamalloc::testing {

// Runs `command` and expects a usage error: exit status 2, no signal, nothing on standard
// output, and exactly one line "streamalloc: error: ..." on standard error that mentions every
// string in `mentioned`.
void expect_usage_error(const std::vector<std::string>& command,
                        const std::vector<std::string>& mentioned, const run_options& options = {});

inline void expect_usage_error(const std::vector<std::string>& command,
                               const std::string& mentioned, const run_options& options = {}) {
  expect_usage_error(command, std::vector<std::string>{mentioned}, options);
}

}  // namespace streamalloc::testing
