#include "generate_options.hpp"

#include <iostream>

#include "command_line.hpp"
#include "dist_options.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::cli {
namespace {

constexpr const char* usage_text =
    "Usage: streamalloc generate [options]\n"
    "\n"
    "Draws values from one of NumPy's bit generators, bit-exact with numpy.random 1.24:\n"
    "  streamalloc generate --bitgen B --seed S --count N\n"
    "prints what numpy.random.B(numpy.random.SeedSequence(S)) draws. The generator is seeded\n"
    "(--seed/--spawn-key/--pool-size), keyed (--key/--counter, Philox only) or restored from a\n"
    "NumPy state document (--from-state), then jumped (--jumped), then advanced (--advance).\n"
    "Without --seed, --key or --from-state the entropy comes from the operating system and is\n"
    "printed on standard error ('streamalloc: seed entropy E') so the run can be repeated.\n"
    "\n"
    "With --dist NAME it draws numpy.random.Generator(bitgen).NAME(params, size=N) instead:\n"
    "  streamalloc generate --seed 5 --dist normal --loc 1 --scale 2 --count 3\n"
    "prints Generator(PCG64(SeedSequence(5))).normal(1, 2, size=3), one value per line: doubles\n"
    "as %.17g, integers in decimal, bool as 0/1. multinomial prints one draw (k counts) per line;\n"
    "permutation and shuffle print one permutation of range(n) per line, N calls for --count N;\n"
    "entries are separated by spaces. --format binary writes NumPy's array.tobytes() (float64,\n"
    "int64 or the integers dtype, little-endian); it is endless with --count 0 except for the\n"
    "8- and 16-bit and bool dtypes, which NumPy draws in one call (here at most 2**27 values).\n"
    "--print-state works as without --dist; --output (raw draws) cannot be combined with it.\n";

void reject_together(const po::variables_map& vm, const char* a, const char* b,
                     const std::string& why) {
  if (given(vm, a) && given(vm, b)) {
    throw invalid_argument("--" + std::string(a) + " cannot be combined with --" + b + " (" + why +
                           ")");
  }
}

big_uint parse_bounded(const po::variables_map& vm, const char* name, std::size_t bits) {
  const std::string what = "--" + std::string(name);
  const std::string& text = option_text(vm, name);
  big_uint value = big_uint::parse(text, what);
  if (value.bit_length() > bits) {
    throw invalid_argument(what + ": '" + text +
                           "' is out of range (expected an integer below 2**" +
                           std::to_string(bits) + ")");
  }
  return value;
}

}  // namespace

