// Private: the binary records verify() exchanges between ranks.
//
// Native-endian, fixed-width fields, no padding, written field by field:
//   claim:    kind u8 | first u64 | count u64 | job u64 | prefix (u32 n, n * u64) |
//             sequence u128 | position u128 | owner u32 | task (u8 has, [u32 n, n * u64]) |
//             budget u128 | used u128 | position_high u128
//   conflict: kind u8 | claim | source (u32 n, n bytes) | claim | source | message (u32 n, bytes)
// About 100 bytes a claim, a fraction of its JSON form, and no parsing of numbers. The ranks of
// one job share an architecture, so no byte swapping. A reader never trusts a length: every
// read is bounds-checked and a short or malformed record throws mpi_error.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/error.hpp"
#include "streamalloc/mpi/claim.hpp"
#include "streamalloc/mpi/conflict.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::detail {

class wire_writer {
 public:
  explicit wire_writer(std::vector<char>& out) : out_(out) {}

  template <class T>
  void put(T value) {
    const auto at = out_.size();
    out_.resize(at + sizeof(T));
    std::memcpy(out_.data() + at, &value, sizeof(T));
  }
  void put_words(const std::vector<std::uint64_t>& words) {
    put(static_cast<std::uint32_t>(words.size()));
    for (const auto w : words) put(w);
  }
  void put_text(std::string_view text) {
    put(static_cast<std::uint32_t>(text.size()));
    out_.insert(out_.end(), text.begin(), text.end());
  }

  void put_claim(const mpi::claim& c) {
    put(static_cast<std::uint8_t>(c.kind));
    put(c.first);
    put(c.count);
    put(c.job.value());
    put_words(c.prefix);
    put(c.sequence);
    put(c.position);
    put(c.owner.value());
    put(static_cast<std::uint8_t>(c.task ? 1 : 0));
    if (c.task) put_words(c.task->parts());
    put(c.budget);
    put(c.used);
    put(c.position_high);
  }

  void put_conflict(const mpi::conflict& c) {
    put(static_cast<std::uint8_t>(c.kind));
    put_claim(c.first.what);
    put_text(c.first.source);
    put_claim(c.second.what);
    put_text(c.second.source);
    put_text(c.message);
  }

 private:
  std::vector<char>& out_;
};

class wire_reader {
 public:
  wire_reader(const char* data, std::size_t size) : data_(data), size_(size) {}

  bool done() const noexcept { return at_ == size_; }
  std::size_t position() const noexcept { return at_; }

  template <class T>
  T get() {
    need(sizeof(T));
    T value;
    std::memcpy(&value, data_ + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }
  std::vector<std::uint64_t> get_words() {
    const auto n = get<std::uint32_t>();
    need(std::size_t{n} * sizeof(std::uint64_t));
    std::vector<std::uint64_t> words(n);
    for (auto& w : words) w = get<std::uint64_t>();
    return words;
  }
  std::string get_text() {
    const auto n = get<std::uint32_t>();
    need(n);
    std::string text(data_ + at_, n);
    at_ += n;
    return text;
  }

  mpi::claim get_claim() {
    mpi::claim c;
    const auto kind = get<std::uint8_t>();
    if (kind > static_cast<std::uint8_t>(mpi::claim_kind::pcg64_position)) {
      corrupt("claim kind " + std::to_string(kind));
    }
    c.kind = static_cast<mpi::claim_kind>(kind);
    c.first = get<std::uint64_t>();
    c.count = get<std::uint64_t>();
    c.job = job_index(get<std::uint64_t>());
    c.prefix = get_words();
    c.sequence = get<uint128>();
    c.position = get<uint128>();
    c.owner = rank_id(get<std::uint32_t>());
    const auto has_task = get<std::uint8_t>();
    if (has_task > 1) corrupt("task flag " + std::to_string(has_task));
    if (has_task == 1) c.task = task_path(get_words());
    c.budget = get<uint128>();
    c.used = get<uint128>();
    c.position_high = get<uint128>();
    return c;
  }

  mpi::conflict get_conflict(const campaign* origin) {
    const auto kind = get<std::uint8_t>();
    if (kind > static_cast<std::uint8_t>(mpi::conflict_kind::over_budget)) {
      corrupt("conflict kind " + std::to_string(kind));
    }
    mpi::conflict c{static_cast<mpi::conflict_kind>(kind), {}, {}, {}};
    c.first.origin = origin;
    c.first.what = get_claim();
    c.first.source = get_text();
    c.second.origin = origin;
    c.second.what = get_claim();
    c.second.source = get_text();
    c.message = get_text();
    return c;
  }

 private:
  void need(std::size_t n) const {
    if (n > size_ - at_) corrupt("record truncated");
  }
  [[noreturn]] void corrupt(const std::string& why) const {
    throw mpi_error("verify: corrupt exchange record at byte " + std::to_string(at_) + ": " + why);
  }

  const char* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

}  // namespace streamalloc::detail
