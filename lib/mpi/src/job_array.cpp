#include "streamalloc/mpi/job_array.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"

namespace streamalloc::mpi {
namespace {

std::string variable_list() {
  std::string list;
  for (std::size_t i = 0; i < job_array_variables.size(); ++i) {
    list += i == 0 ? "" : i + 1 == job_array_variables.size() ? " or " : ", ";
    list += job_array_variables[i];
  }
  return list;
}

// A decimal integer in [0, 2^64), blanks around it allowed (schedulers write plain digits).
std::uint64_t parse_index(std::string_view text, const char* variable) {
  const auto bad = [&](const char* why) {
    return invalid_argument(std::string("--job auto: ") + variable + "='" + std::string(text) +
                            "' is not a job array index (" + why + ")");
  };
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  if (text.empty()) throw bad("expected a non-negative decimal integer, got nothing");
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') throw bad("expected a non-negative decimal integer");
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) throw bad("expected at most 2^64 - 1");
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

scheduler_job job_from_scheduler(const environment_lookup& lookup) {
  for (const char* variable : job_array_variables) {
    const char* value = lookup ? lookup(variable) : std::getenv(variable);
    if (value == nullptr) continue;
    return {job_index(parse_index(value, variable)), variable};
  }
  throw invalid_argument("--job auto: no job array index in the environment (none of " +
                         variable_list() + " is set); give --job J");
}

scheduler_job job_from_scheduler(const runtime& rt, const environment_lookup& lookup) {
  const scheduler_job mine =
      agreed(rt, "reading the job array index", [&] { return job_from_scheduler(lookup); });
  std::uint64_t range[2] = {mine.job.value(), ~mine.job.value()};  // max of v and of ~v: max, min
  check_mpi(MPI_Allreduce(MPI_IN_PLACE, range, 2, MPI_UINT64_T, MPI_MAX, rt.comm()),
            "MPI_Allreduce (job array index)");
  agreed(rt, "reading the job array index", [&] {
    if (range[0] != ~range[1]) {
      throw invalid_argument("--job auto: the ranks see different job array indices (" +
                             std::to_string(~range[1]) + " to " + std::to_string(range[0]) +
                             "); this rank read " + mine.variable + "=" +
                             std::to_string(mine.job.value()));
    }
  });
  return mine;
}

}  // namespace streamalloc::mpi
