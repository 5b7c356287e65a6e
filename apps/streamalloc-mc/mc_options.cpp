#include "mc_options.hpp"

#include <boost/program_options.hpp>
#include <iostream>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::mc {

namespace po = boost::program_options;

namespace {

// Boost's lexical_cast reads "-5" as 2^64 - 5 for unsigned targets, so counts are read as text
// and parsed strictly.
std::uint64_t parse_count(const std::string& text, const char* option) {
  const big_uint value = big_uint::parse(text, option);
  if (!value.fits_u64()) {
    throw invalid_argument(std::string(option) + ": '" + text + "' is too large (at most 2**64-1)");
  }
  return value.low_u64();
}

}  // namespace

std::optional<mc_options> parse_mc_options(int argc, char** argv) {
  std::string strategy_text = "philox";
  std::string seed_text = "12345";
  std::string histories_text = "100000";
  std::string job_text;
  std::string every_text;
  mc_options out;
  po::options_description described(
      "streamalloc-mc: 1-D slab neutron transport, one random stream per particle history,\n"
      "every stream claimed and verified by the streamalloc coordination layer.\n\n"
      "Usage: [mpirun -np N] streamalloc-mc [options]\n\nOptions");
  described.add_options()("help,h", "print this help and exit")(
      "strategy", po::value(&strategy_text)->default_value("philox"),
      "stream derivation: spawn | philox | jumped")(
      "histories", po::value(&histories_text)->default_value(histories_text),
      "number of particle histories")(
      "seed", po::value(&seed_text)->default_value("12345"),
      "campaign root seed: an integer of any size (decimal or 0x-hex) or a comma-separated list")(
      "job", po::value(&job_text),
      "this run's job index within the campaign (default 0), or 'auto': the job array index "
      "from SLURM_ARRAY_TASK_ID, PBS_ARRAY_INDEX, PBS_ARRAYID or LSB_JOBINDEX (the first set)")(
      "manifest", po::value(&out.manifest), "write the run's claims to this manifest (JSON Lines)")(
      "checkpoint", po::value(&out.checkpoint), "write checkpoints to this file")(
      "checkpoint-every", po::value(&every_text),
      "histories between checkpoints (needs --checkpoint)")(
      "resume-from", po::value(&out.resume_from),
      "a checkpoint to restart from, or a manifest whose campaign this run continues")(
      "thickness", po::value(&out.geometry.thickness)->default_value(out.geometry.thickness),
      "slab thickness in mean free paths")(
      "scattering-ratio",
      po::value(&out.geometry.scattering_ratio)->default_value(out.geometry.scattering_ratio),
      "probability that a collision scatters")("quiet,q", po::bool_switch(&out.quiet),
                                               "no progress line")(
      "timing", po::bool_switch(&out.timing),
      "also print the run's wall time and the share spent in the coordination layer "
      "(claims, verify, manifests; the slowest rank's)");
  po::variables_map values;
  po::store(po::command_line_parser(argc, argv).options(described).run(), values);
  if (values.count("help") != 0) {
    std::cout << described << '\n';
    return std::nullopt;
  }
  po::notify(values);
  const auto given = [&](const char* name) {
    return values.count(name) != 0 && !values[name].defaulted();
  };
  out.given = {given("histories"), given("seed"), given("strategy"), given("thickness"),
               given("scattering-ratio")};
  out.how = parse_strategy(strategy_text, "--strategy");
  out.seed = seed_entropy::parse(seed_text, "--seed");
  out.histories = parse_count(histories_text, "--histories");
  if (values.count("job") != 0) {
    if (job_text == "auto") {
      out.job_auto = true;
    } else {
      out.job = parse_count(job_text, "--job");
    }
  }
  if (values.count("checkpoint-every") != 0) {
    out.checkpoint_every = parse_count(every_text, "--checkpoint-every");
  }
  if (out.histories == 0) throw invalid_argument("--histories: got 0, expected at least 1");
  if (values.count("checkpoint-every") != 0 && out.checkpoint.empty()) {
    throw invalid_argument("--checkpoint-every needs --checkpoint PATH");
  }
  if (!out.checkpoint.empty() && out.checkpoint_every == 0) {
    throw invalid_argument("--checkpoint " + out.checkpoint +
                           " needs --checkpoint-every N with N >= 1");
  }
  if (!(out.geometry.thickness > 0.0)) {
    throw invalid_argument("--thickness: got " + std::to_string(out.geometry.thickness) +
                           ", expected a positive number");
  }
  if (!(out.geometry.scattering_ratio >= 0.0 && out.geometry.scattering_ratio < 1.0)) {
    throw invalid_argument("--scattering-ratio: got " +
                           std::to_string(out.geometry.scattering_ratio) +
                           ", expected a number in [0, 1)");
  }
  return out;
}

}  // namespace streamalloc::mc
