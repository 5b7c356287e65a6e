// streamalloc-mc — the MPI Monte Carlo demo: 1-D slab neutron transport with one claimed,
// verified random stream per particle history. Thin: parse options, run, report, map errors to
// exit codes (0 clean, 1 the verification found reused streams, 2 bad input or failure).
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "mc_options.hpp"
#include "mc_run.hpp"
#include "streamalloc/error.hpp"

namespace {

using namespace streamalloc;

void print_estimate(const char* label, mc::estimate e) {
  std::printf("%-13s %.7f +- %.7f\n", label, e.mean, e.std_error);
}

void report(const mc::mc_options& options, const mpi::runtime& rt, const mc::run_summary& run) {
  const auto& t = run.totals;
  const std::string job_from = run.job_source.empty() ? "" : " (from " + run.job_source + ")";
  std::printf("streamalloc-mc: %llu histories on %d rank(s), strategy %s, seed %s, job %llu%s\n",
              static_cast<unsigned long long>(run.histories), rt.size(),
              std::string(to_string(run.origin.how())).c_str(),
              run.origin.root().to_string().c_str(),
              static_cast<unsigned long long>(run.job.value()), job_from.c_str());
  if (run.restarted_at != 0) {
    std::printf("restarted     from a checkpoint after %llu histories\n",
                static_cast<unsigned long long>(run.restarted_at));
  }
  print_estimate("transmitted", mc::fraction(t, mc::fate::transmitted));
  print_estimate("reflected", mc::fraction(t, mc::fate::reflected));
  print_estimate("absorbed", mc::fraction(t, mc::fate::absorbed));
  print_estimate("collisions", mc::mean_collisions(t));
  std::printf("checksum      %s\n", mc::checksum(t).c_str());
  std::printf("streams       %llu claimed by this run\n",
              static_cast<unsigned long long>(run.streams_claimed));
  std::printf("verification  %s\n", run.verification.clean()
                                        ? ("clean: " + run.verification.report()).c_str()
                                        : run.verification.report().c_str());
  if (options.timing) {
    const auto& c = run.coordination;
    std::printf(
        "timing        run %.3f s; coordination %.4f s = %.3f%% (claims %.4f s, verify "
        "%.4f s, manifests %.4f s; slowest rank)\n",
        run.run_seconds, c.total(), 100.0 * c.total() / run.run_seconds, c.claims, c.verify,
        c.manifests);
    std::printf(
        "waiting       %.4f s at checkpoints for ranks still computing (load imbalance, "
        "not coordination; longest of any rank)\n",
        c.waiting);
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<mpi::runtime> rt;
  try {
    rt.emplace(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "streamalloc-mc: error: %s\n", e.what());
    return 2;
  }
  const bool root = rt->mpi_rank() == 0;
  try {
    const auto options = mc::parse_mc_options(argc, argv);
    if (!options) return 0;
    const auto run = mc::run_monte_carlo(*rt, *options);
    if (root) report(*options, *rt, run);
    return run.verification.clean() ? 0 : 1;
  } catch (const std::exception& e) {  // Boost.Program_options' errors included
    // One line, as every streamalloc command: an agreed failure lists its ranks on one line.
    std::string message = e.what();
    for (char& c : message) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    if (root) std::fprintf(stderr, "streamalloc-mc: error: %s\n", message.c_str());
  }
  return 2;
}
