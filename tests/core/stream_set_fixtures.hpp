// Helpers shared by the stream_set tests (stream_set_test.cpp, stream_set_snapshot_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace streamalloc::testing {

// Calls f() and expects it to throw E with `fragment` somewhere in its message: a test failure if
// it returns, or if the message lacks the fragment. An exception of another type propagates (and
// fails the test as an unexpected exception).
template <class E, class F>
void expect_error(F&& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "expected an exception mentioning '" << fragment << "'";
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

}  // namespace streamalloc::testing
