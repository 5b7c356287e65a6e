// audit_manifests: every claim record of every manifest, held compactly (claim_store below:
// ~56 bytes a record where a sourced_claim costs ~500), found in conflict by the identity sweep
// that find_conflicts() runs, with the same numbering, spans and judge, so the report is the
// one find_conflicts() would give for the same claims.
#include "streamalloc/claims/audit.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <unordered_map>

#include "src/registry/compact_records.hpp"
#include "streamalloc/claims/identity_sweep.hpp"
#include "streamalloc/claims/manifest_reader.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

// Where a claim came from: its manifest, and for run records its shard and line there, and
// the file (an index into the audit's file names) whose line it is.
struct place {
  std::uint32_t manifest = 0;
  std::optional<std::uint32_t> shard;
  std::uint64_t line = 0;
  std::uint32_t file = 0;
};

// Claims carry a short token as their source while the conflicts are found — "\x1f" and the
// claim record's number in 8 hex digits, short enough for std::string's inline buffer, so a
// million claims cost no million heap strings — and the conflicts' messages get "<file>:<line>"
// afterwards.
constexpr char token_mark = '\x1f';
constexpr std::size_t token_digits = 8;

std::string token(std::uint32_t record) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(1 + token_digits, token_mark);
  for (std::size_t i = 0; i < token_digits; ++i) {
    out[token_digits - i] = digits[(record >> (4 * i)) & 0xF];
  }
  return out;
}

// The record number of a token at `at` in `text`, if there is one.
std::optional<std::uint32_t> token_at(std::string_view text, std::size_t at) {
  if (at + 1 + token_digits > text.size() || text[at] != token_mark) return std::nullopt;
  std::uint32_t value = 0;
  for (std::size_t i = 1; i <= token_digits; ++i) {
    const char c = text[at + i];
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    value = (value << 4) | static_cast<std::uint32_t>(d);
  }
  return value;
}

// The records' lineage: which manifest each run's record is, and whom each restarted from.
class lineage {
 public:
  explicit lineage(const std::vector<manifest_header>& headers) : headers_(headers) {
    for (std::uint32_t i = 0; i < headers.size(); ++i) {
      if (!headers[i].run.empty()) by_run_.emplace(headers[i].run, i);
    }
  }

  // True if the claim at `abandoned` was made after the commit from which some restart leading
  // to manifest `descendant` resumed — i.e. `descendant` (or a restart between them) redid that
  // part of `abandoned`'s record.
  bool redid(const place& abandoned, std::uint32_t descendant) const {
    if (!abandoned.shard) return false;  // single-file manifests have no commits
    std::uint32_t at = descendant;
    for (std::size_t depth = 0; depth <= headers_.size(); ++depth) {
      const auto& from = headers_[at].resumed_from;
      if (!from) return false;
      const auto parent = by_run_.find(from->run);
      if (parent == by_run_.end()) return false;  // its predecessor is not being audited
      if (parent->second == abandoned.manifest) {
        const std::uint32_t shard = *abandoned.shard;
        if (shard >= from->shard_lines.size()) return false;
        // Shard line 1 is its header: claim line k + 1 is the k-th line committed.
        return abandoned.line > from->shard_lines[shard] + 1;
      }
      at = parent->second;
    }
    return false;  // a cycle of run IDs: no lineage
  }

 private:
  const std::vector<manifest_header>& headers_;
  std::unordered_map<std::string, std::uint32_t> by_run_;
};

// The streams both claims name ([lo, hi] of their runs), when one descriptor was taken twice.
struct overlap {
  std::uint64_t lo;
  std::uint64_t hi;
};

std::optional<overlap> shared_streams(const claim& a, const claim& b) {
  if (a.kind != b.kind || a.job != b.job || a.prefix != b.prefix) return std::nullopt;
  if (a.kind == claim_kind::philox_position || a.kind == claim_kind::pcg64_position) {
    return std::nullopt;  // hand-built streams have no task layout to replay
  }
  const std::uint64_t lo = std::max(a.first, b.first);
  const std::uint64_t hi = std::min(a.last(), b.last());
  if (lo > hi) return std::nullopt;
  return overlap{lo, hi};
}

// Every shared stream serves the same task in both claims (tasks advance by one per stream in
// lockstep runs, or stay the same: checking both ends covers every mix of the two).
bool same_tasks(const claim& a, const claim& b, overlap o) {
  return task_of(a, o.lo) == task_of(b, o.lo) && task_of(a, o.hi) == task_of(b, o.hi);
}

