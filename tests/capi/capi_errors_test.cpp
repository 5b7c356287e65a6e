// The C API's error contract (streamalloc.h, "Conventions"): every misuse is a status code and a
// thread-local message, never a crash and never an exception across the boundary.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "capi_test_support.hpp"
#include "streamalloc.h"

namespace streamalloc::capi::testing {
namespace {

bool message_has(const char* needle) {
  return std::string(streamalloc_last_error()).find(needle) != std::string::npos;
}

#define EXPECT_FAILS(call, status, needle)                                       \
  do {                                                                           \
    EXPECT_EQ((call), (status)) << streamalloc_last_error();                     \
    EXPECT_TRUE(message_has(needle)) << "message: " << streamalloc_last_error(); \
  } while (false)

seedseq_ptr seedseq(const char* entropy = "12345") {
  streamalloc_seedseq* s = nullptr;
  EXPECT_EQ(streamalloc_seedseq_create(entropy, nullptr, 0, 0, &s), STREAMALLOC_OK);
  return seedseq_ptr(s);
}

bitgen_ptr bitgen(int kind = STREAMALLOC_PCG64) {
  seedseq_ptr s = seedseq();
  streamalloc_bitgen* g = nullptr;
  EXPECT_EQ(streamalloc_bitgen_create(kind, s.get(), &g), STREAMALLOC_OK);
  return bitgen_ptr(g);
}

TEST(CapiErrors, NullHandle) {
  std::uint64_t word = 0;
  EXPECT_FAILS(streamalloc_bitgen_next64(nullptr, &word), STREAMALLOC_ERR_INVALID_ARGUMENT,
               "gen: a null handle, expected a bit generator handle");
  EXPECT_TRUE(message_has("streamalloc_bitgen_next64: ")) << "the message names the function";
  std::uint32_t out[4];
  EXPECT_FAILS(streamalloc_seedseq_generate_state_u32(nullptr, out, 4),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "null handle");
}

TEST(CapiErrors, HandleOfAnotherKind) {
  bitgen_ptr g = bitgen();
  std::uint32_t out[4];
  // A bit generator where a seed sequence is expected: the magic tag tells them apart.
  const auto* wrong = reinterpret_cast<const streamalloc_seedseq*>(g.get());
  EXPECT_FAILS(streamalloc_seedseq_generate_state_u32(wrong, out, 4),
               STREAMALLOC_ERR_INVALID_ARGUMENT,
               "a bit generator handle, expected a seed sequence handle");
  EXPECT_FAILS(streamalloc_seedseq_free(reinterpret_cast<streamalloc_seedseq*>(g.get())),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "expected a seed sequence handle");
  std::uint64_t word = 0;
  SA_EXPECT_OK(streamalloc_bitgen_next64(g.get(), &word));  // still alive and well
}

TEST(CapiErrors, FreedHandleReused) {
  streamalloc_bitgen* g = bitgen().release();
  SA_OK(streamalloc_bitgen_free(g));
  std::uint64_t word = 0;
  EXPECT_FAILS(streamalloc_bitgen_next64(g, &word), STREAMALLOC_ERR_INVALID_ARGUMENT,
               "already freed");
  EXPECT_FAILS(streamalloc_bitgen_free(g), STREAMALLOC_ERR_INVALID_ARGUMENT, "already freed");
  SA_EXPECT_OK(streamalloc_bitgen_free(nullptr));  // free(NULL) does nothing, like free()
}

TEST(CapiErrors, FreedHandleLongAgoIsStillRefused) {
  streamalloc_seedseq* old = seedseq().release();
  SA_OK(streamalloc_seedseq_free(old));
  for (int i = 0; i < 5000; ++i) seedseq();  // more frees than the quarantine keeps
  std::uint64_t n = 0;
  EXPECT_EQ(streamalloc_seedseq_n_children_spawned(old, &n), STREAMALLOC_ERR_INVALID_ARGUMENT);
}

TEST(CapiErrors, NotAHandleAtAll) {
  std::uint64_t not_a_handle[8] = {};
  std::uint64_t word = 0;
  EXPECT_FAILS(
      streamalloc_bitgen_next64(reinterpret_cast<streamalloc_bitgen*>(not_a_handle), &word),
      STREAMALLOC_ERR_INVALID_ARGUMENT, "not a streamalloc handle");
}

TEST(CapiErrors, NegativeCountsAndNullArrays) {
  bitgen_ptr g = bitgen();
  double out[4];
  EXPECT_FAILS(streamalloc_bitgen_fill_double(g.get(), out, -1), STREAMALLOC_ERR_INVALID_ARGUMENT,
               "n = -1 is negative");
  EXPECT_FAILS(streamalloc_bitgen_fill_normal(g.get(), 0.0, 1.0, nullptr, 3),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "out is a null pointer");
  SA_EXPECT_OK(streamalloc_bitgen_fill_normal(g.get(), 0.0, 1.0, nullptr, 0));
  streamalloc_seedseq* children[2];
  seedseq_ptr s = seedseq();
  EXPECT_FAILS(streamalloc_seedseq_spawn(s.get(), -2, children), STREAMALLOC_ERR_INVALID_ARGUMENT,
               "negative");
  EXPECT_FAILS(streamalloc_seedseq_create("1", nullptr, 2, 0, children),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "spawn_key is a null pointer");
  EXPECT_FAILS(streamalloc_seedseq_create("1", nullptr, 0, -4, children),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "pool_size = -4");
  EXPECT_FAILS(streamalloc_bitgen_next64(g.get(), nullptr), STREAMALLOC_ERR_INVALID_ARGUMENT,
               "out is a null pointer");
}

TEST(CapiErrors, TooShortBuffer) {
  bitgen_ptr g = bitgen();
  std::int64_t length = -1;
  SA_OK(streamalloc_bitgen_state_json(g.get(), nullptr, 0, &length));  // asks for the length
  ASSERT_GT(length, 20);
  std::vector<char> small(static_cast<std::size_t>(length), 'x');  // no room for the NUL
  std::int64_t reported = -1;
  EXPECT_FAILS(streamalloc_bitgen_state_json(g.get(), small.data(), length, &reported),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "too short");
  EXPECT_EQ(reported, length) << "the length needed is still reported";
  std::vector<char> fits(static_cast<std::size_t>(length) + 1);
  SA_OK(streamalloc_bitgen_state_json(g.get(), fits.data(), length + 1, &reported));
  EXPECT_EQ(std::string(fits.data()).size(), static_cast<std::size_t>(length));
  EXPECT_FAILS(streamalloc_bitgen_state_json(g.get(), fits.data(), -5, &reported),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "capacity = -5");
  std::uint64_t key[1];
  seedseq_ptr s;
  {
    streamalloc_seedseq* raw = nullptr;
    const std::uint64_t spawn_key[2] = {1, 2};
    SA_OK(streamalloc_seedseq_create("7", spawn_key, 2, 0, &raw));
    s.reset(raw);
  }
  EXPECT_FAILS(streamalloc_seedseq_spawn_key(s.get(), key, 1, &length),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "key holds 1 entries, the spawn key has 2");
  EXPECT_EQ(length, 2);
}

TEST(CapiErrors, BadValuesNameTheValue) {
  streamalloc_seedseq* s = nullptr;
  EXPECT_FAILS(streamalloc_seedseq_create("12x45", nullptr, 0, 0, &s),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "12x45");
  EXPECT_EQ(s, nullptr) << "out is written only on success";
  seedseq_ptr seq = seedseq();
  streamalloc_bitgen* g = nullptr;
  EXPECT_FAILS(streamalloc_bitgen_create(7, seq.get(), &g), STREAMALLOC_ERR_INVALID_ARGUMENT,
               "kind = 7");
  bitgen_ptr sfc = bitgen(STREAMALLOC_SFC64);
  EXPECT_EQ(streamalloc_bitgen_advance(sfc.get(), 1, 0), STREAMALLOC_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(streamalloc_bitgen_jumped(sfc.get(), 1, 0, &g), STREAMALLOC_ERR_INVALID_ARGUMENT);
  bitgen_ptr pcg = bitgen();
  std::int64_t length = 0;
  SA_OK(streamalloc_bitgen_state_json(sfc.get(), nullptr, 0, &length));
  std::string state(static_cast<std::size_t>(length) + 1, '\0');
  SA_OK(streamalloc_bitgen_state_json(sfc.get(), state.data(), length + 1, &length));
  EXPECT_FAILS(streamalloc_bitgen_set_state_json(pcg.get(), state.c_str()),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "expected a PCG64 state");
  EXPECT_EQ(streamalloc_bitgen_create_from_state_json("{\"bit_generator\": \"PCG64\"", &g),
            STREAMALLOC_ERR_INVALID_ARGUMENT);
}

TEST(CapiErrors, BadDistributionParametersDrawNothing) {
  bitgen_ptr g = bitgen();
  bitgen_ptr copy;
  {
    streamalloc_bitgen* c = nullptr;
    SA_OK(streamalloc_bitgen_copy(g.get(), &c));
    copy.reset(c);
  }
  double out[3];
  std::int64_t counts[3];
  EXPECT_FAILS(streamalloc_bitgen_fill_normal(g.get(), 0.0, -1.0, out, 3),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "scale");
  EXPECT_FAILS(streamalloc_bitgen_fill_binomial(g.get(), 10, 1.5, counts, 3),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "p");
  EXPECT_FAILS(streamalloc_bitgen_fill_integers(g.get(), 5, 5, false, counts, 3),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "low");
  const double pvals[2] = {1.2, 0.1};  // NumPy: sum(pvals[:-1]) > 1.0
  EXPECT_FAILS(streamalloc_bitgen_fill_multinomial(g.get(), 3, pvals, 2, counts, 1),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "pvals");
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  SA_OK(streamalloc_bitgen_next64(g.get(), &a));
  SA_OK(streamalloc_bitgen_next64(copy.get(), &b));
  EXPECT_EQ(a, b) << "a refused call draws nothing";
}

TEST(CapiErrors, OutOfMemoryIsItsOwnCode) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer aborts on impossible allocations instead of throwing";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  GTEST_SKIP() << "AddressSanitizer aborts on impossible allocations instead of throwing";
#endif
#endif
  bitgen_ptr g = bitgen();
  char buffer[16] = {};
  // Shuffling 2^59 elements needs an index table no machine has; nothing is touched.
  EXPECT_EQ(streamalloc_bitgen_shuffle(g.get(), buffer, std::int64_t{1} << 59, 1),
            STREAMALLOC_ERR_OUT_OF_MEMORY)
      << streamalloc_last_error();
}

TEST(CapiErrors, VariablesDieWithTheirSet) {
  seedseq_ptr meta = seedseq();
  streamalloc_stream_set* set = nullptr;
  SA_OK(streamalloc_stream_set_create(meta.get(), STREAMALLOC_PCG64, &set));
  streamalloc_variable* x = nullptr;
  SA_OK(streamalloc_stream_set_add_normal(set, 0.0, 1.0, &x));
  std::int64_t ints[2];
  EXPECT_FAILS(streamalloc_variable_fill_i64(x, ints, 2), STREAMALLOC_ERR_INVALID_ARGUMENT,
               "streamalloc_variable_fill_double");
  EXPECT_FAILS(streamalloc_stream_set_add_normal(set, 0.0, -2.0, &x),
               STREAMALLOC_ERR_INVALID_ARGUMENT, "scale");
  std::int64_t size = 0;
  SA_OK(streamalloc_stream_set_size(set, &size));
  EXPECT_EQ(size, 1) << "an invalid variable is not created";
  SA_OK(streamalloc_stream_set_free(set));
  double values[2];
  EXPECT_FAILS(streamalloc_variable_fill_double(x, values, 2), STREAMALLOC_ERR_INVALID_ARGUMENT,
               "already freed");
}

TEST(CapiErrors, SnapshotsOfOtherSetsAndDamagedBytes) {
  seedseq_ptr a = seedseq("1");
  seedseq_ptr b = seedseq("2");
  streamalloc_stream_set* raw = nullptr;
  SA_OK(streamalloc_stream_set_create(a.get(), STREAMALLOC_PCG64, &raw));
  set_ptr sa(raw);
  SA_OK(streamalloc_stream_set_create(b.get(), STREAMALLOC_PCG64, &raw));
  set_ptr sb(raw);
  streamalloc_variable* v = nullptr;
  SA_OK(streamalloc_stream_set_add_uniform(sa.get(), 0.0, 1.0, &v));
  SA_OK(streamalloc_stream_set_add_uniform(sb.get(), 0.0, 1.0, &v));
  streamalloc_snapshot* snap_raw = nullptr;
  SA_OK(streamalloc_stream_set_snapshot(sa.get(), &snap_raw));
  snapshot_ptr snap(snap_raw);
  EXPECT_EQ(streamalloc_stream_set_restore(sb.get(), snap.get()), STREAMALLOC_ERR_INVALID_ARGUMENT);
  std::int64_t length = 0;
  SA_OK(streamalloc_snapshot_to_bytes(snap.get(), nullptr, 0, &length));
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(length));
  SA_OK(streamalloc_snapshot_to_bytes(snap.get(), bytes.data(), length, &length));
  bytes[bytes.size() / 2] ^= 0x40U;
  streamalloc_snapshot* damaged = nullptr;
  EXPECT_FAILS(streamalloc_snapshot_from_bytes(bytes.data(), length, &damaged), STREAMALLOC_ERR_IO,
               "CRC");
  EXPECT_EQ(streamalloc_snapshot_from_bytes(bytes.data(), 10, &damaged), STREAMALLOC_ERR_IO);
}

TEST(CapiErrors, AuditIoAndReuse) {
  const auto dir = std::filesystem::temp_directory_path() / "streamalloc_capi_audit";
  std::filesystem::create_directories(dir);
  const auto missing = (dir / "missing.jsonl").string();
  const char* paths[2] = {missing.c_str(), nullptr};
  streamalloc_verdict* v = nullptr;
  EXPECT_FAILS(streamalloc_audit(paths, 1, &v), STREAMALLOC_ERR_IO, "missing.jsonl");
  EXPECT_FAILS(streamalloc_audit(paths, 2, &v), STREAMALLOC_ERR_INVALID_ARGUMENT,
               "manifests[1] is a null pointer");
  // Two runs of one campaign that both took Philox stream IDs 5 to 9: reuse across runs.
  const auto write = [&](const char* name, const char* claims) {
    const auto path = (dir / name).string();
    std::ofstream(path) << "{\"streamalloc_manifest\": 1, \"version\": \"0.1.0\", \"campaign\": "
                           "{\"root\": 12345, \"strategy\": \"philox\", \"pool_size\": 4}, "
                           "\"job\": 0, \"ranks\": 1}\n"
                        << claims << "{\"end\": true, \"claims\": 1}\n";
    return path;
  };
  const auto a =
      write("a.jsonl",
            "{\"kind\": \"philox_id\", \"first\": 0, \"count\": 10, \"job\": 0, \"owner\": 0}\n");
  const auto b =
      write("b.jsonl",
            "{\"kind\": \"philox_id\", \"first\": 5, \"count\": 10, \"job\": 0, \"owner\": 0}\n");
  const char* runs[2] = {a.c_str(), b.c_str()};
  SA_OK(streamalloc_audit(runs, 1, &v));
  verdict_ptr one(v);
  bool clean = false;
  SA_OK(streamalloc_verdict_clean(one.get(), &clean));
  EXPECT_TRUE(clean);
  SA_EXPECT_OK(streamalloc_verdict_require_clean(one.get()));
  SA_OK(streamalloc_audit(runs, 2, &v));
  verdict_ptr both(v);
  SA_OK(streamalloc_verdict_clean(both.get(), &clean));
  EXPECT_FALSE(clean);
  std::int64_t conflicts = 0;
  SA_OK(streamalloc_verdict_conflicts(both.get(), &conflicts));
  EXPECT_GE(conflicts, 1);
  EXPECT_FAILS(streamalloc_verdict_require_clean(both.get()), STREAMALLOC_ERR_REUSE, "b.jsonl");
  const std::string report = text_of(both.get(), streamalloc_verdict_report);
  EXPECT_NE(report.find("a.jsonl"), std::string::npos) << report;
  // Job 0 continues after its IDs 0 to 14; a new job (-1) is job 1, its region untouched.
  std::uint64_t run_job = 9, next_stream = 0, next_jump = 0, next_job = 0;
  SA_OK(
      streamalloc_resume_point(runs, 2, nullptr, 0, &run_job, &next_stream, &next_jump, &next_job));
  EXPECT_EQ(run_job, 0U);
  EXPECT_EQ(next_stream, 15U);
  EXPECT_EQ(next_job, 1U);
  SA_OK(streamalloc_resume_point(runs, 2, nullptr, -1, &run_job, &next_stream, &next_jump,
                                 &next_job));
  EXPECT_EQ(run_job, 1U);
  EXPECT_EQ(next_stream, 0U);
  EXPECT_EQ(
      streamalloc_resume_point(runs, 2, nullptr, -2, &run_job, &next_stream, &next_jump, &next_job),
      STREAMALLOC_ERR_INVALID_ARGUMENT);
  std::filesystem::remove_all(dir);
}

TEST(CapiErrors, MessagesArePerThreadAndClearedBySuccess) {
  std::uint64_t word = 0;
  EXPECT_NE(streamalloc_bitgen_next64(nullptr, &word), STREAMALLOC_OK);
  std::string other_thread = "unset";
  std::thread([&] { other_thread = streamalloc_last_error(); }).join();
  EXPECT_EQ(other_thread, "");
  EXPECT_STRNE(streamalloc_last_error(), "");
  bitgen_ptr g = bitgen();
  SA_OK(streamalloc_bitgen_next64(g.get(), &word));
  EXPECT_STREQ(streamalloc_last_error(), "");
  EXPECT_STREQ(streamalloc_status_name(STREAMALLOC_ERR_REUSE), "STREAMALLOC_ERR_REUSE");
  EXPECT_STREQ(streamalloc_status_name(99), "unknown status");
  EXPECT_STRNE(streamalloc_version(), "");
}

}  // namespace
}  // namespace streamalloc::capi::testing
