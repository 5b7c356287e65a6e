// `streamalloc stream --manifest M (--task T | --stream-id N | --jump-index N | --spawn-path P)`:
// one stream of a run's record, found (streamalloc::claims::find_streams) and shown as the NumPy
// expression that rebuilds it and NumPy's state dict — or, with --count N, drawn from exactly as
// `generate` draws (raw words, 32-bit words or doubles, text or binary). Exit 0 found, 1 no claim
// of the record holds it (one line naming it), 2 bad input.
#include <unistd.h>

#include <iostream>
#include <vector>

#include "command_line.hpp"
#include "commands.hpp"
#include "option_values.hpp"
#include "output_sink.hpp"
#include "streamalloc/claims/record_stream.hpp"
#include "streamalloc/error.hpp"
#include "value_writer.hpp"

namespace streamalloc::cli {
namespace {

constexpr const char* usage_text =
    "Usage: streamalloc stream --manifest M (--task T1,T2,... | --stream-id N | --jump-index N |\n"
    "                          --spawn-path P1,P2,...) [--bitgen B] [--count N [--output K]\n"
    "                          [--format F]]\n"
    "\n"
    "Finds a stream in a run's record (a manifest written by streamalloc's MPI runtime, e.g.\n"
    "streamalloc-mc --manifest): the stream that served a task, a Philox stream ID or jump\n"
    "index of the record's job, or a spawn path (after the job: 5 for spawn_key=(job, 5)).\n"
    "Prints what it is, the NumPy expression that rebuilds it (Philox(key=0x...),\n"
    "PCG64(SeedSequence(7)).jumped(12), PCG64(SeedSequence(7, spawn_key=(0, 5)))) and its\n"
    "state as NumPy's bit_generator.state JSON. With --count N it prints N draws instead,\n"
    "exactly as 'streamalloc generate' does (--output u64|u32|double, --format text|binary).\n"
    "\n"
    "Exit status: 0 found, 1 no claim of the record holds it, 2 bad input.\n";

std::vector<std::uint64_t> u64_list(const std::string& text, const char* what) {
  std::vector<std::uint64_t> out;
  for (const big_uint& v : parse_spawn_key(text, what)) {
    if (!v.fits_u64()) {
      throw invalid_argument(std::string(what) + ": '" + text + "' has a component above 2^64 - 1");
    }
    out.push_back(v.low_u64());
  }
  if (out.empty()) throw invalid_argument(std::string(what) + ": empty, expected N1,N2,...");
  return out;
}

template <class T>
void write_draws(any_bit_generator& gen, std::uint64_t count, value_writer& writer) {
  std::vector<T> chunk(std::size_t{1} << 13);
  while (count > 0) {
    const std::size_t n = count >= chunk.size() ? chunk.size() : static_cast<std::size_t>(count);
    const std::span<T> values(chunk.data(), n);
    if constexpr (std::is_same_v<T, std::uint64_t>) {
      gen.fill_raw(values);
    } else {
      gen.fill(values);
    }
    writer.write(std::span<const T>(values));
    count -= n;
  }
}

}  // namespace

int run_stream(std::span<const std::string> args) {
  po::options_description options("Options");
  options.add_options()("help,h", "show this help and exit")(
      "manifest", po::value<std::string>()->value_name("M"), "the run's manifest")(
      "task", po::value<std::string>()->value_name("T"), "the task the stream served: T1,T2,...")(
      "stream-id", po::value<std::string>()->value_name("N"), "a Philox stream ID of the record")(
      "jump-index", po::value<std::string>()->value_name("N"), "a jump index of the record")(
      "spawn-path", po::value<std::string>()->value_name("P"),
      "a spawn path after the job: P1,P2,...")(
      "bitgen", po::value<std::string>()->default_value("pcg64")->value_name("B"),
      "the bit generator a spawned SeedSequence feeds (the demo's is pcg64)")(
      "count", po::value<std::string>()->value_name("N"), "print N draws instead")(
      "output", po::value<std::string>()->default_value("u64")->value_name("KIND"),
      "with --count: u64 (random_raw), u32 or double (Generator.random())")(
      "format", po::value<std::string>()->default_value("text")->value_name("F"),
      "with --count: text (one value a line) or binary (array.tobytes())");
  const po::variables_map vm = parse_command_line(args, options, "stream");
  if (vm.count("help") != 0) {
    std::cout << usage_text << '\n' << options << '\n';
    return 0;
  }
  if (!given(vm, "manifest")) throw invalid_argument("stream: --manifest M is required");
  std::vector<claims::stream_selector> selectors;
  if (given(vm, "task")) {
    selectors.push_back(
        {claims::stream_selector::key::task, u64_list(option_text(vm, "task"), "--task")});
  }
  if (given(vm, "stream-id")) {
    selectors.push_back({claims::stream_selector::key::stream_id,
                         {parse_count(option_text(vm, "stream-id"), "--stream-id")}});
  }
  if (given(vm, "jump-index")) {
    selectors.push_back({claims::stream_selector::key::jump_index,
                         {parse_count(option_text(vm, "jump-index"), "--jump-index")}});
  }
  if (given(vm, "spawn-path")) {
    selectors.push_back({claims::stream_selector::key::spawn_path,
                         u64_list(option_text(vm, "spawn-path"), "--spawn-path")});
  }
  if (selectors.size() != 1) {
    throw invalid_argument(
        "stream: give exactly one of --task, --stream-id, --jump-index, "
        "--spawn-path (got " +
        std::to_string(selectors.size()) + ")");
  }
  const bit_generator_kind family = parse_bit_generator_kind(option_text(vm, "bitgen"), "--bitgen");
  const bool draw = given(vm, "count");
  const std::uint64_t count = draw ? parse_count(option_text(vm, "count"), "--count") : 0;
  const std::size_t output =
      parse_choice(option_text(vm, "output"), "--output", {"u64", "u32", "double"});
  const auto format = static_cast<output_format>(
      parse_choice(option_text(vm, "format"), "--format", {"text", "binary"}));
  if (!draw && (given(vm, "output") || given(vm, "format"))) {
    throw invalid_argument("stream: --output and --format describe draws; give --count N too");
  }

  const std::string manifest = option_text(vm, "manifest");
  const claims::found_streams found = claims::find_streams(manifest, selectors.front());
  if (found.streams.empty()) {
    std::cerr << "streamalloc: stream: " << claims::describe(selectors.front()) << " is not in "
              << manifest << " (no claim of job " << found.header.job.value() << " holds it)"
              << std::endl;
    return 1;
  }
  if (draw && found.streams.size() > 1) {
    throw invalid_argument("stream: " + claims::describe(selectors.front()) + " is served by " +
                           std::to_string(found.streams.size()) + " streams in " + manifest +
                           "; choose one by its ID, index or path");
  }
  output_sink sink(STDOUT_FILENO);
  for (const claims::record_stream& s : found.streams) {
    any_bit_generator gen =
        claims::stream_generator(found.header.campaign, s.holder, s.index, family);
    if (draw) {
      value_writer writer(sink, format);
      switch (output) {
        case 0: write_draws<std::uint64_t>(gen, count, writer); break;
        case 1: write_draws<std::uint32_t>(gen, count, writer); break;
        default: write_draws<double>(gen, count, writer); break;
      }
      continue;
    }
    claims::claim one = claims::slice(s.holder, s.index, 1);
    const auto task = claims::task_of(s.holder, s.index);
    sink.write(
        "stream    " + claims::describe_stream(s.holder, s.index) + " of job " +
        std::to_string(s.holder.job.value()) + " (rank " + std::to_string(s.holder.owner.value()) +
        (task ? ", task " + task->to_string() : std::string()) + "), from " + s.source + "\n");
    sink.write("numpy     " +
               claims::numpy_expression(found.header.campaign, one, s.index, family) + "\n");
    sink.write("state     " + gen.state_json() + "\n");
  }
  sink.flush();
  return 0;
}

}  // namespace streamalloc::cli
