// A small MPI program for the kill-and-restart test (stream_set_kill_restart.sh): T tasks, each
// with a task-rooted claimed stream set of several variables, drawn in rounds. Every drawn value
// is written exactly (doubles as %a, integers in decimal) to <out>/task_<t>/round_<r>.txt, and
// after each round the whole run is checkpointed (stream sets, claims, and the next round as
// application state). Halfway, every set is reseeded onto a child path, so a restart may land
// before or after a reseed. At the end the run verifies its claims and rank 0 prints
//   streams <n> records <m> clean
//   done
// An uninterrupted run and a run killed and restarted from its checkpoint on another rank count
// must write byte-identical files and claim the same number of streams.
//
// usage: stream_set_restart --tasks T --rounds R --out DIR --checkpoint FILE
//                           [--resume] [--pause-ms MS]
// Exit status: 0 clean, 1 reuse found, 2 bad arguments or any error.
#include <mpi.h>

#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/stream_set/claimed_stream_set.hpp"
#include "streamalloc/mpi/runtime.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc/mpi/stream_set/checkpoint.hpp"
#include "streamalloc/mpi/verify.hpp"
#include "streamalloc/stream_set/stream_set.hpp"

namespace {

using namespace streamalloc;
using namespace streamalloc::mpi;

struct options {
  std::uint64_t tasks = 6;
  std::uint64_t rounds = 8;
  std::filesystem::path out;
  std::filesystem::path checkpoint;
  bool resume = false;
  int pause_ms = 0;
};

std::uint64_t number(std::string_view flag, const char* text) {
  try {
    std::size_t used = 0;
    const unsigned long long value = std::stoull(text, &used);
    if (used == std::string_view(text).size()) return value;
  } catch (const std::exception&) {
  }
  throw invalid_argument(std::string(flag) + " " + text + ": expected a non-negative integer");
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    const auto value = [&] {
      if (i + 1 >= argc) throw invalid_argument(std::string(flag) + ": expected a value");
      return argv[++i];
    };
    if (flag == "--tasks") {
      o.tasks = number(flag, value());
    } else if (flag == "--rounds") {
      o.rounds = number(flag, value());
    } else if (flag == "--out") {
      o.out = value();
    } else if (flag == "--checkpoint") {
      o.checkpoint = value();
    } else if (flag == "--resume") {
      o.resume = true;
    } else if (flag == "--pause-ms") {
      o.pause_ms = static_cast<int>(number(flag, value()) % 100000);
    } else {
      throw invalid_argument("unknown argument " + std::string(flag) +
                             " (expected --tasks, --rounds, --out, --checkpoint, --resume, "
                             "--pause-ms)");
    }
  }
  if (o.out.empty() || o.checkpoint.empty()) {
    throw invalid_argument("--out and --checkpoint are required");
  }
  return o;
}

// One task's variables, created in the same order on a fresh and on a resumed set.
struct task_variables {
  stream_variable<normal_distribution> normal;
  stream_variable<integers_distribution<std::int64_t>> integers;
  stream_variable<poisson_distribution> poisson;
  stream_variable<exponential_distribution> exponential;
  stream_variable<gamma_distribution> gamma;
  stream_variable<binomial_distribution> binomial;
  stream_variable<normal_distribution> normal_mt;  // a variable of another family

  explicit task_variables(stream_set& s)
      : normal(s.normal(0.5, 2.0)),
        integers(s.integers(-5, 1000)),
        poisson(s.poisson(4.5)),
        exponential(s.exponential(1.5)),
        gamma(s.gamma(2.5)),
        binomial(s.binomial(20, 0.3)),
        normal_mt(s.make_on<normal_distribution>(bit_generator_kind::mt19937, 0.0, 1.0)) {}