std::optional<generate_options> parse_generate_options(std::span<const std::string> args) {
  po::options_description options("Options");
  options.add_options()("help,h", "show this help and exit")(
      "bitgen", po::value<std::string>()->default_value("pcg64")->value_name("B"),
      "bit generator: pcg64, pcg64dxsm, philox, sfc64 or mt19937");
  add_seed_options(options);
  options.add_options()(
      "key", po::value<std::string>()->value_name("K"),
      "Philox key below 2**128, instead of --seed: NumPy's Philox(key=K, counter=C)")(
      "counter", po::value<std::string>()->value_name("C"),
      "Philox counter below 2**256 (default 0); with --key, or with a seed as Philox(seed, "
      "counter=C)")(
      "from-state", po::value<std::string>()->value_name("FILE"),
      "restore a NumPy state document (json.dump(bitgen.state), arrays as lists) instead of "
      "seeding; '-' reads standard input; the generator is the file's \"bit_generator\"")(
      "jumped", po::value<std::string>()->value_name("J"),
      "replace the generator by bitgen.jumped(J); J of any size, a leading '-' jumps back "
      "(not for sfc64; mt19937: J in [-2**63, 2**63 - 1], negative J jumps zero times)")(
      "advance", po::value<std::string>()->value_name("D"),
      "then bitgen.advance(D); D of any size, a leading '-' moves back (pcg64, pcg64dxsm, "
      "philox)")(
      "count", po::value<std::string>()->default_value("10")->value_name("N"),
      "number of values (of draws with --dist); 0 with --format binary: endless, until the "
      "reader closes the pipe")(
      "output", po::value<std::string>()->default_value("u64")->value_name("KIND"),
      "u64: random_raw() (32-bit values for mt19937); u32: successive next_uint32; "
      "double: Generator.random()")(
      "format", po::value<std::string>()->default_value("text")->value_name("F"),
      "text: one decimal value per line (doubles as %.17g); binary: little-endian bytes "
      "(8 per u64/double, 4 per u32; with --dist, NumPy's array.tobytes())")(
      "print-state", po::bool_switch(),
      "after drawing the values, print the state as json.dumps(bitgen.state) instead of them");
  options.add(dist_options_description());

  const po::variables_map vm = parse_command_line(args, options, "generate");
  if (vm.count("help") != 0) {
    std::cout << usage_text << '\n' << options << '\n';
    return std::nullopt;
  }

  generate_options out;
  out.bitgen = parse_bit_generator_kind(option_text(vm, "bitgen"), "--bitgen");
  out.bitgen_given = given(vm, "bitgen");
  const std::string bitgen_name(to_string(out.bitgen));

  // One source for the generator.
  const std::string state_why = "the state document fixes the whole generator";
  for (const char* seeding : {"seed", "spawn-key", "pool-size", "key", "counter"}) {
    reject_together(vm, "from-state", seeding, state_why);
  }
  const std::string key_why = "--key sets Philox's key directly, without a SeedSequence";
  for (const char* seeding : {"seed", "spawn-key", "pool-size"}) {
    reject_together(vm, "key", seeding, key_why);
  }
  for (const char* philox_only : {"key", "counter"}) {
    if (given(vm, philox_only) && out.bitgen != bit_generator_kind::philox) {
      throw invalid_argument("--" + std::string(philox_only) +
                             " is for Philox only (got --bitgen " + bitgen_name +
                             ", expected --bitgen philox)");
    }
  }

  if (given(vm, "from-state")) {
    out.from_state = option_text(vm, "from-state");
  } else {
    out.seed = read_seed_options(vm);
  }
  if (given(vm, "key")) out.key = parse_bounded(vm, "key", 128);
  if (given(vm, "counter")) out.counter = parse_bounded(vm, "counter", 256);

  if (given(vm, "jumped")) out.jumps = parse_signed_distance(option_text(vm, "jumped"), "--jumped");
  if (given(vm, "advance")) {
    out.advance = parse_signed_distance(option_text(vm, "advance"), "--advance");
  }
  // A state file names its own generator; without an explicit --bitgen it is checked later.
  if (!out.from_state || out.bitgen_given) check_generator_supports(out.bitgen, out);

  out.count = parse_count(option_text(vm, "count"), "--count");
  out.draw = static_cast<draw_kind>(
      parse_choice(option_text(vm, "output"), "--output", {"u64", "u32", "double"}));
  out.format = static_cast<output_format>(
      parse_choice(option_text(vm, "format"), "--format", {"text", "binary"}));
  out.dist = read_dist_options(vm);
  if (out.dist) check_dist_count(*out.dist, out.count, out.format);
  out.print_state = vm["print-state"].as<bool>();
  if (out.print_state && out.format == output_format::binary) {
    throw invalid_argument(
        "--print-state cannot be combined with --format binary (the state is JSON text)");
  }
  return out;
}

void check_generator_supports(bit_generator_kind kind, const generate_options& options) {
  const std::string name(to_string(kind));
  if (options.advance && !supports_advance(kind)) {
    throw invalid_argument("--advance: " + name +
                           " has no advance() (expected a bit generator among pcg64, pcg64dxsm "
                           "and philox)");
  }
  if (options.jumps && !supports_jumped(kind)) {
    throw invalid_argument("--jumped: " + name +
                           " has no jumped() (expected a bit generator among pcg64, pcg64dxsm, "
                           "philox and mt19937)");
  }
  if (options.jumps && kind == bit_generator_kind::mt19937) {
    // NumPy takes MT19937's count as a C long (OverflowError beyond it); a negative count
    // jumps zero times.
    const big_uint& magnitude = options.jumps->magnitude;
    const std::uint64_t limit = mt19937::max_jumps + (options.jumps->negative ? 1U : 0U);
    if (!magnitude.fits_u64() || magnitude.low_u64() > limit) {
      throw invalid_argument("--jumped: '" + std::string(options.jumps->negative ? "-" : "") +
                             cut_for_message(magnitude.to_string()) +
                             "' is out of range for mt19937 (expected an integer in [-2**63, "
                             "2**63 - 1], as NumPy's MT19937.jumped takes a C long)");
    }
  }
}

}  // namespace streamalloc::cli
