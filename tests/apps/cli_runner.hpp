// CLI test support: runs the streamalloc program as a child process and captures its output.
//
// The child starts as a shell would start it (SIGPIPE at its default action), so the tests see
// how the program itself handles a reader that goes away.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace streamalloc::testing {

struct run_result {
  int exit_code = -1;  // -1 when the child died of a signal
  int signal = 0;      // the signal that ended it, or 0
  std::string out;     // standard output (up to run_options::stdout_limit bytes)
  std::string err;     // standard error
};

struct run_options {
  std::string stdin_data;  // written to the child's standard input, which is then closed
  // After this many bytes of standard output, stop reading and close the pipe (as `| head -c`
  // does); the child sees EPIPE on its next write.
  std::size_t stdout_limit = std::numeric_limits<std::size_t>::max();
};

// Runs `program` (a path, or a name looked up in PATH) with `args` (argv[1...]) and waits for
// it to finish. Throws std::runtime_error if it cannot be started.
run_result run_program(const std::string& program, const std::vector<std::string>& args,
                       const run_options& options = {});

// Runs the streamalloc binary under test (its path comes from the build).
run_result run_cli(const std::vector<std::string>& args, const run_options& options = {});

// "streamalloc generate --seed 5": a command line for failure messages.
std::string describe_command(const std::vector<std::string>& args);

}  // namespace streamalloc::testing
