// streamalloc/mpi/job_array.hpp — a run's job index from the batch scheduler's job array.
//
// A job array runs one program many times, each copy with its own array index in an
// environment variable. Used as the job index (stream_allocator's `job`), it gives every copy
// its own region of the campaign (campaign.hpp) with nothing to coordinate:
//   sbatch --array=0-99 run.sh   with   mpirun streamalloc-mc ... --job auto
// The variables, in the order they are tried (the first that is set wins):
//   SLURM_ARRAY_TASK_ID (Slurm), PBS_ARRAY_INDEX (PBS Pro), PBS_ARRAYID (Torque),
//   LSB_JOBINDEX (LSF).
// Thread safety: reads the environment (std::getenv), like any getenv caller.
#pragma once

#include <array>
#include <functional>
#include <string>

#include "streamalloc/mpi/runtime.hpp"
#include "streamalloc/stream_ids.hpp"

namespace streamalloc::mpi {

inline constexpr std::array<const char*, 4> job_array_variables = {
    "SLURM_ARRAY_TASK_ID", "PBS_ARRAY_INDEX", "PBS_ARRAYID", "LSB_JOBINDEX"};

// A job index and the variable it came from.
struct scheduler_job {
  job_index job;
  std::string variable;
};

// Looks a variable up: returns its value, or null when it is not set.
using environment_lookup = std::function<const char*(const char*)>;

// The job index of this process's job array task: the value of the first of
// job_array_variables that is set (a decimal integer in [0, 2^64), surrounding blanks
// allowed). Serial (no MPI). Throws invalid_argument naming every variable when none is set, or
// naming the variable and its value when that value is not such an integer. `lookup` defaults to
// the process environment.
scheduler_job job_from_scheduler(const environment_lookup& lookup = {});

// COLLECTIVE over rt.comm(): job_from_scheduler() on every rank, agreed (agreement.hpp): every
// rank returns the same job, or every rank throws the same invalid_argument — also when ranks
// see different values (an environment not propagated the same way to every rank).
scheduler_job job_from_scheduler(const runtime& rt, const environment_lookup& lookup = {});

}  // namespace streamalloc::mpi