// The parts of `c` outside [o.lo, o.hi].
std::vector<claim> outside(const claim& c, overlap o) {
  std::vector<claim> out;
  if (o.lo > c.first) out.push_back(slice(c, c.first, o.lo - c.first));
  if (o.hi < c.last()) out.push_back(slice(c, o.hi + 1, c.last() - o.hi));
  return out;
}

bool is_position(claim_kind kind) noexcept {
  return kind == claim_kind::philox_position || kind == claim_kind::pcg64_position;
}

template <class T>
int compare3(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Every claim record of the audit, compactly: a claim is an entry of 32 bytes — its streams, an
// interned namespace (manifest, kind, job, prefix, owner), an interned (budget, used) pair, its
// task in a shared arena (equal tasks of consecutive claims stored once), and its record number —
// and a record is where it was read, 8 bytes. Claims are turned back into `claim`s one at a time,
// only where a check needs one (a span, a judged candidate, a use or a replay to apply).
class claim_store {
 public:
  struct entry {
    std::uint64_t first;  // position kinds: an index into positions_
    std::uint64_t count;
    std::uint32_t space;   // spaces_
    std::uint32_t task;    // detail::task_arena's field (0: none; lockstep bit)
    std::uint32_t meta;    // metas_
    std::uint32_t record;  // the claim record it is (part of): its place and token
  };
  static_assert(sizeof(entry) == 32);

  std::vector<entry> entries;

  // A claim of manifest `manifest`, of record `record` (`at` names it in errors).
  entry encode(const claim& c, std::uint32_t manifest, std::uint32_t record) {
    entry e{};
    e.space = intern_space(c, manifest);
    e.count = c.count;
    spaces_[e.space].widest = std::max(spaces_[e.space].widest, c.count);
    if (is_position(c.kind)) {
      e.first = positions_.size();
      positions_.push_back({c.first, c.sequence, c.position, c.position_high});
    } else {
      e.first = c.first;
    }
    e.meta = metas_.intern(c.budget, c.used);
    e.task = intern_task(c);
    e.record = record;
    return e;
  }

  // The claim of `e` into `c` (its buffers reused); without its task when `tasks` is false (the
  // sweep compares streams, not the tasks they serve).
  void decode(const entry& e, claim& c, bool tasks) const {
    const space& s = spaces_[e.space];
    c.kind = s.kind;
    c.job = s.job;
    c.prefix = s.prefix;
    c.owner = s.owner;
    if (is_position(s.kind)) {
      const position& p = positions_[e.first];
      c.first = p.first;
      c.sequence = p.sequence;
      c.position = p.position;
      c.position_high = p.position_high;
    } else {
      c.first = e.first;
      c.sequence = 0;
      c.position = 0;
      c.position_high = 0;
    }
    c.count = e.count;
    c.budget = metas_[e.meta].budget;
    c.used = metas_[e.meta].used;
    if (tasks) {
      c.task = tasks_.get(e.task);
      c.task_lockstep = detail::task_arena::lockstep(e.task);
    } else {
      c.task.reset();
      c.task_lockstep = false;
    }
  }
  claim decode(const entry& e) const {
    claim c;
    decode(e, c, true);
    return c;
  }

  // The first stream of `e`'s claim (position kinds hold an index in the entry).
  std::uint64_t first_of(const entry& e) const noexcept {
    return is_position(spaces_[e.space].kind) ? positions_[e.first].first : e.first;
  }
  // The namespace of claims like `c` in manifest `manifest`, if any claim has it.
  std::optional<std::uint32_t> space_of(const claim& c, std::uint32_t manifest) const {
    const auto at = space_index_.find(std::tie(manifest, c.kind, c.job, c.prefix, c.owner));
    if (at == space_index_.end()) return std::nullopt;
    return at->second;
  }
  std::uint32_t space_of(const entry& e) const noexcept { return e.space; }
  std::uint64_t widest(std::uint32_t s) const noexcept { return spaces_[s].widest; }

  // Gives back what growing while reading left unused.
  void shrink_to_fit() {
    entries.shrink_to_fit();
    tasks_.shrink_to_fit();
  }

  std::uint32_t manifest_of(const entry& e) const noexcept { return spaces_[e.space].manifest; }
  const uint128& used_of(const entry& e) const noexcept { return metas_[e.meta].used; }
  const uint128& budget_of_entry(const entry& e) const noexcept { return metas_[e.meta].budget; }

  // Whether a use of `update` (of manifest `manifest`) may touch `e`'s streams: same owner and
  // namespace, or the same hand-built stream (apply_use.hpp's rule).
  bool same_streams(const entry& e, const claim& update, std::uint32_t manifest) const {
    const space& s = spaces_[e.space];
    if (s.manifest != manifest || s.kind != update.kind || s.job != update.job ||
        s.owner != update.owner || s.prefix != update.prefix) {
      return false;
    }
    if (!is_position(s.kind)) {
      return update.sequence == 0 && update.position == 0 && update.position_high == 0;
    }
    const position& p = positions_[e.first];
    return p.sequence == update.sequence && p.position == update.position &&
           p.position_high == update.position_high;
  }

  // The order find_conflicts() numbers claims in (compare_registry_order, then the campaign's
  // rank, then the record: the token's order), for entries and for conflict sides alike. Call
  // rank() once every claim is in.
  void rank(const std::vector<std::uint32_t>& campaign_rank) {
    std::vector<std::uint32_t> by(spaces_.size());
    for (std::uint32_t i = 0; i < by.size(); ++i) by[i] = i;
    const auto fields = [&](std::uint32_t i) {
      const space& s = spaces_[i];
      return std::tie(s.owner, s.kind, s.job, s.prefix);
    };
    std::sort(by.begin(), by.end(), [&](auto x, auto y) { return fields(x) < fields(y); });
    for (std::size_t i = 0, r = 0; i < by.size(); ++i) {
      if (i > 0 && fields(by[i]) != fields(by[i - 1])) ++r;
      spaces_[by[i]].rank = static_cast<std::uint32_t>(r);
    }
    campaign_rank_ = campaign_rank;
  }

  bool before(const entry& a, const entry& b) const {
    const space& sa = spaces_[a.space];
    const space& sb = spaces_[b.space];
    if (sa.rank != sb.rank) return sa.rank < sb.rank;
    if (!is_position(sa.kind) && a.first != b.first) return a.first < b.first;
    return compare(key_of(a), key_of(b)) < 0;
  }

 private:
  struct space {
    std::uint32_t manifest;
    claim_kind kind;
    job_index job;
    std::vector<std::uint64_t> prefix;
    rank_id owner;
    std::uint32_t rank = 0;    // by (owner, kind, job, prefix): rank()
    std::uint64_t widest = 0;  // the largest count of its entries so far
  };
  struct position {
    std::uint64_t first;
    uint128 sequence, position, position_high;
  };
  // The fields compare_registry_order reads after the namespace, then campaign and record.
  struct key {
    std::uint32_t space_rank = 0;
    std::uint64_t first = 0;
    uint128 sequence = 0, position_high = 0, position = 0;
    std::uint64_t count = 0;
    const std::uint64_t* task = nullptr;
    std::optional<std::size_t> task_depth;
    bool lockstep = false;
    uint128 budget = 0, used = 0;
    std::uint32_t campaign = 0;
    std::uint32_t record = 0;
  };

  key key_of(const entry& e) const {
    const space& s = spaces_[e.space];
    key k;
    k.space_rank = s.rank;
    if (is_position(s.kind)) {
      const position& p = positions_[e.first];
      k.first = p.first;
      k.sequence = p.sequence;
      k.position_high = p.position_high;
      k.position = p.position;
    } else {
      k.first = e.first;
    }
    k.count = e.count;
    if (e.task != 0) {
      std::size_t depth = 0;
      k.task = tasks_.parts(e.task, depth);
      k.task_depth = depth;
    }
    k.lockstep = detail::task_arena::lockstep(e.task);
    k.budget = metas_[e.meta].budget;
    k.used = metas_[e.meta].used;
    k.campaign = campaign_rank_[s.manifest];
    k.record = e.record;
    return k;
  }

  static int compare(const key& a, const key& b) {
    if (int c = compare3(a.space_rank, b.space_rank)) return c;
    if (int c = compare3(a.first, b.first)) return c;
    if (int c = compare3(a.sequence, b.sequence)) return c;
    if (int c = compare3(a.position_high, b.position_high)) return c;
    if (int c = compare3(a.position, b.position)) return c;
    if (int c = compare3(a.count, b.count)) return c;
    // compare_tasks: none first, then the paths (lexicographic), then lockstep.
    if (int c = compare3(a.task_depth.has_value(), b.task_depth.has_value())) return c;
    if (a.task_depth && b.task_depth) {
      const bool less = std::lexicographical_compare(a.task, a.task + *a.task_depth, b.task,
                                                     b.task + *b.task_depth);
      const bool more = std::lexicographical_compare(b.task, b.task + *b.task_depth, a.task,
                                                     a.task + *a.task_depth);
      if (less || more) return less ? -1 : 1;
    }
    if (int c = compare3(a.lockstep, b.lockstep)) return c;
    if (int c = compare3(a.budget, b.budget)) return c;
    if (int c = compare3(a.used, b.used)) return c;
    if (int c = compare3(a.campaign, b.campaign)) return c;
    return compare3(a.record, b.record);
  }

  std::uint32_t intern_space(const claim& c, std::uint32_t manifest) {
    if (last_space_ < spaces_.size()) {
      const space& s = spaces_[last_space_];
      if (s.manifest == manifest && s.kind == c.kind && s.job == c.job && s.owner == c.owner &&
          s.prefix == c.prefix) {
        return last_space_;
      }
    }
    const auto at = space_index_.find(std::tie(manifest, c.kind, c.job, c.prefix, c.owner));
    if (at != space_index_.end()) return last_space_ = at->second;
    if (spaces_.size() >= 0xFFFFFFFFU) {
      throw invalid_argument("audit: more than 2^32 claim namespaces in one audit");
    }
    last_space_ = static_cast<std::uint32_t>(spaces_.size());
    spaces_.push_back({manifest, c.kind, c.job, c.prefix, c.owner, 0});
    space_index_.emplace(space_key(manifest, c.kind, c.job, c.prefix, c.owner), last_space_);
    return last_space_;
  }

  std::uint32_t intern_task(const claim& c) {
    if (!c.task) return 0;
    if (last_task_ != 0) {
      std::size_t depth = 0;
      const std::uint64_t* parts = tasks_.parts(last_task_, depth);
      if (std::equal(parts, parts + depth, c.task->parts().begin(), c.task->parts().end())) {
        return detail::task_arena::with_lockstep(last_task_, c.task_lockstep);
      }
    }
    last_task_ = tasks_.add(c.task, false);
    return detail::task_arena::with_lockstep(last_task_, c.task_lockstep);
  }

  using space_key =
      std::tuple<std::uint32_t, claim_kind, job_index, std::vector<std::uint64_t>, rank_id>;
  std::vector<space> spaces_;
  std::map<space_key, std::uint32_t, std::less<>> space_index_;
  std::uint32_t last_space_ = ~std::uint32_t{0};
  std::vector<position> positions_;
  detail::meta_table metas_;
  detail::task_arena tasks_;
  std::uint32_t last_task_ = 0;
  std::vector<std::uint32_t> campaign_rank_;
};

// Each claim record's place, packed in 64 bits: the file (an index into the audit's file names)
// in the high 24, the line in the low 40.
constexpr int line_bits = 40;
constexpr std::uint64_t line_mask = (std::uint64_t{1} << line_bits) - 1;

struct file_name {
  std::string name;
  std::uint32_t manifest;
  std::optional<std::uint32_t> shard;
};

// The entries of one manifest by (namespace, first stream), for applying its uses without a
// scan of all its claims per use (a record may carry a use per claim). A log-structured index:
// a short unsorted tail, and sorted levels of 64 * 2^i keys or none, merged like a binary
// counter's carries — O(log n) amortized per entry, O(log^2 n) per lookup. Built at a
// manifest's first use: manifests without uses never pay for it.
class use_index {
 public:
  void start(const claim_store& store, std::size_t from) {
    active_ = true;
    for (std::size_t i = from; i < store.entries.size(); ++i) add(store, i);
  }
  bool active() const noexcept { return active_; }

  void add(const claim_store& store, std::size_t i) {
    if (!active_) return;
    const auto& e = store.entries[i];
    tail_.push_back({store.space_of(e), i, store.first_of(e)});
    if (tail_.size() == tail_size) carry();
  }

  // Every entry of namespace `space` whose streams may meet [lo, hi] (a superset: the caller
  // checks), none twice.
  template <class Visit>
  void candidates(const claim_store& store, std::uint32_t space, std::uint64_t lo, std::uint64_t hi,
                  Visit&& visit) const {
    const std::uint64_t reach = store.widest(space) - 1;  // a claim starts at most this before lo
    const std::uint64_t from = lo > reach ? lo - reach : 0;
    for (const auto& level : levels_) {
      auto at = std::lower_bound(level.begin(), level.end(), key{space, 0, from}, before);
      for (; at != level.end() && at->space == space && at->first <= hi; ++at) visit(at->entry);
    }
    for (const key& k : tail_) {
      if (k.space == space && k.first >= from && k.first <= hi) visit(k.entry);
    }
  }

 private:
  struct key {
    std::uint32_t space;
    std::size_t entry;
    std::uint64_t first;
  };
  static bool before(const key& x, const key& y) noexcept {
    return std::tie(x.space, x.first) < std::tie(y.space, y.first);
  }
  static constexpr std::size_t tail_size = 64;

  void carry() {
    std::vector<key> run = std::move(tail_);
    tail_ = {};
    std::sort(run.begin(), run.end(), before);
    for (auto& level : levels_) {
      if (level.empty()) {
        level = std::move(run);
        return;
      }
      std::vector<key> merged;
      merged.reserve(level.size() + run.size());
      std::merge(level.begin(), level.end(), run.begin(), run.end(), std::back_inserter(merged),
                 before);
      std::vector<key>().swap(level);
      run = std::move(merged);
    }
    levels_.push_back(std::move(run));
  }

  std::vector<std::vector<key>> levels_;
  std::vector<key> tail_;
  bool active_ = false;
};

// Messages, appended into chunks of 16 MiB (no chunk is ever moved, so the text of millions of
// conflicts never needs twice its room while it grows).
class text_store {
 public:
  struct handle {
    std::uint32_t chunk;
    std::uint32_t offset;
    std::uint32_t length;
  };
  handle add(std::string_view text) {
    if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < text.size()) {
      chunks_.emplace_back();
      chunks_.back().reserve(std::max(chunk_size, text.size()));
    }
    std::string& into = chunks_.back();
    const handle h{static_cast<std::uint32_t>(chunks_.size() - 1),
                   static_cast<std::uint32_t>(into.size()),
                   static_cast<std::uint32_t>(text.size())};
    into.append(text);
    return h;
  }
  std::string_view operator[](handle h) const noexcept {
    return std::string_view(chunks_[h.chunk]).substr(h.offset, h.length);
  }

 private:
  static constexpr std::size_t chunk_size = std::size_t{16} << 20;
  std::vector<std::string> chunks_;
};

