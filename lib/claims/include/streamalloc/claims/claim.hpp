// streamalloc/claims/claim.hpp — the record of a stream taken by a rank.
//
// Every stream a rank takes is recorded as a claim: how it was derived (its descriptor), who
// took it (owner rank, logical task), how many draws it may use (its budget), and — derived from
// the campaign — its canonical identity: the sequence it lies on and where it starts there.
// The coordination checks compare both: equal descriptors are reuse, equal or overlapping
// identities are reuse even when the descriptors differ (aliases).
//
// A claim covers a contiguous run of `count` streams (IDs first..first+count-1, or the last
// spawn-path component), so a million streams claimed in blocks cost a few bytes each.
// This header is serial (no <mpi.h>): manifests and `streamalloc audit` use it without MPI.
// Value type; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/stream_ids.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::claims {

enum class claim_kind : std::uint8_t {
  // campaign.spawn_sequence(job, prefix + (i,)) for i in [first, first + count).
  spawn_path,
  // campaign.philox_stream(stream_id(i)) for i in [first, first + count).
  philox_id,
  // campaign.jumped_stream(jump_index(i)) for i in [first, first + count).
  jump_index,
  // A Philox stream built by hand: key `sequence`, counter `position` (low 128 bits; the high
  // bits in `position_high`), e.g. an advanced copy of a campaign stream. count must be 1.
  philox_position,
  // A PCG64 stream built by hand: increment `sequence` (odd, as every PCG64's), LCG state
  // `position`, e.g. advance-based blocks of one root stream. count must be 1.
  pcg64_position,
};

std::string_view to_string(claim_kind kind) noexcept;
claim_kind parse_claim_kind(std::string_view text, std::string_view what);

// Budgets: one meaning for every kind. A budget is the number of draws the stream may use,
// counted in 64-bit words (next64() / NumPy's random_raw(); a double is one word, a 32-bit
// draw half of one), at least 1 and at most max_budget = 2^64. Without a budget
// (unlimited_budget, the default) a stream may draw implicit_budget = 2^64 words. What a budget
// of B words covers on the stream's sequence:
//   PCG64 kinds   (jump_index, pcg64_position)  the B LCG steps [p, p + B) from the stream's
//                 start p on its cycle;
//   Philox kinds  (philox_id, philox_position)  the ceil(B / 4) counter blocks c + 1 ..
//                 c + ceil(B / 4) of its key (NumPy increments the 256-bit counter c before it
//                 computes a block of four words; a campaign stream starts at c = 0);
//   spawn_path    whatever the SeedSequence seeds: only the over_budget check reads it.
// Why 2^64: every jumped stream of a campaign starts more than 2^65 draws from every other
// (campaign.hpp), so streams within 2^64 draws are disjoint by construction, and an overlap of
// two streams is then an intersection of two intervals on one sequence, which the checks find
// for any number of streams by sorting (conflict.hpp). Beyond 2^64 a jumped stream would run
// into the next ones, which no interval check can rule out. A budget of 0 or above 2^64 is
// refused (validate(), hence at claim time and when a manifest is read) with invalid_argument
// naming the budget and the limit. 2^64 words is centuries of generation on one core.
inline constexpr uint128 max_budget = uint128{1} << 64;
inline constexpr uint128 implicit_budget = max_budget;
// "No budget given" (the JSON form omits the field).
inline constexpr uint128 unlimited_budget = ~uint128{0};

