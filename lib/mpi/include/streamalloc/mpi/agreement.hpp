// streamalloc/mpi/agreement.hpp — turning a failure seen by some ranks into one outcome that
// every rank agrees on.
//
// Inside a collective operation, a rank that throws while the others wait in the next MPI call
// leaves them hanging forever. streamalloc's collectives are therefore built from local steps
// separated by agree(): every rank enters it, with or without a local failure; the ranks
// all-reduce a flag and, only if some rank failed, gather the failing ranks' messages. Then
// EVERY rank throws the same exception — listing "rank r: message" for each failing rank — or
// every rank returns normally. The exception keeps the failures' kind (reuse_error,
// invalid_argument, io_error, mpi_error) when all failures were of that one kind, and is an
// mpi_error otherwise.
//
// Both functions are MPI-collective over rt.comm(): every rank must call them, in the same order.
// They are not meant to be called from several threads of one rank at once.
#pragma once

#include <exception>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "streamalloc/mpi/runtime.hpp"

namespace streamalloc::mpi {

// Agrees on the outcome of a local step. `local_failure` is this rank's exception (null if the
// step succeeded); `what` names the operation in the message ("verify: exchanging claims").
// Returns on every rank if no rank failed; otherwise throws the same exception on every rank.
// Throws mpi_error (locally) if the agreement's own MPI calls fail.
void agree(const runtime& rt, std::exception_ptr local_failure, std::string_view what);

// Runs the local step `step()` on this rank, catching anything it throws, then agree()s. Returns
// step()'s result (if any) on every rank when all ranks succeeded. `step` must not itself enter a
// collective that other ranks might skip after a failure.
template <class Step>
auto agreed(const runtime& rt, std::string_view what, Step&& step) {
  using result = std::invoke_result_t<Step&>;
  std::exception_ptr failure;
  if constexpr (std::is_void_v<result>) {
    try {
      step();
    } catch (...) {
      failure = std::current_exception();
    }
    agree(rt, failure, what);
  } else {
    std::optional<result> value;
    try {
      value.emplace(step());
    } catch (...) {
      failure = std::current_exception();
    }
    agree(rt, failure, what);
    return std::move(*value);
  }
}

}  // namespace streamalloc::mpi
