// streamalloc/any_bit_generator.hpp — one of NumPy's five bit generators, chosen at run time.
//
// Programs whose generator is an input (a command-line option, the "bit_generator" field of a
// NumPy state file) hold an any_bit_generator: a std::variant of pcg64, pcg64_dxsm, philox,
// sfc64 and mt19937 that forwards NumPy's primitives (random_raw, next_uint32, next_double),
// advance/jumped and the state dict to whichever engine it holds. Every output is the held
// engine's, so it is bit-exact with numpy.random.<Name> as the engines are.
//
// Each single draw costs one dispatch; the bulk fill() members dispatch once per call and then
// loop inside the engine, so filling large buffers runs at the engine's own speed. Code that
// needs single draws in a hot loop should visit() once and loop on the engine itself.
// Not thread-safe: one generator per thread, as for the engines.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/mt19937.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/pcg64_dxsm.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/sfc64.hpp"

namespace streamalloc {

// The variant's alternatives, in this order (kind() is the variant index).
enum class bit_generator_kind { pcg64, pcg64dxsm, philox, sfc64, mt19937 };

// "pcg64", "pcg64dxsm", "philox", "sfc64", "mt19937": NumPy's class names in lower case, the
// spelling command lines and configuration files use.
std::string_view to_string(bit_generator_kind kind) noexcept;
// NumPy's class name, as in the state dict's "bit_generator" field: "PCG64", "PCG64DXSM",
// "Philox", "SFC64", "MT19937".
std::string_view numpy_name(bit_generator_kind kind) noexcept;
// Parses to_string()'s spelling; `what` names the source (e.g. "--bitgen") in the error message.
bit_generator_kind parse_bit_generator_kind(std::string_view text, std::string_view what);

// Whether NumPy's generator of this kind has advance(delta): SFC64 and MT19937 do not.
constexpr bool supports_advance(bit_generator_kind kind) noexcept {
  return kind == bit_generator_kind::pcg64 || kind == bit_generator_kind::pcg64dxsm ||
         kind == bit_generator_kind::philox;
}
// Whether it has jumped(jumps): every kind but SFC64, whose chaotic state cannot be jumped.
constexpr bool supports_jumped(bit_generator_kind kind) noexcept {
  return kind != bit_generator_kind::sfc64;
}

class any_bit_generator {
 public:
  using variant_type = std::variant<pcg64, pcg64_dxsm, philox, sfc64, mt19937>;

  // numpy.random.<Name>(seq) for the given kind.
  any_bit_generator(bit_generator_kind kind, const seed_sequence& seq);
  // The same by to_string()'s name ("pcg64", ..., "mt19937"); throws invalid_argument for any
  // other name.
  any_bit_generator(std::string_view name, const seed_sequence& seq)
      : any_bit_generator(parse_bit_generator_kind(name, "bit generator name"), seq) {}

  // Wraps an engine that is already set up (keyed Philox, a jumped PCG64, a restored state).
  template <class Engine>
  requires std::is_constructible_v<variant_type, Engine&&> &&
      (!std::is_same_v<std::remove_cvref_t<Engine>, any_bit_generator>)any_bit_generator(
          Engine&& engine)  // NOLINT(google-explicit-constructor): wrapping is lossless
      : engine_(std::forward<Engine>(engine)) {}

  // The generator NumPy's state dict describes, of the kind its "bit_generator" field names
  // (what json.dumps(bitgen.state) prints, arrays as lists). Throws invalid_argument on bad
  // JSON, an unknown generator name or any malformed field.
  static any_bit_generator from_state_json(std::string_view text);

  bit_generator_kind kind() const noexcept {
    return static_cast<bit_generator_kind>(engine_.index());
  }

  // NumPy's random_raw(): a 64-bit word, or one 32-bit draw for MT19937.
  std::uint64_t next_raw() noexcept {
    return std::visit([](auto& e) -> std::uint64_t { return e.next_raw(); }, engine_);
  }
  std::uint64_t next64() noexcept {
    return std::visit([](auto& e) -> std::uint64_t { return e.next64(); }, engine_);
  }
  // NumPy's next_uint32 (buffered halves for the 64-bit generators).
  std::uint32_t next32() noexcept {
    return std::visit([](auto& e) -> std::uint32_t { return e.next32(); }, engine_);
  }
  // NumPy's next_double: Generator.random().
  double next_double() noexcept {
    return std::visit([](auto& e) -> double { return e.next_double(); }, engine_);
  }

  // Bulk draws, identical to out.size() single draws of next_raw / next32 / next_double.
  void fill_raw(std::span<std::uint64_t> out) noexcept;
  void fill(std::span<std::uint32_t> out) noexcept;
  void fill(std::span<double> out) noexcept;

  // NumPy's advance(delta) and advance(-delta), with NumPy's wrap-around of the distance.
  // Throw invalid_argument for SFC64 and MT19937, which have no advance().
  any_bit_generator& advance(const big_uint& delta);
  any_bit_generator& retreat(const big_uint& delta);
  // NumPy's jumped(jumps) and jumped(-jumps). PCG64, PCG64DXSM and Philox wrap negative
  // counts (the stream that many jumps behind); MT19937 jumps a negative count zero times and
  // refuses counts beyond NumPy's C long, [-2^63, 2^63 - 1]. Throw invalid_argument for SFC64,
  // which has no jumped(), and for such MT19937 counts (NumPy: OverflowError).
  any_bit_generator jumped(const big_uint& jumps = 1) const;
  any_bit_generator jumped_back(const big_uint& jumps) const;

  // What json.dumps(bitgen.state) prints (arrays as lists).
  std::string state_json() const;

  // The engine itself, for code that wants to loop on it without per-draw dispatch.
  template <class Visitor>
  decltype(auto) visit(Visitor&& visitor) {
    return std::visit(std::forward<Visitor>(visitor), engine_);
  }
  template <class Visitor>
  decltype(auto) visit(Visitor&& visitor) const {
    return std::visit(std::forward<Visitor>(visitor), engine_);
  }
  const variant_type& engine() const noexcept { return engine_; }

 private:
  variant_type engine_;
};

}  // namespace streamalloc
