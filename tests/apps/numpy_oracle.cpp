#include "numpy_oracle.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "cli_runner.hpp"
#include "streamalloc/json.hpp"

namespace streamalloc::testing {
namespace {

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

void compare(const cli_case& c, const std::string& expected) {
  run_options options;
  if (!c.stdin_path.empty()) {
    std::ifstream in(c.stdin_path);
    options.stdin_data.assign(std::istreambuf_iterator<char>(in), {});
  }
  const run_result r = run_cli(c.cli, options);
  const std::string command = describe_command(c.cli);
  EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.err;
  EXPECT_EQ(r.err, "") << command;
  if (r.out == expected) return;
  // Show the first line where they part, not megabytes of output (binary: the bytes from the
  // first difference on, up to the next newline byte or 64 bytes).
  std::size_t at = 0;
  while (at < r.out.size() && at < expected.size() && r.out[at] == expected[at]) ++at;
  const std::size_t line_start = at == 0 ? std::string::npos : expected.rfind('\n', at - 1);
  const std::size_t from = line_start == std::string::npos ? 0 : line_start + 1;
  auto line_at = [from](const std::string& text) {
    if (from >= text.size()) return std::string("<end of output>");
    const std::size_t end = text.find('\n', from);
    return text.substr(from, std::min<std::size_t>(
                                 end == std::string::npos ? text.size() - from : end - from, 64));
  };
  ADD_FAILURE() << command << "\ndiffers from NumPy at byte " << at << " (lengths " << r.out.size()
                << " vs " << expected.size() << ")\n  streamalloc: " << line_at(r.out)
                << "\n  numpy:       " << line_at(expected);
}

}  // namespace

// The build's choice, unless the environment variable STREAMALLOC_NUMPY_PYTHON names another
// (e.g. to check the skip with a Python lacking NumPy).
const std::string& numpy_python() {
  static const std::string path = [] {
    const char* chosen = std::getenv("STREAMALLOC_NUMPY_PYTHON");
    return std::string(chosen != nullptr && *chosen != '\0' ? chosen : STREAMALLOC_NUMPY_PYTHON);
  }();
  return path;
}

const std::string& numpy_unavailable() {
  static const std::string reason = [] {
    run_result r;
    try {
      r = run_program(numpy_python(), {"-c", "import numpy"});
    } catch (const std::exception& e) {
      return numpy_python() + " cannot be run (" + e.what() + ")";
    }
    if (r.exit_code == 0) return std::string();
    std::string why = r.err.empty() ? "exit status " + std::to_string(r.exit_code) : r.err;
    while (!why.empty() && why.back() == '\n') why.pop_back();
    const auto last_line = why.rfind('\n');
    if (last_line != std::string::npos) why = why.substr(last_line + 1);
    return numpy_python() + " cannot import numpy (" + why + ")";
  }();
  return reason;
}

oracle_batch::~oracle_batch() {
  std::error_code ignored;
  for (const auto& path : temp_files_) std::filesystem::remove(path, ignored);
}

std::string oracle_batch::write_state(const std::string& file, const args& generate_args) {
  const std::string path = temp_path(file);
  args step = {"write-state", path};
  step.insert(step.end(), generate_args.begin(), generate_args.end());
  steps_.push_back({static_cast<std::size_t>(cases_.size()), step});
  return path;
}

std::string oracle_batch::temp_path(const std::string& file) {
  temp_files_.push_back(::testing::TempDir() + "streamalloc_oracle_" + name_ + "_" +
                        std::to_string(::getpid()) + "_" + file);
  return temp_files_.back();
}

void oracle_batch::run_and_compare() {
  // Steps are placed before the case that followed them when they were added.
  std::vector<args> lines;
  std::vector<std::ptrdiff_t> case_of_line;
  std::size_t next_step = 0;
  for (std::size_t i = 0; i <= cases_.size(); ++i) {
    while (next_step < steps_.size() && steps_[next_step].before_case == i) {
      lines.push_back(steps_[next_step++].command);
      case_of_line.push_back(-1);
    }
    if (i < cases_.size()) {
      lines.push_back(cases_[i].oracle);
      case_of_line.push_back(static_cast<std::ptrdiff_t>(i));
    }
  }
  const std::string batch_path = temp_path("batch.jsonl");
  {
    std::ofstream batch(batch_path);
    for (const auto& line : lines) batch << dump_json(json(line)) << '\n';
  }
  const run_result oracle =
      run_program(numpy_python(), {STREAMALLOC_CLI_ORACLE, "batch", batch_path});
  ASSERT_EQ(oracle.exit_code, 0) << "numpy_cli_oracle.py failed:\n" << oracle.err;
  std::istringstream results(oracle.out);
  std::string result_line;
  std::size_t compared = 0;
  for (std::size_t line = 0; line < lines.size(); ++line) {
    ASSERT_TRUE(std::getline(results, result_line)) << "oracle printed too few results";
    if (case_of_line[line] < 0) continue;
    const cli_case& c = cases_[static_cast<std::size_t>(case_of_line[line])];
    const auto result = parse_json(result_line, "oracle result");
    const std::string expected = from_hex(result.at("stdout_hex").get<std::string>());
    compare(c, expected);
    ++compared;
  }
  EXPECT_EQ(compared, cases_.size());
  EXPECT_GT(compared, 0U);
}

args with(args base, const args& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

}  // namespace streamalloc::testing
