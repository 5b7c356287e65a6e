#include "streamalloc/claims/audit.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <system_error>

#include "src/manifest/apply_use.hpp"
#include "streamalloc/claims/manifest_reader.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

struct entry {
  sourced_claim claim;
};

}  // namespace

audit_report audit_manifests(std::span<const std::filesystem::path> manifests) {
  audit_report report;
  // The same run twice would report every claim as reused: refuse it as bad input instead.
  for (std::size_t i = 0; i < manifests.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      std::error_code ec;
      if (std::filesystem::equivalent(manifests[j], manifests[i], ec) && !ec) {
        throw invalid_argument(manifests[i].string() + ":1: the same file as " +
                               manifests[j].string() + "; give each manifest once");
      }
    }
  }
  std::vector<entry> all;
  for (std::uint32_t m = 0; m < manifests.size(); ++m) {
    manifest_reader reader(manifests[m]);
    report.campaigns.push_back(std::make_shared<const campaign>(reader.header().campaign));
    const campaign* origin = report.campaigns.back().get();
    // Uses recorded after their claims are applied to this manifest's claims, which start at
    // `first` in `all`.
    const std::size_t first = all.size();
    reader.read([&](const claim& c, const claim_location& at) {
      std::string source = at.file->string() + ":" + std::to_string(at.line);
      if (!at.update) {
        all.push_back({{origin, c, std::move(source)}});
        return;
      }
      try {
        std::vector<entry> mine(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(first)),
                                std::make_move_iterator(all.end()));
        all.resize(first);
        detail::apply_use_to(mine, c, [](entry& e) -> claim& { return e.claim.what; });
        all.insert(all.end(), std::make_move_iterator(mine.begin()),
                   std::make_move_iterator(mine.end()));
      } catch (const invalid_argument& e) {
        throw invalid_argument(source + ": " + e.what());
      }
    });
  }
  report.manifests.assign(manifests.begin(), manifests.end());
  report.claims = all.size();

  std::vector<sourced_claim> claims;
  claims.reserve(all.size());
  for (entry& e : all) claims.push_back(std::move(e.claim));
  all.clear();
  report.conflicts = find_conflicts(claims);
  return report;
}

}  // namespace streamalloc::claims
