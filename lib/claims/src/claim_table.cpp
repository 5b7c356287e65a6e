#include "streamalloc/claims/claim_table.hpp"

#include <algorithm>
#include <string>

#include "src/registry/registry_state.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

claim from_run(const claim_table::data& d, const claim_table::data::space& s,
               const detail::run_record& r, bool tasks) {
  claim c;
  c.kind = s.kind;
  c.first = r.first;
  c.count = r.count;
  c.job = job_index(s.job);
  c.prefix = s.prefix;
  c.owner = d.owner;
  if (tasks) {
    c.task = d.tasks.get(r.task);
    c.task_lockstep = detail::task_arena::lockstep(r.task);
  }
  c.budget = d.metas[r.meta].budget;
  c.used = d.metas[r.meta].used;
  return c;
}

}  // namespace

claim_table::claim_table() : data_(std::make_shared<const data>()) {}

claim_table::claim_table(std::shared_ptr<const data> d) : data_(std::move(d)) {}

std::size_t claim_table::size() const noexcept {
  return data_->runs.size() + data_->positions.size();
}

std::uint64_t claim_table::streams() const noexcept { return data_->streams; }

claim claim_table::operator[](std::size_t i) const {
  const data& d = *data_;
  if (i >= size()) {
    throw invalid_argument("claim_table: entry " + std::to_string(i) + " of a table of " +
                           std::to_string(size()) + ", expected below " + std::to_string(size()));
  }
  if (i >= d.runs.size()) return d.positions[i - d.runs.size()];
  const auto s =
      std::upper_bound(d.spaces.begin(), d.spaces.end(), i,
                       [](std::size_t v, const data::space& sp) { return v < sp.begin; });
  return from_run(d, *(s - 1), d.runs[i], true);
}

void claim_table::for_each(const std::function<void(const claim&)>& visit, bool tasks) const {
  const data& d = *data_;
  claim c;
  for (std::size_t s = 0; s < d.spaces.size(); ++s) {
    const auto& space = d.spaces[s];
    const std::size_t end = s + 1 < d.spaces.size() ? d.spaces[s + 1].begin : d.runs.size();
    // The namespace's fields once, then only what varies per record.
    c = from_run(d, space, d.runs[space.begin], tasks);
    for (std::size_t i = space.begin; i < end; ++i) {
      const detail::run_record& r = d.runs[i];
      c.first = r.first;
      c.count = r.count;
      c.budget = d.metas[r.meta].budget;
      c.used = d.metas[r.meta].used;
      if (tasks) {
        c.task = d.tasks.get(r.task);
        c.task_lockstep = detail::task_arena::lockstep(r.task);
      }
      visit(c);
    }
  }
  for (const claim& p : d.positions) visit(p);
}

}  // namespace streamalloc::claims
