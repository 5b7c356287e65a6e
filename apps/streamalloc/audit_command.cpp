// `streamalloc audit M1 M2 ...`: checks the manifests of any number of runs for streams reused or
// overlapping across (and within) them. The library (streamalloc::claims::audit_manifests)
// finds the conflicts; this command prints them and maps the outcome to the exit status:
//   0  clean: "audit: N manifests, M claims, no conflicts";
//   1  conflicts: one line per conflict, then "audit: N manifests, M claims, K conflicts";
//   2  bad input (unreadable, truncated or malformed file): one line on stderr naming the file
//      and line.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <vector>

#include "commands.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/claims/audit.hpp"

namespace streamalloc::cli {

namespace {

constexpr const char* audit_usage =
    "Usage: streamalloc audit MANIFEST [MANIFEST ...]\n"
    "\n"
    "Checks the claims recorded in run manifests (written by streamalloc's MPI runtime, e.g.\n"
    "streamalloc-mc --manifest) for any stream ID, jump index, spawn path or stream identity\n"
    "taken twice, and for overlapping draw intervals, within and across the runs. Work a\n"
    "restarted run redid on its own streams (its record names the checkpoint it resumed\n"
    "from) is a replay, accepted and counted; give every manifest of a campaign.\n"
    "\n"
    "Exit status: 0 no conflicts, 1 conflicts (one line each), 2 bad input.\n";

// Messages are printed one per line; a stray newline must not split one.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

int run_audit(std::span<const std::string> args) {
  std::vector<std::filesystem::path> manifests;
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << audit_usage;
      return 0;
    }
    if (!arg.empty() && arg.front() == '-') {
      throw invalid_argument("audit: unknown option '" + arg + "' (expected manifest paths)");
    }
    manifests.emplace_back(arg);
  }
  if (manifests.empty()) {
    throw invalid_argument("audit: no manifest given (expected one or more manifest paths)");
  }
  claims::audit_report report;
  try {
    // Each conflict printed as the audit hands it over: the audit then holds its message, not
    // the conflict (claims/audit.hpp, "Memory").
    report = claims::audit_manifests(
        manifests, [](const claims::conflict& c) { std::cout << one_line(c.message) << '\n'; });
  } catch (const error& e) {
    std::cerr << one_line(e.what()) << '\n';
    return 2;
  }
  const std::string summary = "audit: " + plural(report.manifests.size(), "manifest") + ", " +
                              plural(report.claims, "claim") + ", ";
  // Replays (work redone after a restart, on its own streams) are accepted and counted.
  const std::string replays =
      report.replays == 0 ? ""
                          : ", " + plural(report.replays, "replay") + " after restarts accepted (" +
                                plural(report.replayed_streams, "stream") + ")";
  if (report.clean()) {
    std::cout << summary << "no conflicts" << replays << '\n';
    return 0;
  }
  std::cout << summary << plural(report.conflict_count, "conflict") << replays << '\n';
  return 1;
}

}  // namespace streamalloc::cli
