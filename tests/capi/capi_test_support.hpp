// Test support for the C API suites: status checks that print streamalloc_last_error(), owners
// that free C handles, and text-out helpers.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "streamalloc.h"

namespace streamalloc::capi::testing {

// EXPECT/ASSERT that a C call succeeded, printing its message otherwise.
#define SA_OK(call) ASSERT_EQ((call), STREAMALLOC_OK) << streamalloc_last_error()
#define SA_EXPECT_OK(call) EXPECT_EQ((call), STREAMALLOC_OK) << streamalloc_last_error()

// Frees a C handle on scope exit.
template <class H, streamalloc_status (*Free)(H*)>
struct deleter {
  void operator()(H* h) const noexcept { (void)Free(h); }
};
using seedseq_ptr =
    std::unique_ptr<streamalloc_seedseq, deleter<streamalloc_seedseq, streamalloc_seedseq_free>>;
using bitgen_ptr =
    std::unique_ptr<streamalloc_bitgen, deleter<streamalloc_bitgen, streamalloc_bitgen_free>>;
using set_ptr = std::unique_ptr<streamalloc_stream_set,
                                deleter<streamalloc_stream_set, streamalloc_stream_set_free>>;
using snapshot_ptr =
    std::unique_ptr<streamalloc_snapshot, deleter<streamalloc_snapshot, streamalloc_snapshot_free>>;
using campaign_ptr =
    std::unique_ptr<streamalloc_campaign, deleter<streamalloc_campaign, streamalloc_campaign_free>>;
using verdict_ptr =
    std::unique_ptr<streamalloc_verdict, deleter<streamalloc_verdict, streamalloc_verdict_free>>;

// A text-out function's result, asking for the length first; "" (and a test failure) on error.
template <class Handle, class Fn>
std::string text_of(Handle h, Fn fn) {
  std::int64_t length = -1;
  if (fn(h, nullptr, 0, &length) != STREAMALLOC_OK) {
    ADD_FAILURE() << streamalloc_last_error();
    return {};
  }
  std::string out(static_cast<std::size_t>(length) + 1, '\0');
  if (fn(h, out.data(), length + 1, &length) != STREAMALLOC_OK) {
    ADD_FAILURE() << streamalloc_last_error();
    return {};
  }
  out.resize(static_cast<std::size_t>(length));
  return out;
}

}  // namespace streamalloc::capi::testing
