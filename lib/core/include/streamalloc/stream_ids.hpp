// streamalloc/stream_ids.hpp — distinct types for the numbers that identify streams.
//
// A stream ID (Philox strategy), a jump index (jumped strategy), an MPI rank and a job index are
// all small integers, and mixing them up silently reuses streams: `seed + rank`, or a rank passed
// where a stream ID is meant. Each is its own type here, constructed explicitly, with no
// arithmetic across types, so such mistakes do not compile. Value types; thread-compatible.
#pragma once

#include <compare>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "streamalloc/error.hpp"

namespace streamalloc {

template <class Tag, class Rep = std::uint64_t>
class strong_index {
 public:
  using rep = Rep;

  constexpr strong_index() noexcept = default;
  constexpr explicit strong_index(Rep value) noexcept : value_(value) {}

  constexpr Rep value() const noexcept { return value_; }

  // The index `n` places further in the same space; throws instead of wrapping around.
  constexpr strong_index offset(Rep n) const {
    if (n > std::numeric_limits<Rep>::max() - value_) {
      throw invalid_argument(std::string(Tag::name) + " " + std::to_string(value_) + " + " +
                             std::to_string(n) + " overflows");
    }
    return strong_index(static_cast<Rep>(value_ + n));
  }

  friend constexpr auto operator<=>(strong_index, strong_index) noexcept = default;

 private:
  Rep value_{};
};

struct stream_id_tag {
  static constexpr const char* name = "stream ID";
};
struct jump_index_tag {
  static constexpr const char* name = "jump index";
};
struct rank_tag {
  static constexpr const char* name = "rank";
};
struct job_index_tag {
  static constexpr const char* name = "job index";
};

// The i-th Philox stream of a campaign: key = root key + i.
using stream_id = strong_index<stream_id_tag>;
// The i-th jumped PCG64 stream of a campaign: PCG64(root).jumped(i).
using jump_index = strong_index<jump_index_tag>;
// An MPI rank.
using rank_id = strong_index<rank_tag, std::uint32_t>;
// A run's index within its campaign (job arrays share one campaign).
using job_index = strong_index<job_index_tag>;

// A position in a tree of tasks: (task, subtask, subsubtask, ...) or, rank-rooted,
// (rank, subtask, ...). Spawn-strategy streams append it to the job index as the spawn key.
class task_path {
 public:
  task_path() = default;
  task_path(std::initializer_list<std::uint64_t> parts) : parts_(parts) {}
  explicit task_path(std::vector<std::uint64_t> parts) : parts_(std::move(parts)) {}
  // The rank-rooted path of a rank: (rank,).
  static task_path rank_rooted(rank_id rank) { return task_path{rank.value()}; }

  // This path extended by one level: the sub-task `index` of this task.
  task_path child(std::uint64_t index) const {
    task_path out = *this;
    out.parts_.push_back(index);
    return out;
  }

  const std::vector<std::uint64_t>& parts() const noexcept { return parts_; }
  std::size_t depth() const noexcept { return parts_.size(); }
  bool empty() const noexcept { return parts_.empty(); }

  // "(1, 2, 3)", as Python prints a tuple ("(4,)" for one element).
  std::string to_string() const;

  friend auto operator<=>(const task_path&, const task_path&) = default;

 private:
  std::vector<std::uint64_t> parts_;
};

}  // namespace streamalloc
