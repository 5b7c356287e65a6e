#include "starting_point.hpp"

#include <filesystem>
#include <span>
#include <string>

#include "checkpoint.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/manifest_reader.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::mc {
namespace {

std::string text_of(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

// Refuses an option given on the command line that differs from the checkpoint's value.
void agree_with(bool given, const std::string& option, const std::string& mine,
                const std::string& saved, const std::string& from) {
  if (!given || mine == saved) return;
  throw invalid_argument(option + " " + mine + " contradicts " + from + ", made with " + option +
                         " " + saved + " (leave " + option + " out to continue with " + saved +
                         ")");
}

starting_point restart(const mc_options& options, std::optional<job_index> job) {
  const checkpoint saved = read_checkpoint(options.resume_from);
  const std::string from = "the checkpoint " + options.resume_from;
  const campaign& origin = saved.streams.campaign;
  agree_with(options.given.histories, "--histories", std::to_string(options.histories),
             std::to_string(saved.histories), from);
  agree_with(options.given.seed, "--seed", options.seed.to_string(), origin.root().to_string(),
             from);
  agree_with(options.given.strategy, "--strategy", std::string(to_string(options.how)),
             std::string(to_string(origin.how())), from);
  agree_with(job.has_value(), "--job", job ? std::to_string(job->value()) : "",
             std::to_string(saved.streams.job.value()), from);
  agree_with(options.given.thickness, "--thickness", text_of(options.geometry.thickness),
             text_of(saved.geometry.thickness), from);
  agree_with(options.given.scattering_ratio, "--scattering-ratio",
             text_of(options.geometry.scattering_ratio), text_of(saved.geometry.scattering_ratio),
             from);
  // The streams' part comes from the library's record position: campaign, job, lineage.
  auto lineage = saved.streams.as_lineage();
  if (lineage) lineage->checkpoint = options.resume_from;
  return {origin,          saved.streams.job, saved.histories, saved.base,
          saved.completed, saved.totals,      saved.geometry,  std::move(lineage)};
}

}  // namespace

starting_point decide_start(const mc_options& options, std::optional<job_index> job) {
  if (!options.resume_from.empty() && is_checkpoint_file(options.resume_from)) {
    return restart(options, job);
  }
  starting_point start{campaign(options.seed, options.how),
                       job.value_or(job_index(0)),
                       options.histories,
                       0,
                       0,
                       {},
                       options.geometry,
                       std::nullopt};
  if (options.resume_from.empty()) return start;
  const std::filesystem::path manifest_path = options.resume_from;
  // The campaign is the manifest's: its seed and strategy unless the command line names them
  // (find_resume_point refuses another campaign).
  {
    const claims::manifest_reader reader(manifest_path);
    const campaign& theirs = reader.header().campaign;
    start.origin =
        campaign(options.given.seed ? options.seed : theirs.root(),
                 options.given.strategy ? options.how : theirs.how(), theirs.pool_size());
  }
  // Without --job the run is a new job of the campaign (a region no earlier run used); with
  // --job J it continues job J's region after the IDs and indices its earlier runs claimed.
  const auto resume = claims::find_resume_point(std::span(&manifest_path, 1), &start.origin, job);
  start.job = resume.job;
  switch (start.origin.how()) {
    case strategy::philox: start.base = resume.next_stream.value(); break;
    case strategy::jumped: start.base = resume.next_jump.value(); break;
    case strategy::spawn: break;  // spawn paths (job, h): a run of a new job has fresh keys
  }
  return start;
}

}  // namespace streamalloc::mc