  // One round: two single draws and a fill of three from each variable.
  void draw(std::FILE* out) {
    const auto reals = [&](const char* name, auto& v) {
      std::vector<double> bulk(3);
      const double a = v();
      const double b = v();
      v.fill(bulk);
      std::fprintf(out, "%s %a %a %a %a %a\n", name, a, b, bulk[0], bulk[1], bulk[2]);
    };
    const auto counts = [&](const char* name, auto& v) {
      std::vector<std::int64_t> bulk(3);
      const std::int64_t a = v();
      const std::int64_t b = v();
      v.fill(bulk);
      std::fprintf(out, "%s %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n", name, a,
                   b, bulk[0], bulk[1], bulk[2]);
    };
    reals("normal", normal);
    counts("integers", integers);
    counts("poisson", poisson);
    reals("exponential", exponential);
    reals("gamma", gamma);
    counts("binomial", binomial);
    reals("normal_mt", normal_mt);
  }
};

std::span<const std::byte> as_blob(const std::string& text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

int run(const runtime& rt, const options& o) {
  const campaign origin(seed_entropy(20240229), strategy::spawn);
  const job_index job(0);
  stream_allocator alloc(rt, origin, job);
  const int ranks = rt.size();
  const auto mine = [&](std::uint64_t t) {
    return round_robin(task_path{t}, ranks) == rt.mpi_rank();
  };

  std::vector<std::uint64_t> tasks;
  std::vector<claimed_stream_set> sets;
  std::vector<task_variables> vars;
  std::uint64_t first_round = 0;
  if (o.resume) {
    const stream_set_checkpoint ck = read_checkpoint(alloc, o.checkpoint);
    const std::string state(reinterpret_cast<const char*>(ck.app_state().data()),
                            ck.app_state().size());
    first_round = number("the checkpoint's next round", state.c_str());
    for (const task_path& t : ck.task_sets()) {
      tasks.push_back(t.parts().at(0));
      sets.push_back(ck.resume_task_set(alloc, t));
      vars.emplace_back(sets.back().set());
      ck.restore(sets.back());
    }
    if (rt.mpi_rank() == 0) {
      std::printf("resumed at round %" PRIu64 " of %" PRIu64 " on %d ranks (written by %u)\n",
                  first_round, o.rounds, ranks, ck.written_ranks());
    }
  } else {
    for (std::uint64_t t = 0; t < o.tasks; ++t) {
      if (!mine(t)) continue;
      tasks.push_back(t);
      sets.push_back(claim_task_stream_set(alloc, task_path{t}));
      vars.emplace_back(sets.back().set());
    }
  }

  const std::uint64_t reseed_round = o.rounds / 2;
  for (std::uint64_t r = first_round; r < o.rounds; ++r) {
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      if (r == reseed_round) {
        sets[i]->seed(origin.spawn_sequence(job, task_path{tasks[i], 1000 + r}));
      }
      const auto dir = o.out / ("task_" + std::to_string(tasks[i]));
      std::filesystem::create_directories(dir);
      const auto file = dir / ("round_" + std::to_string(r) + ".txt");
      std::FILE* out = std::fopen(file.c_str(), "w");
      if (out == nullptr) throw io_error("cannot write " + file.string());
      vars[i].draw(out);
      if (std::fclose(out) != 0) throw io_error("cannot close " + file.string());
    }
    write_checkpoint(alloc, o.checkpoint, sets, as_blob(std::to_string(r + 1)));
    if (o.pause_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(o.pause_ms));
  }

  const verdict v = alloc.verify();
  if (rt.mpi_rank() == 0) {
    std::printf("streams %" PRIu64 " records %" PRIu64 " %s\n", v.streams, v.claims,
                v.clean() ? "clean" : "REUSE");
    if (!v.clean()) std::printf("%s\n", v.report().c_str());
    std::printf("done\n");
  }
  return v.clean() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  int status = 2;
  try {
    streamalloc::mpi::runtime rt(argc, argv);
    try {
      status = run(rt, parse(argc, argv));
    } catch (const std::exception& e) {
      // Library failures are agreed, so every rank gets here; print once.
      if (rt.mpi_rank() == 0) std::fprintf(stderr, "stream_set_restart: %s\n", e.what());
      status = 2;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stream_set_restart: %s\n", e.what());
  }
  std::fflush(stdout);
  return status;
}
