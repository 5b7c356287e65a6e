// Writing single-file manifests (manifest.hpp): header, sealed claim lines, footer.
#include <string>

#include "src/manifest/claim_text.hpp"
#include "src/manifest/manifest_json.hpp"
#include "src/manifest/sealed_line.hpp"
#include "streamalloc/atomic_file.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

// A manifest records one run: its claims name that run's job and ranks.
void check_in_run(const claim& c, job_index job, std::uint32_t ranks, const std::string& what) {
  if (c.owner.value() >= ranks) {
    throw invalid_argument(what + ": owner rank " + std::to_string(c.owner.value()) +
                           " is outside the run's ranks [0, " + std::to_string(ranks) + ")");
  }
  if (c.job != job) {
    throw invalid_argument(what + ": job " + std::to_string(c.job.value()) +
                           " differs from the run's job " + std::to_string(job.value()));
  }
}

}  // namespace

void write_manifest(const std::filesystem::path& path, const manifest& m) {
  if (m.ranks == 0) throw invalid_argument(path.string() + ": a run has at least one rank, got 0");
  for (std::size_t i = 0; i < m.claims.size(); ++i) {
    const std::string what = path.string() + ": claim " + std::to_string(i);
    try {
      validate(m.claims[i]);
    } catch (const invalid_argument& e) {
      throw invalid_argument(what + ": " + e.what());
    }
    check_in_run(m.claims[i], m.job, m.ranks, what);
  }
  if (!m.run.empty()) detail::check_run_id(m.run, path.string() + ": run");
  // Shared-layout campaigns can only be written as format 1, which has no seals.
  const bool shared = m.campaign.jobs() == job_layout::shared;
  const std::uint64_t format = shared ? shared_layout_manifest_format : manifest_format;
  const std::string run = m.run.empty() ? random_hex64() : m.run;
  std::uint64_t line = 0;
  const auto sealed = [&](const json& object) {
    ++line;
    const std::string text = dump_json(object);
    return (shared ? text : detail::seal(text, detail::manifest_domain, line)) + "\n";
  };
  atomic_file out(path);
  std::string buffer =
      sealed(detail::header_json(format, m.campaign, m.job, m.ranks, run, m.resumed_from));
  constexpr std::size_t flush_at = std::size_t{1} << 20;
  std::string text;
  for (const auto& c : m.claims) {
    text.clear();
    detail::append_claim_text(text, c);
    ++line;
    buffer += (shared ? text : detail::seal(text, detail::manifest_domain, line)) + "\n";
    if (buffer.size() >= flush_at) {
      out.write(buffer);
      buffer.clear();
    }
  }
  buffer += sealed(json{{"end", true}, {"claims", m.claims.size()}});
  out.write(buffer);
  out.commit();
}

}  // namespace streamalloc::claims
