// streamalloc_audit, streamalloc_resume_point, streamalloc_verdict_*: checks across run records.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "boundary.hpp"
#include "streamalloc/claims/audit.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "types.hpp"

using namespace streamalloc;
using namespace streamalloc::capi;

namespace {

const verdict_data& verdict_of(const streamalloc_verdict* v) { return *checked(v, "v").value; }

std::vector<std::filesystem::path> paths_of(const char* const* manifests, std::int64_t n) {
  const std::size_t count = count_of(n, "n");
  require_array(manifests, n, "manifests");
  std::vector<std::filesystem::path> paths;
  paths.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string what = "manifests[" + std::to_string(i) + "]";
    paths.emplace_back(text_of(manifests[i], what.c_str()));
  }
  return paths;
}

std::string plural(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

extern "C" {

streamalloc_status streamalloc_verdict_clean(const streamalloc_verdict* v, bool* clean) {
  return call(__func__, [&] {
    const verdict_data& d = verdict_of(v);
    require_out(clean, "clean");
    *clean = d.clean;
  });
}

streamalloc_status streamalloc_verdict_conflicts(const streamalloc_verdict* v, int64_t* count) {
  return call(__func__, [&] {
    const verdict_data& d = verdict_of(v);
    require_out(count, "count");
    *count = d.conflicts;
  });
}

streamalloc_status streamalloc_verdict_claims(const streamalloc_verdict* v, int64_t* count) {
  return call(__func__, [&] {
    const verdict_data& d = verdict_of(v);
    require_out(count, "count");
    *count = d.claims;
  });
}

streamalloc_status streamalloc_verdict_report(const streamalloc_verdict* v, char* buf,
                                              int64_t capacity, int64_t* length) {
  return call(__func__, [&] { write_out(verdict_of(v).report, buf, capacity, length); });
}

streamalloc_status streamalloc_verdict_require_clean(const streamalloc_verdict* v) {
  return call(__func__, [&] {
    const verdict_data& d = verdict_of(v);
    if (!d.clean) throw reuse_error(d.report);
  });
}

streamalloc_status streamalloc_verdict_free(streamalloc_verdict* v) {
  return call(__func__, [&] { free_handle(v, "v"); });
}

streamalloc_status streamalloc_audit(const char* const* manifests, int64_t n,
                                     streamalloc_verdict** out) {
  return call(__func__, [&] {
    const std::vector<std::filesystem::path> paths = paths_of(manifests, n);
    require_out(out, "out");
    if (paths.empty()) throw invalid_argument("no manifests given (n = 0)");
    // The same text `streamalloc audit` prints (claims/audit.cpp's run_audit), its lines
    // gathered as the audit hands the conflicts over.
    verdict_data d;
    const claims::audit_report report = claims::audit_manifests(
        paths, [&](const claims::conflict& c) { d.report += c.message + "\n"; });
    d.clean = report.clean();
    d.conflicts = static_cast<std::int64_t>(report.conflict_count);
    d.claims = static_cast<std::int64_t>(report.claims);
    d.report += "audit: " + plural(report.manifests.size(), "manifest") + ", " +
                plural(report.claims, "claim") + ", " +
                (d.clean ? std::string("no conflicts") : plural(report.conflict_count, "conflict"));
    if (report.replays != 0) {
      d.report += ", " + plural(report.replays, "replay") + " after restarts accepted (" +
                  plural(report.replayed_streams, "stream") + ")";
    }
    d.report += "\n";
    *out = make_handle<streamalloc_verdict>(std::move(d));
  });
}

streamalloc_status streamalloc_resume_point(const char* const* manifests, int64_t n,
                                            const streamalloc_campaign* expected, int64_t job,
                                            uint64_t* run_job, uint64_t* next_stream,
                                            uint64_t* next_jump, uint64_t* next_job) {
  return call(__func__, [&] {
    const std::vector<std::filesystem::path> paths = paths_of(manifests, n);
    const campaign* want = expected == nullptr ? nullptr : &*checked(expected, "expected").value;
    if (job < -1) {
      throw invalid_argument("job = " + std::to_string(job) +
                             ", expected a job index >= 0, or -1 for a new job");
    }
    require_out(run_job, "run_job");
    require_out(next_stream, "next_stream");
    require_out(next_jump, "next_jump");
    require_out(next_job, "next_job");
    std::optional<job_index> which;
    if (job >= 0) which = job_index(static_cast<std::uint64_t>(job));
    const claims::resume_point at = claims::find_resume_point(paths, want, which);
    *run_job = at.job.value();
    *next_stream = at.next_stream.value();
    *next_jump = at.next_jump.value();
    *next_job = at.next_job.value();
  });
}

}  // extern "C"
