#include "streamalloc/mpi/agreement.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <chrono>
#include <cstdint>
#include <thread>
#include <string>
#include <vector>

#include "src/agreement_on.hpp"
#include "src/fault_injection.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::mpi {

namespace {

// One bit per failure kind, so that a bitwise-or all-reduce tells every rank both whether any
// rank failed and whether all failures were of one kind.
enum failure_bit : unsigned {
  reuse_bit = 1U << 0,
  invalid_argument_bit = 1U << 1,
  io_bit = 1U << 2,
  mpi_bit = 1U << 3,
  other_bit = 1U << 4,
};

// A rank's message is capped so that a huge what() cannot blow up the gather on every rank.
constexpr std::size_t max_message_bytes = 4096;

struct local_failure_info {
  unsigned bit = 0;
  std::string message;
};

local_failure_info describe(const std::exception_ptr& failure) {
  if (!failure) return {};
  try {
    std::rethrow_exception(failure);
  } catch (const reuse_error& e) {
    return {reuse_bit, e.what()};
  } catch (const invalid_argument& e) {
    return {invalid_argument_bit, e.what()};
  } catch (const io_error& e) {
    return {io_bit, e.what()};
  } catch (const mpi_error& e) {
    return {mpi_bit, e.what()};
  } catch (const std::exception& e) {
    return {other_bit, e.what()};
  } catch (...) {
    return {other_bit, "unknown exception"};
  }
}

[[noreturn]] void throw_as(unsigned kinds, const std::string& message) {
  switch (kinds) {
    case reuse_bit: throw reuse_error(message);
    case invalid_argument_bit: throw invalid_argument(message);
    case io_bit: throw io_error(message);
    default: throw mpi_error(message);
  }
}

// The injected fault (fault_injection.hpp): armed flag first, so a disarmed agreement only loads it.
std::atomic<bool> fault_armed{false};
std::mutex fault_mutex;
std::string fault_step;
int fault_rank = -1;

// This rank's failure for `what` if an armed fault selects it (and nothing failed already).
std::exception_ptr with_injected_fault(MPI_Comm comm, std::exception_ptr local_failure,
                                       std::string_view what) {
  if (local_failure || !fault_armed.load(std::memory_order_relaxed)) return local_failure;
  int rank = 0;
  check_mpi(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank (agreeing on failures)");
  const std::lock_guard<std::mutex> lock(fault_mutex);
  if (rank != fault_rank || what.find(fault_step) == std::string_view::npos) return local_failure;
  return std::make_exception_ptr(io_error(detail::injected_fault_message(std::string(what))));
}

}  // namespace

namespace detail {

void arm_fault(std::string step, int rank) {
  const std::lock_guard<std::mutex> lock(fault_mutex);
  fault_step = std::move(step);
  fault_rank = rank;
  fault_armed.store(true, std::memory_order_relaxed);
}

void disarm_fault() {
  const std::lock_guard<std::mutex> lock(fault_mutex);
  fault_armed.store(false, std::memory_order_relaxed);
  fault_step.clear();
  fault_rank = -1;
}

std::string injected_fault_message(const std::string& what) { return "injected fault in " + what; }

void fault_point(MPI_Comm comm, std::string_view what) {
  if (const std::exception_ptr fault = with_injected_fault(comm, nullptr, what)) {
    std::rethrow_exception(fault);
  }
}

void complete(MPI_Request& request, bool poll, std::string_view call) {
  if (!poll) {
    check_mpi(MPI_Wait(&request, MPI_STATUS_IGNORE), call);
    return;
  }
  // Short waits stay short; long ones (other ranks still computing) cost a test every 10 ms.
  int done = 0;
  std::chrono::microseconds pause(100);
  for (;;) {
    check_mpi(MPI_Test(&request, &done, MPI_STATUS_IGNORE), call);
    if (done != 0) return;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(10000));
  }
}

}  // namespace detail

void agree(const runtime& rt, std::exception_ptr local_failure, std::string_view what) {
  detail::agree_on(rt.comm(), std::move(local_failure), what, false);
}

namespace detail {

void agree_on(MPI_Comm comm, std::exception_ptr local_failure, std::string_view what, bool poll) {
  int size = 0;
  check_mpi(MPI_Comm_size(comm, &size), "MPI_Comm_size (agreeing on failures)");
  const local_failure_info mine =
      describe(with_injected_fault(comm, std::move(local_failure), what));
  unsigned kinds = 0;
  MPI_Request request = MPI_REQUEST_NULL;
  if (poll) {
    check_mpi(MPI_Iallreduce(&mine.bit, &kinds, 1, MPI_UNSIGNED, MPI_BOR, comm, &request),
              "MPI_Iallreduce (agreeing on failures)");
    complete(request, true, "MPI_Iallreduce (agreeing on failures)");
  } else {
    check_mpi(MPI_Allreduce(&mine.bit, &kinds, 1, MPI_UNSIGNED, MPI_BOR, comm),
              "MPI_Allreduce (agreeing on failures)");
  }
  if (kinds == 0) return;  // the common case costs one small all-reduce

  // Some rank failed: every rank learns every failing rank's message, in rank order, so that all
  // ranks build and throw the identical text.
  std::string text = mine.bit != 0 ? mine.message.substr(0, max_message_bytes) : std::string();
  const int length = static_cast<int>(text.size());
  const auto ranks = static_cast<std::size_t>(size);
  std::vector<int> lengths(ranks);
  check_mpi(MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, comm),
            "MPI_Allgather (failure message lengths)");
  std::vector<int> offsets(ranks);
  int total = 0;
  for (std::size_t r = 0; r < ranks; ++r) {
    offsets[r] = total;
    total += lengths[r];  // at most ranks * 4096: far below INT_MAX for any real job
  }
  std::string all(static_cast<std::size_t>(total), '\0');
  check_mpi(MPI_Allgatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(),
                           offsets.data(), MPI_CHAR, comm),
            "MPI_Allgatherv (failure messages)");

  // A rank with an empty message still failed if it set a bit; one flag per rank tells which.
  std::vector<unsigned> bits(ranks);
  check_mpi(MPI_Allgather(&mine.bit, 1, MPI_UNSIGNED, bits.data(), 1, MPI_UNSIGNED, comm),
            "MPI_Allgather (failure flags)");
  std::size_t failed = 0;
  std::string list;
  for (std::size_t r = 0; r < ranks; ++r) {
    if (bits[r] == 0) continue;
    ++failed;
    list += "\n  rank " + std::to_string(r) + ": " +
            all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r]));
  }
  throw_as(kinds, std::string(what) + " failed on " + std::to_string(failed) + " of " +
                      std::to_string(ranks) + " rank(s):" + list);
}

}  // namespace detail

}  // namespace streamalloc::mpi
