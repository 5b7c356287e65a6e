#include "streamalloc/any_bit_generator.hpp"

#include <array>

#include "streamalloc/json.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc {
namespace {

// kind() is the variant index, so the alternatives must stay in bit_generator_kind's order.
template <bit_generator_kind Kind, class Engine>
constexpr bool holds_at = std::is_same_v<
    std::variant_alternative_t<static_cast<std::size_t>(Kind), any_bit_generator::variant_type>,
    Engine>;
static_assert(holds_at<bit_generator_kind::pcg64, pcg64> &&
              holds_at<bit_generator_kind::pcg64dxsm, pcg64_dxsm> &&
              holds_at<bit_generator_kind::philox, philox> &&
              holds_at<bit_generator_kind::sfc64, sfc64> &&
              holds_at<bit_generator_kind::mt19937, mt19937>);

constexpr std::array<bit_generator_kind, 5> all_kinds = {
    bit_generator_kind::pcg64, bit_generator_kind::pcg64dxsm, bit_generator_kind::philox,
    bit_generator_kind::sfc64, bit_generator_kind::mt19937};

std::string quoted_list(std::string_view (*name)(bit_generator_kind) noexcept,
                        std::string_view quote) {
  std::string out;
  for (std::size_t i = 0; i < all_kinds.size(); ++i) {
    if (i != 0) out += i + 1 == all_kinds.size() ? " or " : ", ";
    out += quote;
    out += name(all_kinds[i]);
    out += quote;
  }
  return out;
}

}  // namespace

std::string_view to_string(bit_generator_kind kind) noexcept {
  switch (kind) {
    case bit_generator_kind::pcg64: return "pcg64";
    case bit_generator_kind::pcg64dxsm: return "pcg64dxsm";
    case bit_generator_kind::philox: return "philox";
    case bit_generator_kind::sfc64: return "sfc64";
    case bit_generator_kind::mt19937: return "mt19937";
  }
  return "unknown";
}

std::string_view numpy_name(bit_generator_kind kind) noexcept {
  switch (kind) {
    case bit_generator_kind::pcg64: return pcg64::numpy_name;
    case bit_generator_kind::pcg64dxsm: return pcg64_dxsm::numpy_name;
    case bit_generator_kind::philox: return philox::numpy_name;
    case bit_generator_kind::sfc64: return sfc64::numpy_name;
    case bit_generator_kind::mt19937: return mt19937::numpy_name;
  }
  return "unknown";
}

bit_generator_kind parse_bit_generator_kind(std::string_view text, std::string_view what) {
  for (const auto kind : all_kinds) {
    if (text == to_string(kind)) return kind;
  }
  throw invalid_argument(std::string(what) + ": '" + std::string(text) +
                         "' is not a bit generator (expected " + quoted_list(to_string, "") + ")");
}

any_bit_generator::any_bit_generator(bit_generator_kind kind, const seed_sequence& seq)
    : engine_([&]() -> variant_type {
        switch (kind) {
          case bit_generator_kind::pcg64: return pcg64(seq);
          case bit_generator_kind::pcg64dxsm: return pcg64_dxsm(seq);
          case bit_generator_kind::philox: return philox(seq);
          case bit_generator_kind::sfc64: return sfc64(seq);
          case bit_generator_kind::mt19937: return mt19937(seq);
        }
        throw invalid_argument("any_bit_generator: bit_generator_kind " +
                               std::to_string(static_cast<int>(kind)) + " is not a generator");
      }()) {}

