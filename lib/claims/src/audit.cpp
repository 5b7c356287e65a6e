#include "streamalloc/claims/audit.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <system_error>

#include "streamalloc/error.hpp"
#include "streamalloc/claims/manifest.hpp"

namespace streamalloc::claims {
namespace {

// Messages are printed one per line; a stray newline must not split one.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

audit_report audit_manifests(std::span<const std::filesystem::path> manifests) {
  audit_report report;
  std::vector<manifest> loaded;
  loaded.reserve(manifests.size());
  for (std::size_t i = 0; i < manifests.size(); ++i) {
    loaded.push_back(read_manifest(manifests[i]));
    // The same run twice would report every claim as reused: refuse it as bad input instead.
    for (std::size_t j = 0; j < i; ++j) {
      std::error_code ec;
      if (std::filesystem::equivalent(manifests[j], manifests[i], ec) && !ec) {
        throw invalid_argument(manifests[i].string() + ":1: the same file as " +
                               manifests[j].string() + "; give each manifest once");
      }
    }
  }
  std::vector<sourced_claim> all;
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    report.campaigns.push_back(std::make_shared<const campaign>(loaded[i].campaign));
    const campaign* origin = report.campaigns.back().get();
    const std::string file = manifests[i].string();
    for (std::size_t k = 0; k < loaded[i].claims.size(); ++k) {
      // Line k + 2: the header is line 1 and read_manifest allows no blank lines between.
      all.push_back({origin, std::move(loaded[i].claims[k]), file + ":" + std::to_string(k + 2)});
    }
  }
  report.manifests.assign(manifests.begin(), manifests.end());
  report.claims = all.size();
  report.conflicts = find_conflicts(all);
  return report;
}

int run_audit(std::span<const std::filesystem::path> manifests, std::ostream& out,
              std::ostream& err) {
  if (manifests.empty()) {
    err << "streamalloc audit: no manifests given (usage: streamalloc audit MANIFEST...)\n";
    return 2;
  }
  audit_report report;
  try {
    report = audit_manifests(manifests);
  } catch (const error& e) {
    err << one_line(e.what()) << '\n';
    return 2;
  }
  const std::string summary = "audit: " + plural(report.manifests.size(), "manifest") + ", " +
                              plural(report.claims, "claim") + ", ";
  if (report.clean()) {
    out << summary << "no conflicts\n";
    return 0;
  }
  for (const auto& c : report.conflicts) out << one_line(c.message) << '\n';
  out << summary << plural(report.conflicts.size(), "conflict") << '\n';
  return 1;
}

}  // namespace streamalloc::claims
