#include "cli_expectations.hpp"

#include <gtest/gtest.h>

namespace streamalloc::testing {

void expect_usage_error(const std::vector<std::string>& command,
                        const std::vector<std::string>& mentioned, const run_options& options) {
  SCOPED_TRACE(describe_command(command));
  const run_result r = run_cli(command, options);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.out, "");
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.rfind("streamalloc: error: ", 0), 0U) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "expected exactly one line:\n" << r.err;
  for (const auto& text : mentioned) {
    EXPECT_NE(r.err.find(text), std::string::npos) << "the message should mention " << text << ":\n"
                                                   << r.err;
  }
}

}  // namespace streamalloc::testing
