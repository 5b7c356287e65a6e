// streamalloc/claims/claim_table.hpp — an immutable, compact copy of one rank's claims.
//
// claim_registry::table() takes one, under the registry's lock, in the registry's order (kind,
// job, prefix, first; then hand-built streams by kind, job, sequence and position): a run of
// streams is one entry of ~24 bytes plus its task, so a copy of a million claims is a few tens
// of megabytes copied in milliseconds. verify() works from one, so claims added while it runs
// do not disturb it, and reads any entry back by index when it reports a conflict.
// Serial; a table never changes: const members may be called from any number of threads, and
// copies share the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "streamalloc/claims/claim.hpp"

namespace streamalloc::claims {

class claim_registry;

class claim_table {
 public:
  claim_table();  // empty

  // Claim records (a run counts once) and streams (a run counts `count` times).
  std::size_t size() const noexcept;
  std::uint64_t streams() const noexcept;

  // The i-th claim, i < size(); throws invalid_argument otherwise.
  claim operator[](std::size_t i) const;

  // Calls visit(c) for every claim, in order. With tasks == false the claims carry no task
  // (cheaper: for checks that compare streams, not the tasks they serve).
  void for_each(const std::function<void(const claim&)>& visit, bool tasks = true) const;

  // The storage itself, opaque outside the library (the checks read it record by record).
  struct data;
  const data& internals() const noexcept { return *data_; }

 private:
  friend class claim_registry;
  explicit claim_table(std::shared_ptr<const data> d);
  std::shared_ptr<const data> data_;
};

}  // namespace streamalloc::claims
