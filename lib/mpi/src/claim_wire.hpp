// Private: the binary claim records verify() gathers for the claims its conflicts name.
//
// Native-endian, fixed-width fields, no padding, written field by field; a flags byte says
// which of the optional fields follow, so a typical claim (an ID run with a one-level task) is
// 34 bytes:
//   claim:    kind u8 | flags u8 | first u64 | count u64 | owner u32 |
//             [job u64] | [prefix: u32 n, n * u64] | [sequence u128 | position u128] |
//             [position_high u128] | [task: u32 n, n * u64] | [budget u128] | [used u128]
//             (flags: see field_flag; task_lockstep is a flag of its own)
// The ranks of one job share an architecture, so no byte swapping. A reader never trusts a
// length: every read is bounds-checked and a short or malformed record throws mpi_error.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/error.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::detail {

// Which optional claim fields a record carries.
enum field_flag : std::uint8_t {
  has_job = 1,            // job != 0
  has_prefix = 2,         // non-empty prefix
  has_position = 4,       // sequence and position (the position kinds)
  has_position_high = 8,  // position_high != 0
  has_task = 16,
  task_in_lockstep = 32,
  has_budget = 64,  // budget != unlimited_budget
  has_used = 128,   // used != 0
};

// The shortest claim record: kind, flags, first, count, owner.
inline constexpr std::size_t min_claim_record_bytes = 1 + 1 + 8 + 8 + 4;

class wire_writer {
 public:
  explicit wire_writer(std::vector<char>& out) : out_(out) {}

  template <class T>
  void put(T value) {
    const char* bytes = reinterpret_cast<const char*>(&value);
    out_.insert(out_.end(), bytes, bytes + sizeof(T));  // appends without zero-filling first
  }
  void put_words(const std::vector<std::uint64_t>& words) {
    put(static_cast<std::uint32_t>(words.size()));
    const char* bytes = reinterpret_cast<const char*>(words.data());
    out_.insert(out_.end(), bytes, bytes + words.size() * sizeof(std::uint64_t));
  }
  void put_text(std::string_view text) {
    put(static_cast<std::uint32_t>(text.size()));
    out_.insert(out_.end(), text.begin(), text.end());
  }

  void put_claim(const claims::claim& c) {
    const bool position_kind = c.kind == claims::claim_kind::philox_position ||
                               c.kind == claims::claim_kind::pcg64_position;
    std::uint8_t flags = 0;
    if (c.job.value() != 0) flags |= has_job;
    if (!c.prefix.empty()) flags |= has_prefix;
    if (position_kind) flags |= has_position;
    if (c.position_high != 0) flags |= has_position_high;
    if (c.task) flags |= has_task;
    if (c.task_lockstep) flags |= task_in_lockstep;
    if (c.budget != claims::unlimited_budget) flags |= has_budget;
    if (c.used != 0) flags |= has_used;
    put(static_cast<std::uint8_t>(c.kind));
    put(flags);
    put(c.first);
    put(c.count);
    put(c.owner.value());
    if (flags & has_job) put(c.job.value());
    if (flags & has_prefix) put_words(c.prefix);
    if (flags & has_position) {
      put(c.sequence);
      put(c.position);
    }
    if (flags & has_position_high) put(c.position_high);
    if (flags & has_task) put_words(c.task->parts());
    if (flags & has_budget) put(c.budget);
    if (flags & has_used) put(c.used);
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
    if (n != 0) std::memcpy(words.data(), data_ + at_, std::size_t{n} * sizeof(std::uint64_t));
    at_ += std::size_t{n} * sizeof(std::uint64_t);
    return words;
  }
  std::string get_text() {
    const auto n = get<std::uint32_t>();
    need(n);
    std::string text(data_ + at_, n);
    at_ += n;
    return text;
  }

  claims::claim get_claim() {
    claims::claim c;
    const auto kind = get<std::uint8_t>();
    if (kind > static_cast<std::uint8_t>(claims::claim_kind::pcg64_position)) {
      corrupt("claim kind " + std::to_string(kind));
    }
    c.kind = static_cast<claims::claim_kind>(kind);
    const auto flags = get<std::uint8_t>();
    c.first = get<std::uint64_t>();
    c.count = get<std::uint64_t>();
    c.owner = rank_id(get<std::uint32_t>());
    if (flags & has_job) c.job = job_index(get<std::uint64_t>());
    if (flags & has_prefix) c.prefix = get_words();
    if (flags & has_position) {
      c.sequence = get<uint128>();
      c.position = get<uint128>();
    }
    if (flags & has_position_high) c.position_high = get<uint128>();
    if (flags & has_task) c.task = task_path(get_words());
    c.task_lockstep = (flags & task_in_lockstep) != 0;
    if (flags & has_budget) c.budget = get<uint128>();
    if (flags & has_used) c.used = get<uint128>();
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
