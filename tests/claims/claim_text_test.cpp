// The fast claim writer of run records is byte-identical with dump_json(to_json(claim)).
#include "src/manifest/claim_text.hpp"

#include <gtest/gtest.h>

#include "streamalloc/claims/record_json.hpp"

namespace streamalloc::claims {
namespace {

TEST(ClaimText, EqualsTheJsonWriterForEveryKindAndField) {
  std::vector<claim> cases;
  claim c;
  cases.push_back(c);
  c.first = ~std::uint64_t{0} - 5;
  c.count = 6;
  c.job = job_index(~std::uint64_t{0});
  c.owner = rank_id(~std::uint32_t{0});
  cases.push_back(c);
  claim s;
  s.kind = claim_kind::spawn_path;
  s.prefix = {0, std::uint64_t{1} << 40, 7};
  s.task = task_path{3, 4};
  s.task_lockstep = true;
  s.count = 9;
  s.budget = (uint128{1} << 100) + 3;
  s.used = 17;
  cases.push_back(s);
  s.task = task_path{};
  s.task_lockstep = false;
  s.budget = 0;
  cases.push_back(s);
  claim p;
  p.kind = claim_kind::philox_position;
  p.sequence = ~uint128{0};
  p.position = 0;
  p.position_high = uint128{1} << 64;
  p.used = ~uint128{0};
  cases.push_back(p);
  p.kind = claim_kind::pcg64_position;
  p.sequence = (uint128{1} << 127) + 1;
  p.position = 12345;
  p.position_high = 0;
  cases.push_back(p);
  for (const claim& k : cases) {
    std::string text;
    detail::append_claim_text(text, k);
    EXPECT_EQ(text, dump_json(to_json(k)));
  }
}

}  // namespace
}  // namespace streamalloc::claims
