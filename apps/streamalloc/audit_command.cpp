// `streamalloc audit M1 M2 ...`: checks the manifests of any number of runs for streams reused or
// overlapping across (and within) them. Exit 0 clean, 1 conflicts listed, 2 bad input (one line
// naming the file and line) — the contract of streamalloc::claims::run_audit.
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
    "taken twice, and for overlapping draw intervals, within and across the runs.\n"
    "\n"
    "Exit status: 0 no conflicts, 1 conflicts (one line each), 2 bad input.\n";

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
  return claims::run_audit(manifests, std::cout, std::cerr);
}

}  // namespace streamalloc::cli
