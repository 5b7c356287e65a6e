// Claims: kinds, descriptions, validation and the exact JSON form manifests are made of.
#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/claims/claim.hpp"

#include <gtest/gtest.h>

#include <string>

#include "claim_fixtures.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

constexpr uint128 two_pow_100 = uint128{1} << 100;

using streamalloc::testing::philox_ids;

// Asserts that `fn` throws invalid_argument whose message contains every fragment.
template <class Fn>
void expect_invalid(Fn&& fn, std::initializer_list<const char*> fragments) {
  try {
    fn();
    ADD_FAILURE() << "expected invalid_argument";
  } catch (const invalid_argument& e) {
    for (const char* f : fragments)
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
  }
}

TEST(ClaimKind, NamesRoundTrip) {
  for (const auto kind : {claim_kind::spawn_path, claim_kind::philox_id, claim_kind::jump_index,
                          claim_kind::philox_position, claim_kind::pcg64_position}) {
    EXPECT_EQ(parse_claim_kind(to_string(kind), "kind"), kind);
  }
  EXPECT_EQ(to_string(claim_kind::philox_id), "philox_id");
  expect_invalid([] { parse_claim_kind("philox", "field 'kind'"); },
                 {"field 'kind'", "'philox'", "expected spawn_path, philox_id"});
}

TEST(ClaimDescribe, NamesDescriptorRankAndTask) {
  claim c = philox_ids(17, 1, 2);
  c.task = task_path{17};
  EXPECT_EQ(c.describe(), "philox stream ID 17 (rank 2, task (17,))");
  c = philox_ids(0, 1000, 0);
  c.job = job_index(1);
  EXPECT_EQ(c.describe(), "philox stream IDs 0 to 999 (job 1, rank 0)");
  c.kind = claim_kind::jump_index;
  c.count = 1;
  EXPECT_EQ(c.describe(), "jump index 0 (job 1, rank 0)");

  claim s;
  s.kind = claim_kind::spawn_path;
  s.job = job_index(0);
  s.prefix = {2};
  s.first = 5;
  s.owner = rank_id(2);
  EXPECT_EQ(s.describe(), "spawn path (0, 2, 5) (rank 2)");
  s.count = 100;
  s.first = 0;
  EXPECT_EQ(s.describe(), "spawn paths (0, 2, k) for k = 0 to 99 (rank 2)");
  EXPECT_EQ(describe_stream(s, 42), "spawn path (0, 2, 42)");

  claim p;
  p.kind = claim_kind::philox_position;
  p.sequence = 0xabc;
  p.position = 5;
  p.position_high = 1;
  p.owner = rank_id(1);
  EXPECT_EQ(p.describe(),
            "Philox stream (key 0xabc, counter 0x100000000000000000000000000000005) (rank 1)");
  p.kind = claim_kind::pcg64_position;
  p.position_high = 0;
  p.sequence = 7;
  EXPECT_EQ(p.describe(), "PCG64 stream (increment 0x7, state 0x5) (rank 1)");
}

TEST(ClaimValidate, AcceptsWellFormedClaims) {
  EXPECT_NO_THROW(validate(philox_ids(0, 1, 0)));
  EXPECT_NO_THROW(validate(philox_ids(~std::uint64_t{0}, 1, 0)));  // the very last ID
  EXPECT_NO_THROW(validate(philox_ids(1, ~std::uint64_t{0}, 0)));  // 1 .. 2^64 - 1
  claim c = philox_ids(0, 1, 0);
  c.used = 10;
  c.budget = 5;  // over budget is a conflict, not a malformed claim
  EXPECT_NO_THROW(validate(c));
}

TEST(ClaimValidate, RejectsMalformedClaims) {
  expect_invalid([] { validate(philox_ids(0, 0, 0)); }, {"count is 0"});
  expect_invalid([] { validate(philox_ids(2, ~std::uint64_t{0}, 0)); }, {"runs past 2^64 - 1"});
  claim c = philox_ids(0, 1, 0);
  c.prefix = {1};
  expect_invalid([&] { validate(c); }, {"prefix"});
  c = philox_ids(0, 1, 0);
  c.sequence = 3;
  expect_invalid([&] { validate(c); }, {"sequence/position"});
  c.kind = claim_kind::pcg64_position;
  c.sequence = 4;
  expect_invalid([&] { validate(c); }, {"even", "0x4"});
  c.sequence = 5;
  c.count = 2;
  expect_invalid([&] { validate(c); }, {"count is 2", "expected 1"});
  c.count = 1;
  c.position_high = 1;
  expect_invalid([&] { validate(c); }, {"position_high"});
}

