// main() of every MPI test program, KaMPIng style: MPI is initialised through our runtime, every
// rank runs the same tests in the same order, only rank 0 prints the usual GoogleTest output
// (other ranks print just their failures, prefixed with their rank), and the process exit code
// is the all-reduced verdict, so a failure on ANY rank fails the test on every rank — and so the
// ctest.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "mpi_test_support.hpp"
#include "streamalloc/mpi/runtime.hpp"

namespace streamalloc::mpi::testing {

namespace {

const runtime* the_runtime = nullptr;

// On ranks other than 0: failures only, with the rank, so a rank-local failure is visible.
class failure_printer : public ::testing::EmptyTestEventListener {
 public:
  explicit failure_printer(int rank) : rank_(rank) {}
  // The test's name is kept here: UnitTest::current_test_info() takes the lock GoogleTest holds
  // while it reports a result, so calling it from OnTestPartResult deadlocks.
  void OnTestStart(const ::testing::TestInfo& info) override {
    test_ = std::string(info.test_suite_name()) + "." + info.name();
  }
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (!result.failed()) return;
    std::fprintf(stderr, "[rank %d] %s: %s:%d: %s\n", rank_, test_.c_str(),
                 result.file_name() != nullptr ? result.file_name() : "?", result.line_number(),
                 result.message());
    std::fflush(stderr);
  }

 private:
  int rank_;
  std::string test_;
};

}  // namespace

const runtime& world() { return *the_runtime; }

bool all_ranks(bool local) {
  int mine = local ? 1 : 0;
  int all = 0;
  check_mpi(MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, world().comm()), "MPI_Allreduce");
  return all == 1;
}

std::vector<std::uint64_t> gather_all(const std::vector<std::uint64_t>& local) {
  const auto ranks = static_cast<std::size_t>(world().size());
  const int count = static_cast<int>(local.size());
  std::vector<int> counts(ranks);
  check_mpi(MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, world().comm()),
            "MPI_Allgather");
  std::vector<int> displs(ranks);
  int total = 0;
  for (std::size_t r = 0; r < ranks; ++r) {
    displs[r] = total;
    total += counts[r];
  }
  std::vector<std::uint64_t> all(static_cast<std::size_t>(total));
  check_mpi(MPI_Allgatherv(local.data(), count, MPI_UINT64_T, all.data(), counts.data(),
                           displs.data(), MPI_UINT64_T, world().comm()),
            "MPI_Allgatherv");
  return all;
}

bool same_on_all_ranks(const std::string& text) {
  std::vector<std::uint64_t> bytes(text.begin(), text.end());
  const auto all = gather_all(bytes);
  const std::size_t n = bytes.size();
  bool same = all.size() == n * static_cast<std::size_t>(world().size());
  for (std::size_t i = 0; same && i < all.size(); ++i) same = all[i] == bytes[i % n];
  return all_ranks(same);
}

void barrier() { check_mpi(MPI_Barrier(world().comm()), "MPI_Barrier"); }

}  // namespace streamalloc::mpi::testing

int main(int argc, char** argv) {
  int exit_code = 1;
  {
    // Our runtime initialises MPI (it is not yet initialised) and so also finalises it.
    // STREAMALLOC_MPI_TEST_THREAD_LEVEL=serialized runs the suite as a code that cannot have
    // MPI_THREAD_MULTIPLE would (e.g. under Open MPI's osc/pt2pt, which refuses it).
    const char* level = std::getenv("STREAMALLOC_MPI_TEST_THREAD_LEVEL");
    const bool serialized = level != nullptr && std::string(level) == "serialized";
    streamalloc::mpi::runtime rt(argc, argv, MPI_COMM_WORLD,
                                 serialized ? MPI_THREAD_SERIALIZED : MPI_THREAD_MULTIPLE);
    streamalloc::mpi::testing::the_runtime = &rt;
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::TestEventListeners& listeners = ::testing::UnitTest::GetInstance()->listeners();
    if (rt.mpi_rank() != 0) {
      delete listeners.Release(listeners.default_result_printer());
      listeners.Append(new streamalloc::mpi::testing::failure_printer(rt.mpi_rank()));
    }
    const int local = RUN_ALL_TESTS() == 0 ? 0 : 1;
    int any = 0;
    streamalloc::mpi::check_mpi(MPI_Allreduce(&local, &any, 1, MPI_INT, MPI_MAX, rt.comm()),
                                "MPI_Allreduce (test verdict)");
    if (rt.mpi_rank() == 0 && any != 0 && local == 0) {
      std::fprintf(stderr, "[rank 0] all tests passed here, but a test failed on another rank\n");
    }
    exit_code = any;
    streamalloc::mpi::testing::the_runtime = nullptr;
  }
  return exit_code;
}
