// Test support: expect_error<E>(f, fragment), the error assertion shared by the suites.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <string>

namespace streamalloc::testing {

// Calls f() and expects it to throw E with `fragment` somewhere in its message: a test failure if
// it returns, throws another type, or the message lacks the fragment. Nothing escapes, so MPI
// suites may use it before a collective (a rank that left the test body early would hang the
// others).
template <class E, class F>
void expect_error(F&& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "expected an exception mentioning '" << fragment << "'";
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
  }
}

}  // namespace streamalloc::testing