// One meaning of a budget for every kind (claim.hpp): 1 to 2^64 draws of 64-bit words, or none
// (2^64); 0 and more than 2^64 are refused, naming the budget and the limit.
TEST(ClaimValidate, BudgetsAreOneTo2Pow64DrawsForEveryKind) {
  for (const auto kind : {claim_kind::spawn_path, claim_kind::philox_id, claim_kind::jump_index,
                          claim_kind::philox_position, claim_kind::pcg64_position}) {
    claim c = philox_ids(0, 1, 0);
    c.kind = kind;
    if (kind == claim_kind::pcg64_position) c.sequence = 1;  // an odd increment
    c.budget = 1;
    EXPECT_NO_THROW(validate(c));
    c.budget = max_budget;
    EXPECT_NO_THROW(validate(c));
    EXPECT_EQ(budget_of(c), uint128{1} << 64);
    c.budget = unlimited_budget;
    EXPECT_NO_THROW(validate(c));
    EXPECT_EQ(budget_of(c), uint128{1} << 64);
    c.budget = 0;
    expect_invalid([&] { validate(c); }, {"budget 0", "expected at least 1 draw"});
    c.budget = max_budget + 1;
    expect_invalid([&] { validate(c); },
                   {"budget 18446744073709551617 draws", "limit of 2^64 = 18446744073709551616"});
    c.budget = uint128{1} << 127;
    expect_invalid([&] { validate(c); }, {"budget 170141183460469231731687303715884105728"});
  }
  // Manifests are held to the same rule.
  expect_invalid(
      [] {
        claim_from_json(parse_json(R"({"kind": "jump_index", "first": 0, "count": 1, "job": 0, )"
                                   R"("owner": 0, "budget": 0})",
                                   "t"),
                        "line 2");
      },
      {"line 2", "budget 0"});
}

TEST(ClaimLockstep, TasksAdvanceWithTheIds) {
  claim c = philox_ids(100, 5, 1);
  c.task = task_path{7, 40};
  c.task_lockstep = true;
  EXPECT_NO_THROW(validate(c));
  EXPECT_EQ(task_of(c, 100), (task_path{7, 40}));
  EXPECT_EQ(task_of(c, 104), (task_path{7, 44}));
  EXPECT_EQ(c.describe(), "philox stream IDs 100 to 104 (rank 1, tasks (7, 40) to (7, 44))");
  c.task_lockstep = false;
  EXPECT_EQ(task_of(c, 104), (task_path{7, 40}));  // shared: every stream serves one task
}

TEST(ClaimLockstep, SliceKeepsEachStreamsTask) {
  claim c = philox_ids(100, 5, 1);
  c.task = task_path{40};
  c.task_lockstep = true;
  const claim middle = slice(c, 101, 3);
  EXPECT_EQ(middle.first, 101U);
  EXPECT_EQ(middle.count, 3U);
  EXPECT_EQ(middle.task, (task_path{41}));
  EXPECT_TRUE(middle.task_lockstep);
  const claim single = slice(c, 104, 1);
  EXPECT_EQ(single.task, (task_path{44}));
  EXPECT_FALSE(single.task_lockstep);  // one stream has nothing to advance
  EXPECT_NO_THROW(validate(single));
}

TEST(ClaimLockstep, MalformedLockstepClaimsAreRejected) {
  claim c = philox_ids(0, 5, 0);
  c.task_lockstep = true;
  expect_invalid([&] { validate(c); }, {"task_lockstep", "no task"});
  c.task = task_path{};
  expect_invalid([&] { validate(c); }, {"task_lockstep", "non-empty task"});
  c.task = task_path{~std::uint64_t{0} - 2};
  expect_invalid([&] { validate(c); }, {"runs past 2^64 - 1"});
  c = philox_ids(0, 1, 0);
  c.task = task_path{3};
  c.task_lockstep = true;
  expect_invalid([&] { validate(c); }, {"single stream"});
}

TEST(ClaimJson, ExactLayout) {
  claim c = philox_ids(0, 1000, 2);
  EXPECT_EQ(dump_json(to_json(c)),
            R"({"kind": "philox_id", "first": 0, "count": 1000, "job": 0, "owner": 2})");
  claim p;
  p.kind = claim_kind::pcg64_position;
  p.sequence = two_pow_100 + 1;
  p.position = 0;
  p.owner = rank_id(3);
  p.task = task_path{};
  p.budget = 1000;
  p.used = 999;
  EXPECT_EQ(dump_json(to_json(p)),
            R"({"kind": "pcg64_position", "first": 0, "count": 1, "job": 0, "owner": 3, )"
            R"("sequence": 1267650600228229401496703205377, "position": 0, "task": [], )"
            R"("budget": 1000, "used": 999})");
}