any_bit_generator any_bit_generator::from_state_json(std::string_view text) {
  const std::string what = "state document";
  const json document = parse_json(text, what);
  const json& name = json_field(document, "bit_generator", what);
  for (const auto kind : all_kinds) {
    if (!name.is_string() || name.get<std::string>() != numpy_name(kind)) continue;
    switch (kind) {
      case bit_generator_kind::pcg64: return pcg64::from_state_json(text);
      case bit_generator_kind::pcg64dxsm: return pcg64_dxsm::from_state_json(text);
      case bit_generator_kind::philox: return philox::from_state_json(text);
      case bit_generator_kind::sfc64: return sfc64::from_state_json(text);
      case bit_generator_kind::mt19937: return mt19937::from_state_json(text);
    }
  }
  throw invalid_argument(what + ": field 'bit_generator' is " + describe_json(name) +
                         ", expected " + quoted_list(numpy_name, "\""));
}

void any_bit_generator::fill_raw(std::span<std::uint64_t> out) noexcept {
  std::visit(
      [out](auto& engine) {
        // MT19937's random_raw is one 32-bit draw, so it has a fill_raw of its own; for the
        // 64-bit generators raw words are their 64-bit words.
        if constexpr (requires { engine.fill_raw(out); }) {
          engine.fill_raw(out);
        } else {
          engine.fill(out);
        }
      },
      engine_);
}

void any_bit_generator::fill(std::span<std::uint32_t> out) noexcept {
  std::visit([out](auto& engine) { engine.fill(out); }, engine_);
}

void any_bit_generator::fill(std::span<double> out) noexcept {
  std::visit([out](auto& engine) { engine.fill(out); }, engine_);
}

any_bit_generator& any_bit_generator::advance(const big_uint& delta) {
  std::visit(
      [&](auto& engine) {
        using engine_type = std::remove_cvref_t<decltype(engine)>;
        if constexpr (requires { engine.advance(delta); }) {
          engine.advance(delta);
        } else {
          throw invalid_argument(std::string(engine_type::numpy_name) +
                                 " has no advance(); it cannot be moved by " +
                                 cut_for_message(delta.to_string()) +
                                 " draws (advance works for PCG64, PCG64DXSM and Philox)");
        }
      },
      engine_);
  return *this;
}

any_bit_generator& any_bit_generator::retreat(const big_uint& delta) {
  std::visit(
      [&](auto& engine) {
        using engine_type = std::remove_cvref_t<decltype(engine)>;
        if constexpr (requires { engine.retreat(delta); }) {
          engine.retreat(delta);
        } else {
          throw invalid_argument(std::string(engine_type::numpy_name) +
                                 " has no advance(); it cannot be moved back by " +
                                 cut_for_message(delta.to_string()) +
                                 " draws (advance works for PCG64, PCG64DXSM and Philox)");
        }
      },
      engine_);
  return *this;
}

namespace {

[[noreturn]] void refuse_jumped(std::string_view name, const std::string& jumps) {
  throw invalid_argument(std::string(name) + " has no jumped(); it cannot be jumped " +
                         cut_for_message(jumps) +
                         " times (use distinct seed sequences for independent streams)");
}

}  // namespace

any_bit_generator any_bit_generator::jumped(const big_uint& jumps) const {
  return std::visit(
      [&](const auto& engine) -> any_bit_generator {
        using engine_type = std::remove_cvref_t<decltype(engine)>;
        if constexpr (requires { engine.jumped(jumps); }) {
          return engine.jumped(jumps);
        } else {
          refuse_jumped(engine_type::numpy_name, jumps.to_string());
        }
      },
      engine_);
}

any_bit_generator any_bit_generator::jumped_back(const big_uint& jumps) const {
  return std::visit(
      [&](const auto& engine) -> any_bit_generator {
        using engine_type = std::remove_cvref_t<decltype(engine)>;
        if constexpr (requires { engine.jumped_back(jumps); }) {
          return engine.jumped_back(jumps);
        } else {
          refuse_jumped(engine_type::numpy_name, "-" + jumps.to_string());
        }
      },
      engine_);
}

std::string any_bit_generator::state_json() const {
  return std::visit([](const auto& engine) { return engine.state_json(); }, engine_);
}

}  // namespace streamalloc