struct claim {
  claim_kind kind = claim_kind::philox_id;
  std::uint64_t first = 0;  // first ID / jump index / last spawn-path component
  std::uint64_t count = 1;  // streams in this contiguous run (>= 1)
  job_index job{};          // the run within the campaign that took it
  // spawn_path: the spawn key after the job and before the ranged component, e.g. (rank,) or
  // (task, subtask).
  std::vector<std::uint64_t> prefix;
  uint128 sequence = 0;  // *_position kinds: Philox key / PCG64 increment
  uint128 position = 0;  // *_position kinds: Philox counter (low 128 bits) / PCG64 state
  rank_id owner{};       // the rank that took it
  // The logical task it serves, if any. For a run of streams: the task of every stream, or,
  // with task_lockstep, the task of stream `first` (see task_lockstep).
  std::optional<task_path> task;
  // Draws (64-bit words) the stream may use, in [1, max_budget], or unlimited_budget (see
  // above).
  uint128 budget = unlimited_budget;
  // Draws actually used, when the owner reported them (0 = not reported); for a run of
  // streams, the most any one of them used.
  uint128 used = 0;
  // philox_position: counter bits 128..255. NumPy's Philox.jumped() adds 2^128 to the counter,
  // so without them a jumped copy would look like the stream itself. (Last member so that
  // existing aggregate initialisers keep working.)
  uint128 position_high = 0;
  // The run's tasks advance with its IDs: stream first + k serves `task` with its last component
  // increased by k (history h on stream ID base + h serves task (h,)), so a rank's share of
  // such tasks is one record, not one per task. Meaningful only with a non-empty task and
  // count > 1; a single stream never sets it (the registry and the readers normalise it away).
  bool task_lockstep = false;

  // The last stream of the run.
  std::uint64_t last() const noexcept { return first + (count - 1); }

  // A one-line human description naming kind, descriptor, owner and task, e.g.
  // "philox stream ID 17 (rank 2, task (17,))", "philox stream IDs 0 to 999 (job 1, rank 0)",
  // "spawn path (0, 2, 5) (rank 2)", "spawn paths (0, 2, k) for k = 0 to 99 (rank 2)",
  // "Philox stream (key 0x.., counter 0x..) (rank 1)". The job is shown for non-spawn kinds
  // when it is not 0 (a spawn path starts with it).
  std::string describe() const;

  friend bool operator==(const claim&, const claim&) = default;
};

// The draws a stream of the claim may use: its budget, or implicit_budget without one.
constexpr uint128 budget_of(const claim& c) noexcept {
  return c.budget == unlimited_budget ? implicit_budget : c.budget;
}

// The task of stream `index` (in [first, last()]) of the run: `task`, advanced by
// index - first when task_lockstep is set.
std::optional<task_path> task_of(const claim& c, std::uint64_t index);

// The claim restricted to the streams [first, first + count) of its run (which must lie inside
// it): same owner, budget and use, the task of its first stream, task_lockstep kept only while
// more than one stream remains. Position kinds are returned unchanged.
claim slice(const claim& c, std::uint64_t first, std::uint64_t count);

// Where stream `index` (in [first, last()]) of a claim lies in its campaign, by the campaign's job
// layout (campaign.hpp): for a philox_id claim its Philox key, for a jump_index claim its jump
// count (PCG64(root).jumped(count); below 2^62 with separated jobs, so it fits 64 bits). These
// are the streams' identities, which every check compares. Throw invalid_argument for a jump
// index or job beyond the separated layout's limits.
uint128 philox_key_of(const campaign& origin, const claim& c, std::uint64_t index);
std::uint64_t jump_count_of(const campaign& origin, const claim& c, std::uint64_t index);

// One stream of the claim's run, without owner: "philox stream ID 5", "jump index 3",
// "spawn path (0, 2, 5)", "Philox stream (key 0x.., counter 0x..)". `index` is an ID / jump
// index / last spawn-path component in [first, last()]; ignored for the position kinds.
std::string describe_stream(const claim& c, std::uint64_t index);

// Throws invalid_argument if the claim is malformed: count 0, a run past 2^64 - 1, a prefix on
// a non-spawn kind, sequence/position on a non-position kind, a position kind with count != 1,
// an even PCG64 increment, task_lockstep without a task to advance (none, empty) or with a
// single stream, lockstep tasks whose last component would pass 2^64 - 1, or a budget of 0 or
// above max_budget (see above). used > budget is NOT an error here (find_conflicts reports it).
void validate(const claim& c);

// The JSON form of a claim (manifest lines) is in streamalloc/claims/record_json.hpp.

}  // namespace streamalloc::claims