// A conflict as the audit keeps it: its claims' numbers (entries of the store), in the order its
// message names them, and its message, sources named "<file>:<line>".
struct found_conflict {
  std::uint64_t first;
  std::uint64_t second;
  text_store::handle message;
  conflict_kind kind;
};

struct found_conflicts {
  text_store text;
  std::vector<found_conflict> items;  // in message order
};

// The conflicts among the store's claims (entries in order, the i-th numbered i), as
// find_conflicts() finds them among the same claims sourced by token: the same numbering,
// spans, sweep and judge, with claims decoded one at a time. `named` turns tokens in a message
// into "<file>:<line>".
template <class Named>
found_conflicts find_stored_conflicts(const claim_store& store,
                                      const std::vector<const campaign*>& origins,
                                      const Named& named) {
  const auto& entries = store.entries;
  sweep::span_builder builder;
  claim c;
  {
    sweep::span_census census;
    for (const auto& e : entries) {
      store.decode(e, c, false);
      builder.tally(*origins[store.manifest_of(e)], c, census);
    }
    builder.use(std::move(census));
  }
  // Spans counted first, so that they take what they need and no more.
  std::size_t count = 0;
  std::vector<sweep::identity_span> spans;
  for (std::size_t ref = 0; ref < entries.size(); ++ref) {
    store.decode(entries[ref], c, false);
    builder.add(*origins[store.manifest_of(entries[ref])], c, ref, spans);
    count += spans.size();
    spans.clear();
  }
  spans.shrink_to_fit();
  spans.reserve(count);
  sweep::prefer_huge_pages(spans.data(), spans.capacity() * sizeof(sweep::identity_span));
  for (std::size_t ref = 0; ref < entries.size(); ++ref) {
    store.decode(entries[ref], c, false);
    builder.add(*origins[store.manifest_of(entries[ref])], c, ref, spans);
  }
  // In place: sort_spans' merges would borrow a buffer of up to half the spans.
  std::sort(spans.begin(), spans.end(), sweep::span_less);
  std::vector<sweep::candidate> found;
  sweep::sweep_holder holder;
  sweep::sweep(spans, holder, found);
  std::vector<sweep::identity_span>().swap(spans);  // (`= {}` would keep the capacity)
  for (std::size_t ref = 0; ref < entries.size(); ++ref) {
    const auto& e = entries[ref];
    const uint128 budget = store.budget_of_entry(e);
    if (store.used_of(e) > (budget == unlimited_budget ? implicit_budget : budget)) {
      found.push_back({ref, ref, static_cast<std::uint64_t>(sweep::span_family::over_budget)});
    }
  }
  found_conflicts out;
  out.items.reserve(found.size());
  const auto side = [&](std::uint64_t ref) {
    const auto& e = entries[ref];
    return sourced_claim{origins[store.manifest_of(e)], store.decode(e), token(e.record)};
  };
  for (const auto& f : found) {
    const sourced_claim x = side(f.first);
    const sourced_claim y = f.second == f.first ? x : side(f.second);
    std::optional<conflict> judged = sweep::conflict_collector::judge(f, x, y);
    if (!judged) continue;
    const bool kept =
        f.first == f.second || (judged->first.source == x.source && judged->first.what == x.what);
    out.items.push_back({kept ? f.first : f.second, kept ? f.second : f.first,
                         out.text.add(named(judged->message)), judged->kind});
  }
  std::vector<sweep::candidate>().swap(found);
  // One conflict of each kind per pair of claims (the smallest message, as conflict_collector
  // keeps), in message order.
  auto& items = out.items;
  const auto pair_of = [](const found_conflict& x) {
    return std::make_tuple(x.kind, std::min(x.first, x.second), std::max(x.first, x.second));
  };
  std::sort(items.begin(), items.end(), [&](const found_conflict& x, const found_conflict& y) {
    const auto px = pair_of(x);
    const auto py = pair_of(y);
    if (px != py) return px < py;
    return out.text[x.message] < out.text[y.message];
  });
  items.erase(std::unique(items.begin(), items.end(),
                          [&](const auto& x, const auto& y) { return pair_of(x) == pair_of(y); }),
              items.end());
  std::sort(items.begin(), items.end(), [&](const found_conflict& x, const found_conflict& y) {
    const std::string_view mx = out.text[x.message];
    const std::string_view my = out.text[y.message];
    if (mx != my) return mx < my;
    return pair_of(x) < pair_of(y);
  });
  items.shrink_to_fit();
  return out;
}

