// CLI test support: the live NumPy oracle (numpy_cli_oracle.py) and byte-for-byte comparison of
// the streamalloc program's output with it.
//
// The oracle runs under STREAMALLOC_NUMPY_PYTHON (Debian's /usr/bin/python3 with NumPy 1.24;
// the environment variable of the same name overrides the build's choice). Tests that need it
// start with SKIP_WITHOUT_NUMPY(), which skips them visibly when that Python cannot import numpy.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace streamalloc::testing {

using args = std::vector<std::string>;

// The interpreter that runs the oracle.
const std::string& numpy_python();

// Why NumPy cannot be used, or "" when it can.
const std::string& numpy_unavailable();

#define SKIP_WITHOUT_NUMPY()                                                                       \
  do {                                                                                             \
    if (!::streamalloc::testing::numpy_unavailable().empty()) {                                    \
      GTEST_SKIP() << "NumPy cross-check skipped: " << ::streamalloc::testing::numpy_unavailable() \
                   << "; install python3-numpy to compare the CLI with numpy.random";              \
    }                                                                                              \
  } while (false)

// One comparison: the CLI run with `cli` (stdin fed from `stdin_path` if set) must print what
// the oracle prints for `oracle`.
struct cli_case {
  args oracle;
  args cli;
  std::string stdin_path;
};

// A batch of oracle invocations run by one Python process; cases run in order, so write-state
// steps (which print nothing) can create files that later cases read.
class oracle_batch {
 public:
  explicit oracle_batch(std::string name) : name_(std::move(name)) {}
  oracle_batch(const oracle_batch&) = delete;
  oracle_batch& operator=(const oracle_batch&) = delete;
  ~oracle_batch();

  // A case whose CLI command line is the oracle's.
  void add(const args& command) { cases_.push_back({command, command, ""}); }
  void add(cli_case c) { cases_.push_back(std::move(c)); }
  // NumPy writes json.dump(bitgen.state) for `generate_args` (after drawing their values) to a
  // temporary file, whose path is returned.
  std::string write_state(const std::string& file, const args& generate_args);

  // A fresh path in the test's temporary directory, removed with the batch.
  std::string temp_path(const std::string& file);

  std::size_t size() const noexcept { return cases_.size(); }

  // Runs the oracle once for the whole batch, then every CLI case, and reports each case whose
  // output (or exit status, or standard error) differs.
  void run_and_compare();

 private:
  struct oracle_step {
    std::size_t before_case;
    args command;
  };

  std::string name_;
  std::vector<cli_case> cases_;
  std::vector<oracle_step> steps_;
  std::vector<std::string> temp_files_;
};

// `base` followed by `more`.
args with(args base, const args& more);

}  // namespace streamalloc::testing