TEST(ClaimJson, LockstepTasksAreWrittenOnlyWhenSet) {
  claim c = philox_ids(10, 3, 2);
  c.task = task_path{10};
  c.task_lockstep = true;
  EXPECT_EQ(dump_json(to_json(c)),
            R"({"kind": "philox_id", "first": 10, "count": 3, "job": 0, "owner": 2, )"
            R"("task": [10], "task_lockstep": true})");
  EXPECT_EQ(claim_from_json(to_json(c), "claim"), c);
  expect_invalid(
      [] {
        claim_from_json(parse_json(R"({"kind": "philox_id", "first": 1, "count": 2, )"
                                   R"("job": 0, "owner": 0, "task": [1], )"
                                   R"("task_lockstep": 1})",
                                   "t"),
                        "line 3");
      },
      {"line 3", "task_lockstep", "expected true or false"});
}

TEST(ClaimJson, RoundTripsEveryKindExactly) {
  std::vector<claim> claims;
  claims.push_back(philox_ids(5, 100, 1));
  claim s;
  s.kind = claim_kind::spawn_path;
  s.job = job_index(3);
  s.prefix = {1, std::uint64_t{1} << 40};
  s.first = ~std::uint64_t{0};
  s.owner = rank_id(7);
  s.task = task_path{1, 2};
  claims.push_back(s);
  claim j;
  j.kind = claim_kind::jump_index;
  j.first = 9;
  j.budget = 1;  // the smallest budget (0 is refused: claim.hpp)
  claims.push_back(j);
  claim p;
  p.kind = claim_kind::philox_position;
  p.sequence = ~uint128{0};
  p.position = two_pow_100;
  p.position_high = 3;
  p.budget = max_budget;  // the largest (claim.hpp)
  p.used = two_pow_100;
  claims.push_back(p);
  claim g;
  g.kind = claim_kind::pcg64_position;
  g.sequence = 1;
  g.position = ~uint128{0};
  claims.push_back(g);
  for (const auto& c : claims) {
    const std::string text = dump_json(to_json(c));
    EXPECT_EQ(claim_from_json(parse_json(text, "t"), "claim"), c) << text;
  }
  // Absent task and empty task differ.
  claim no_task = philox_ids(0, 1, 0);
  claim empty_task = no_task;
  empty_task.task = task_path{};
  EXPECT_NE(dump_json(to_json(no_task)), dump_json(to_json(empty_task)));
}

TEST(ClaimJson, RejectsBadDocumentsNamingFieldAndExpectation) {
  const auto parse = [](const char* text) {
    return claim_from_json(parse_json(text, "t"), "claim");
  };
  expect_invalid([&] { parse(R"([1, 2])"); }, {"claim", "expected a claim object"});
  expect_invalid([&] { parse(R"({"kind": "philox_id", "first": 0, "count": 1, "owner": 0})"); },
                 {"missing field 'job'"});
  expect_invalid(
      [&] { parse(R"({"kind": "philox_id", "first": "7", "count": 1, "job": 0, "owner": 0})"); },
      {"field 'first'", "\"7\"", "non-negative integer"});
  expect_invalid([&] { parse(R"({"kind": 3, "first": 7, "count": 1, "job": 0, "owner": 0})"); },
                 {"field 'kind'", "expected a string"});
  expect_invalid(
      [&] { parse(R"({"kind": "philox", "first": 7, "count": 1, "job": 0, "owner": 0})"); },
      {"not a claim kind"});
  expect_invalid(
      [&] {
        parse(
            R"({"kind": "philox_id", "first": 7, "count": 1, "job": 0, "owner": 0, "colour": 1})");
      },
      {"unknown field 'colour'"});
  expect_invalid(
      [&] {
        parse(R"({"kind": "philox_id", "first": 7, "count": 1, "job": 0, "owner": 4294967296})");
      },
      {"field 'owner'", "4294967296"});
  expect_invalid(
      [&] {
        parse(
            R"({"kind": "philox_id", "first": 7, "count": 1, "job": 0, "owner": 0, "sequence": 1, "position": 0})");
      },
      {"only allowed for philox_position and pcg64_position"});
  expect_invalid(
      [&] {
        parse(
            R"({"kind": "philox_position", "first": 0, "count": 1, "job": 0, "owner": 0, "sequence": 1})");
      },
      {"missing field 'position'"});
  expect_invalid(
      [&] {
        parse(
            R"({"kind": "philox_position", "first": 0, "count": 1, "job": 0, "owner": 0, "sequence": 340282366920938463463374607431768211456, "position": 0})");
      },
      {"field 'sequence'", "below 2^128"});
  expect_invalid(
      [&] { parse(R"({"kind": "philox_id", "first": 7, "count": 0, "job": 0, "owner": 0})"); },
      {"count is 0"});
  expect_invalid(
      [&] {
        parse(
            R"({"kind": "spawn_path", "first": 7, "count": 1, "job": 0, "owner": 0, "prefix": [1, -2]})");
      },
      {"field 'prefix' entry 1"});
}

}  // namespace
}  // namespace streamalloc::claims