// The audit, handing each conflict to visit(conflict&) in message order.
template <class Visit>
audit_report audit_into(std::span<const std::filesystem::path> manifests, const Visit& visit) {
  audit_report report;
  // The same run twice would report every claim as reused: refuse it as bad input instead.
  for (std::size_t i = 0; i < manifests.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      std::error_code ec;
      if (std::filesystem::equivalent(manifests[j], manifests[i], ec) && !ec) {
        throw invalid_argument(manifests[i].string() + ":1: the same file as " +
                               manifests[j].string() + "; give each manifest once");
      }
    }
  }
  claim_store store;
  std::vector<std::uint64_t> records;  // by record number (the token): its packed place
  std::vector<file_name> files;        // the manifests' and shards' names
  std::vector<manifest_header> headers;
  // Headers first: their claim counts size the lists once (no doubling while reading).
  std::vector<std::unique_ptr<manifest_reader>> readers;
  std::uint64_t expected = 0;
  for (const auto& file : manifests) {
    readers.push_back(std::make_unique<manifest_reader>(file));
    expected += readers.back()->header().claims;
  }
  const auto reserve = static_cast<std::size_t>(std::min<std::uint64_t>(expected, 1ULL << 32));
  store.entries.reserve(reserve);
  records.reserve(reserve);
  std::vector<const campaign*> origins;
  for (std::uint32_t m = 0; m < manifests.size(); ++m) {
    manifest_reader& reader = *readers[m];
    headers.push_back(reader.header());
    report.campaigns.push_back(std::make_shared<const campaign>(reader.header().campaign));
    origins.push_back(report.campaigns.back().get());
    // Uses recorded after their claims are applied to this manifest's claims, which start at
    // `first` in the store.
    const std::size_t first = store.entries.size();
    use_index uses;
    const std::filesystem::path* file = nullptr;
    reader.read([&](const claim& c, const claim_location& at) {
      if (at.file != file) {
        file = at.file;
        if (files.size() >= (std::size_t{1} << (64 - line_bits))) {
          throw invalid_argument(file->string() + ":" + std::to_string(at.line) +
                                 ": more than 2^24 files in one audit");
        }
        files.push_back({file->string(), m, at.shard});
      }
      if (!at.update) {
        if (records.size() > 0xFFFFFFFFU) {
          throw invalid_argument(file->string() + ":" + std::to_string(at.line) +
                                 ": more than 2^32 claim records in one audit");
        }
        if (at.line > line_mask) {
          throw invalid_argument(file->string() + ":" + std::to_string(at.line) +
                                 ": a line beyond 2^40 in one file");
        }
        store.entries.push_back(store.encode(c, m, static_cast<std::uint32_t>(records.size())));
        uses.add(store, store.entries.size() - 1);
        records.push_back((static_cast<std::uint64_t>(files.size() - 1) << line_bits) | at.line);
        return;
      }
      try {
        // A use splits the claims it covers (apply_use.hpp's rule); each part keeps its
        // claim's record. The first part starts where the claim did, so it takes the claim's
        // place (the index stays right) and the others are appended (entries are put in order
        // after reading, so where they stand does not matter).
        auto& entries = store.entries;
        if (!uses.active()) uses.start(store, first);
        std::vector<std::size_t> hits;
        if (const auto space = store.space_of(c, m)) {
          uses.candidates(store, *space, c.first, c.last(),
                          [&](std::size_t i) { hits.push_back(i); });
        }
        std::uint64_t covered = 0;
        claim held;
        for (const std::size_t i : hits) {
          const auto& e = entries[i];
          if (!store.same_streams(e, c, m)) continue;
          store.decode(e, held, true);
          if (held.last() < c.first || held.first > c.last()) continue;
          const std::uint64_t lo = std::max(held.first, c.first);
          const std::uint64_t hi = std::min(held.last(), c.last());
          const std::uint32_t record = e.record;
          std::vector<claim_store::entry> parts;
          const auto part = [&](std::uint64_t from, std::uint64_t count, bool used) {
            claim piece = slice(held, from, count);
            if (used) piece.used = c.used;
            parts.push_back(store.encode(piece, m, record));
          };
          if (lo > held.first) part(held.first, lo - held.first, false);
          part(lo, hi - lo + 1, true);
          if (hi < held.last()) part(hi + 1, held.last() - hi, false);
          covered += hi - lo + 1;
          entries[i] = parts.front();
          for (std::size_t k = 1; k < parts.size(); ++k) {
            entries.push_back(parts[k]);
            uses.add(store, entries.size() - 1);
          }
        }
        if (covered != c.count) {
          throw invalid_argument("a use of " + c.describe() +
                                 " refers to streams no earlier claim of its rank holds");
        }
      } catch (const invalid_argument& e) {
        throw invalid_argument(file->string() + ":" + std::to_string(at.line) + ": " + e.what());
      }
    });
  }
  readers.clear();
  store.shrink_to_fit();  // before the sweep's spans are made: the peak is then theirs
  report.manifests.assign(manifests.begin(), manifests.end());
  report.claims = store.entries.size();

  // Campaigns ranked by value, as find_conflicts ranks them (manifests of one campaign share a
  // rank).
  {
    const auto key = [](const campaign& c) {
      return std::make_tuple(c.root().to_string(), c.root().is_list(), c.how(), c.pool_size(),
                             c.jobs());
    };
    std::vector<std::pair<decltype(key(*origins[0])), std::uint32_t>> keyed;
    for (std::uint32_t m = 0; m < origins.size(); ++m) keyed.emplace_back(key(*origins[m]), m);
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::uint32_t> campaign_rank(origins.size());
    for (std::size_t i = 0, r = 0; i < keyed.size(); ++i) {
      if (i > 0 && keyed[i].first != keyed[i - 1].first) ++r;
      campaign_rank[keyed[i].second] = static_cast<std::uint32_t>(r);
    }
    store.rank(campaign_rank);
  }
  const auto order = [&] {
    std::sort(store.entries.begin(), store.entries.end(),
              [&](const auto& a, const auto& b) { return store.before(a, b); });
  };
  order();

  const auto place_of = [&](std::uint32_t record) {
    const std::uint64_t packed = records[record];
    const file_name& f = files[packed >> line_bits];
    return place{f.manifest, f.shard, packed & line_mask,
                 static_cast<std::uint32_t>(packed >> line_bits)};
  };
  const lineage runs(headers);
  // Without a restart among the manifests no conflict can be a replay.
  const bool restarts = std::any_of(headers.begin(), headers.end(), [](const manifest_header& h) {
    return h.resumed_from.has_value();
  });
  // Tokens become "<file>:<line>" in the messages, as find_conflicts would have named them.
  const auto named = [&](std::string_view text) {
    std::string out;
    out.reserve(text.size() + 32);
    for (std::size_t i = 0; i < text.size();) {
      const auto record = token_at(text, i);
      if (record && *record < records.size()) {
        const place p = place_of(*record);
        out += files[p.file].name + ":" + std::to_string(p.line);
        i += 1 + token_digits;
      } else {
        out += text[i++];
      }
    }
    return out;
  };
  const auto side = [&](std::uint64_t ref) {
    const auto& e = store.entries[ref];
    return sourced_claim{origins[store.manifest_of(e)], store.decode(e), token(e.record)};
  };
  // Find the conflicts, set the abandoned part of every replayed claim aside, and find them
  // again, until a pass finds no replay (each pass removes at least one stream, so this ends;
  // a bound keeps pathological inputs from looping long — what is left is then reported).
  found_conflicts found;
  for (int pass = 0;; ++pass) {
    found = find_stored_conflicts(store, origins, named);
    if (pass == 64 || !restarts) break;
    // For each abandoned claim, the streams replayed (replacements computed after the scan).
    std::vector<std::pair<std::size_t, overlap>> replayed;
    std::vector<found_conflict> reuse;
    for (const found_conflict& c : found.items) {
      bool replay = false;
      if (c.kind == conflict_kind::same_descriptor) {
        const sourced_claim a = side(c.first);
        const sourced_claim b = side(c.second);
        const auto o = shared_streams(a.what, b.what);
        if (o && *a.origin == *b.origin && same_tasks(a.what, b.what, *o)) {
          for (const auto& [old, young] :
               {std::pair{c.first, c.second}, std::pair{c.second, c.first}}) {
            if (runs.redid(place_of(store.entries[old].record),
                           place_of(store.entries[young].record).manifest)) {
              replayed.emplace_back(old, *o);
              replay = true;
              break;
            }
          }
        }
      }
      if (!replay) reuse.push_back(c);
    }
    if (replayed.empty()) {
      found.items = std::move(reuse);
      break;
    }
    // Set the replayed streams aside: one claim may be replayed in several pieces, each piece
    // cut from what is still held of it (a stream set aside once in this pass is skipped).
    found = {};
    std::sort(replayed.begin(), replayed.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second.lo > y.second.lo;
    });
    std::vector<claim_store::entry> kept;
    for (std::size_t i = 0; i < replayed.size();) {
      const std::size_t index_of = replayed[i].first;
      const claim_store::entry was = store.entries[index_of];
      std::vector<claim> pieces{store.decode(was)};
      for (; i < replayed.size() && replayed[i].first == index_of; ++i) {
        const overlap o = replayed[i].second;
        const auto held = std::find_if(pieces.begin(), pieces.end(), [&](const claim& p) {
          return o.lo >= p.first && o.hi <= p.last();
        });
        if (held == pieces.end()) continue;  // already set aside in this pass
        ++report.replays;
        report.replayed_streams += o.hi - o.lo + 1;
        std::vector<claim> rest = outside(*held, o);
        const auto at = pieces.erase(held);
        pieces.insert(at, rest.begin(), rest.end());
      }
      store.entries.erase(store.entries.begin() + static_cast<std::ptrdiff_t>(index_of));
      for (const claim& p : pieces) {
        kept.push_back(store.encode(p, store.manifest_of(was), was.record));
      }
    }
    store.entries.insert(store.entries.end(), kept.begin(), kept.end());
    order();
  }
  // Each conflict built only now, one at a time, in message order.
  report.conflict_count = found.items.size();
  for (const found_conflict& c : found.items) {
    const auto& a = store.entries[c.first];
    const auto& b = store.entries[c.second];
    conflict whole{c.kind,
                   {origins[store.manifest_of(a)], store.decode(a), named(token(a.record))},
                   {origins[store.manifest_of(b)], store.decode(b), named(token(b.record))},
                   std::string(found.text[c.message])};
    visit(whole);
  }
  return report;
}

}  // namespace

audit_report audit_manifests(std::span<const std::filesystem::path> manifests) {
  std::vector<conflict> all;
  audit_report report = audit_into(manifests, [&](conflict& c) { all.push_back(std::move(c)); });
  report.conflicts = std::move(all);
  return report;
}

audit_report audit_manifests(std::span<const std::filesystem::path> manifests,
                             const std::function<void(const conflict&)>& visit) {
  return audit_into(manifests, [&](conflict& c) { visit(c); });
}

}  // namespace streamalloc::claims
