// Where a new run of a campaign continues: free IDs and indices after earlier runs' records.
#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "src/manifest/manifest_json.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/manifest_reader.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

using detail::describe_campaign;
using detail::where;

// Two campaigns of the same root, strategy and pool size: one campaign, whatever layout its
// records were written in.
bool same_root(const campaign& a, const campaign& b) {
  return a.root() == b.root() && a.how() == b.how() && a.pool_size() == b.pool_size();
}

// Where the first free Philox ID and jump index of job `job`'s region (separated layout) lie
// after the claims of one campaign's manifests.
class free_region {
 public:
  explicit free_region(job_index job) : job_(job) {}

  // Counts claim `c` of a manifest of `layout`. A shared-layout claim's ID i is key
  // root_key + i: job 0's ID i; its jump index i is jump count i: job i >> 40's index
  // i mod 2^40.
  void add(const claim& c, job_layout layout) {
    const bool shared = layout == job_layout::shared;
    if (c.kind == claim_kind::philox_id) {
      const job_index region = shared ? job_index(0) : c.job;
      if (region == job_ && c.last() >= stream_.value()) {
        stream_ = stream_id(after(c.last(), "philox stream ID"));
      }
    } else if (c.kind == claim_kind::jump_index) {
      if (!shared) {
        if (c.job == job_ && c.last() >= jump_.value()) {
          jump_ = jump_index(after(c.last(), "jump index"));
        }
        return;
      }
      // The shared indices [first, last] as separated (job, index) pairs: only the part inside
      // job `job`'s 2^40 counts matters.
      if (job_.value() >= max_jumped_jobs) return;
      const std::uint64_t region_first = job_.value() << 40;
      const std::uint64_t region_last = region_first + (jump_indices_per_job - 1);
      if (c.last() < region_first || c.first > region_last) return;
      const std::uint64_t last = std::min(c.last(), region_last) - region_first;
      jump_ = std::max(jump_, jump_index(last + 1));
    }
  }

  stream_id stream() const noexcept { return stream_; }
  jump_index jump() const noexcept { return jump_; }

 private:
  static std::uint64_t after(std::uint64_t last, const char* what) {
    if (last == std::numeric_limits<std::uint64_t>::max()) {
      throw invalid_argument(std::string("no free ") + what + " left: 2^64 - 1 is claimed");
    }
    return last + 1;
  }

  job_index job_;
  stream_id stream_{};
  jump_index jump_{};
};

}  // namespace

manifest::free_point manifest::next_free() const {
  const auto after = [](std::uint64_t last, const char* what) {
    if (last == std::numeric_limits<std::uint64_t>::max()) {
      throw invalid_argument(std::string("no free ") + what + " left: 2^64 - 1 is claimed");
    }
    return last + 1;
  };
  free_point out;
  for (const auto& c : claims) {
    if (c.kind == claim_kind::philox_id && c.last() >= out.stream.value()) {
      out.stream = stream_id(after(c.last(), "philox stream ID"));
    } else if (c.kind == claim_kind::jump_index && c.last() >= out.jump.value()) {
      out.jump = jump_index(after(c.last(), "jump index"));
    }
  }
  return out;
}

resume_point find_resume_point(std::span<const std::filesystem::path> manifests,
                               const campaign* expected, std::optional<job_index> job) {
  if (manifests.empty()) {
    throw invalid_argument("resume: no manifest given, expected at least one");
  }
  // Headers first (the job a new run takes depends on all of them), then the claims, one at a
  // time: a record of millions of claims is never held.
  std::vector<std::unique_ptr<manifest_reader>> readers;
  readers.reserve(manifests.size());
  for (const auto& file : manifests) {
    readers.push_back(std::make_unique<manifest_reader>(file));
    const manifest_header& m = readers.back()->header();
    if (expected != nullptr && !same_root(m.campaign, *expected)) {
      throw invalid_argument(where(file, 1) + "manifest of a different campaign (" +
                             describe_campaign(m.campaign) + ") than this run's (" +
                             describe_campaign(*expected) +
                             "); a resumed run continues the campaign of its manifests");
    }
    const campaign& first = readers.front()->header().campaign;
    if (!same_root(m.campaign, first)) {
      throw invalid_argument(where(file, 1) + "manifest of a different campaign (" +
                             describe_campaign(m.campaign) + ") than " + manifests[0].string() +
                             " (" + describe_campaign(first) +
                             "); a run resumes one campaign at a time");
    }
    if (m.job.value() == std::numeric_limits<std::uint64_t>::max()) {
      throw invalid_argument(where(file, 1) + "job index 2^64 - 1 leaves no next job");
    }
  }
  const campaign& first = readers.front()->header().campaign;
  resume_point out{campaign(first.root(), first.how(), first.pool_size(), job_layout::separated),
                   {},
                   {},
                   {},
                   {}};
  for (const auto& reader : readers) {
    out.next_job = std::max(out.next_job, job_index(reader->header().job.value() + 1));
  }
  out.job = job.value_or(out.next_job);
  free_region region(out.job);
  for (std::size_t i = 0; i < readers.size(); ++i) {
    const job_layout layout = readers[i]->header().campaign.jobs();
    readers[i]->read([&](const claim& c, const claim_location& at) {
      if (at.update) return;
      try {
        region.add(c, layout);
      } catch (const invalid_argument& e) {
        throw invalid_argument(where(*at.file, at.line) + e.what());
      }
    });
  }
  out.next_stream = region.stream();
  out.next_jump = region.jump();
  return out;
}

}  // namespace streamalloc::claims
