// `streamalloc generate`: builds the generator the options describe and streams its values
// (raw words here, distributions through dist_sampler.cpp).
#include <unistd.h>

#include <iostream>
#include <vector>

#include "commands.hpp"
#include "generate_options.hpp"
#include "output_sink.hpp"
#include "streamalloc/error.hpp"
#include "value_writer.hpp"

namespace streamalloc::cli {
namespace {

// NumPy state documents are a few kilobytes (MT19937's is the largest, about 7 KB).
constexpr std::size_t max_state_bytes = std::size_t{1} << 24;
// Values drawn per bulk fill: large enough that dispatch and write calls vanish in the cost.
constexpr std::size_t chunk_values = std::size_t{1} << 13;

any_bit_generator restore_state(const generate_options& options) {
  const std::string& path = *options.from_state;
  const std::string text = read_input(path, "--from-state", max_state_bytes);
  const std::string source = path == "-" ? "standard input" : "'" + path + "'";
  std::optional<any_bit_generator> restored;
  try {
    restored.emplace(any_bit_generator::from_state_json(text));
  } catch (const error& e) {
    throw invalid_argument("--from-state: " + source + " is not a usable NumPy state: " + e.what());
  }
  if (options.bitgen_given && restored->kind() != options.bitgen) {
    throw invalid_argument("--from-state: " + source + " holds a " +
                           std::string(numpy_name(restored->kind())) + " state, but --bitgen is " +
                           std::string(to_string(options.bitgen)) +
                           " (expected them to agree; --bitgen may be left out)");
  }
  check_generator_supports(restored->kind(), options);
  return std::move(*restored);
}

any_bit_generator seeded(const generate_options& options) {
  const seed_sequence seq = make_seed_sequence(options.seed);
  if (!options.seed.entropy) {
    std::cerr << "streamalloc: seed entropy " << seq.entropy().to_string() << std::endl;
  }
  // NumPy's Philox(seq, counter=C): the key from the sequence, the counter as given.
  if (options.bitgen == bit_generator_kind::philox && options.counter) {
    return philox(seq, *options.counter);
  }
  return any_bit_generator(options.bitgen, seq);
}

// The generator before --jumped and --advance.
any_bit_generator initial_generator(const generate_options& options) {
  if (options.from_state) return restore_state(options);
  // NumPy's Philox(key=K, counter=C).
  if (options.key) return philox::from_key(*options.key, options.counter.value_or(big_uint{}));
  return seeded(options);
}

any_bit_generator make_generator(const generate_options& options) {
  any_bit_generator gen = initial_generator(options);
  if (options.jumps) {
    gen = options.jumps->negative ? gen.jumped_back(options.jumps->magnitude)
                                  : gen.jumped(options.jumps->magnitude);
  }
  if (options.advance) {
    if (options.advance->negative) {
      gen.retreat(options.advance->magnitude);
    } else {
      gen.advance(options.advance->magnitude);
    }
  }
  return gen;
}

void draw(any_bit_generator& gen, std::span<std::uint64_t> out) { gen.fill_raw(out); }
void draw(any_bit_generator& gen, std::span<std::uint32_t> out) { gen.fill(out); }
void draw(any_bit_generator& gen, std::span<double> out) { gen.fill(out); }

// Draws options.count values (endlessly for count 0 in binary), writing them unless `writer` is
// null (--print-state only needs the generator moved on).
template <class T>
void draw_values(any_bit_generator& gen, const generate_options& options, value_writer* writer) {
  const bool endless = options.count == 0 && options.format == output_format::binary;
  std::vector<T> chunk(chunk_values);
  std::uint64_t remaining = options.count;
  while (endless || remaining > 0) {
    const std::size_t n =
        endless || remaining >= chunk.size() ? chunk.size() : static_cast<std::size_t>(remaining);
    const std::span<T> values(chunk.data(), n);
    draw(gen, values);
    if (writer != nullptr) writer->write(std::span<const T>(values));
    if (!endless) remaining -= n;
  }
}

}  // namespace

int run_generate(std::span<const std::string> args) {
  const auto options = parse_generate_options(args);
  if (!options) return 0;
  any_bit_generator gen = make_generator(*options);

  output_sink sink(STDOUT_FILENO);
  value_writer writer(sink, options->format);
  value_writer* const values_out = options->print_state ? nullptr : &writer;
  const bool endless = options->count == 0 && options->format == output_format::binary;
  if (options->dist) {
    draw_distribution(gen, *options->dist, options->count, endless, values_out);
  } else {
    switch (options->draw) {
      case draw_kind::raw: draw_values<std::uint64_t>(gen, *options, values_out); break;
      case draw_kind::u32: draw_values<std::uint32_t>(gen, *options, values_out); break;
      case draw_kind::real: draw_values<double>(gen, *options, values_out); break;
    }
  }
  if (options->print_state) sink.write(gen.state_json() + "\n");
  sink.flush();
  return 0;
}

}  // namespace streamalloc::cli
