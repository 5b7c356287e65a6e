// The binary form of stream_set snapshots: a fixed little-endian layout (documented field by
// field in streamalloc/stream_set_snapshot.hpp), framed by a magic, a version, a length and a
// CRC-32C so that a short, damaged or foreign file is refused before any field is trusted.
// The bytes are written and read by detail/byte_io.hpp (little-endian whatever the host, every
// read bounds-checked); the messages are this format's own.
#include <array>
#include <limits>
#include <string>

#include "src/stream_set/codec.hpp"
#include "streamalloc/byte_io.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mt19937.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/pcg64_dxsm.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/sfc64.hpp"
#include "streamalloc/crc32c.hpp"
#include "streamalloc/stream_set/snapshot.hpp"

namespace streamalloc {
namespace {

constexpr std::array<std::uint8_t, 8> magic = {0x89, 'S', 'A', 'S', 'S', 'E', 'T', '\n'};
constexpr std::size_t header_size = 24;  // magic, version, flags, payload length
constexpr std::size_t crc_size = 4;
constexpr std::string_view what = "stream_set snapshot (binary)";

enum class parameter_tag : std::uint8_t { boolean, int64, uint64, float64, string, float64_list };
constexpr std::uint8_t last_parameter_tag = static_cast<std::uint8_t>(parameter_tag::float64_list);
constexpr std::uint8_t last_family = static_cast<std::uint8_t>(bit_generator_kind::mt19937);

[[noreturn]] void fail(const std::string& message) {
  throw io_error(std::string(what) + ": " + message);
}

// The binary form's messages, for the shared byte writer and reader.
struct snapshot_errors {
  [[noreturn]] void count_too_large(std::string_view field, std::size_t n) const {
    throw invalid_argument(std::string(what) + ": " + std::string(field) + " has " +
                           std::to_string(n) + " entries, expected at most 2**32 - 1");
  }
  [[noreturn]] void truncated(std::string_view field, std::size_t offset, std::size_t needed,
                              std::size_t left) const {
    fail("the payload ends inside " + std::string(field) + " at offset " + std::to_string(offset) +
         " (" + std::to_string(needed) + " bytes needed, " + std::to_string(left) + " left)");
  }
};

// ---------------------------------------------------------------------------------------------
// Writing.

class writer : public streamalloc::byte_writer<snapshot_errors> {
 public:
  // A big_uint: its count of 32-bit words, then the words, least significant first.
  void big(const big_uint& v) {
    count(v.words().size(), "an integer's word list");
    for (const auto w : v.words()) u32(w);
  }
  void bigs(const std::vector<big_uint>& values, std::string_view field) {
    count(values.size(), field);
    for (const auto& v : values) big(v);
  }
};

void write_parameter(writer& out, const distribution_parameter& p) {
  out.string(p.name, "a parameter name");
  struct visitor {
    writer& out;
    void operator()(bool v) const {
      out.u8(static_cast<std::uint8_t>(parameter_tag::boolean));
      out.u8(v ? 1 : 0);
    }
    void operator()(std::int64_t v) const {
      out.u8(static_cast<std::uint8_t>(parameter_tag::int64));
      out.u64(static_cast<std::uint64_t>(v));
    }
    void operator()(std::uint64_t v) const {
      out.u8(static_cast<std::uint8_t>(parameter_tag::uint64));
      out.u64(v);
    }
    void operator()(double v) const {
      out.u8(static_cast<std::uint8_t>(parameter_tag::float64));
      out.f64(v);
    }
    void operator()(const std::string& v) const {
      out.u8(static_cast<std::uint8_t>(parameter_tag::string));
      out.string(v, "a string parameter");
    }
    void operator()(const std::vector<double>& v) const {
      out.u8(static_cast<std::uint8_t>(parameter_tag::float64_list));
      out.count(v.size(), "a list parameter");
      for (const double x : v) out.f64(x);
    }
  };
  std::visit(visitor{out}, p.value);
}

void write_state(writer& out, const any_bit_generator& generator) {
  generator.visit([&out](const auto& engine) {
    using engine_type = std::remove_cvref_t<decltype(engine)>;
    if constexpr (std::is_same_v<engine_type, mt19937>) {
      for (const auto w : engine.key()) out.u32(w);
      out.u32(static_cast<std::uint32_t>(engine.pos()));
      return;
    } else {
      if constexpr (std::is_same_v<engine_type, philox>) {
        for (const auto w : engine.counter()) out.u64(w);
        for (const auto w : engine.key()) out.u64(w);
        for (const auto w : engine.buffer()) out.u64(w);
        out.u64(engine.buffer_pos());
      } else if constexpr (std::is_same_v<engine_type, sfc64>) {
        for (const auto w : engine.words()) out.u64(w);
      } else {
        out.u128(engine.lcg_state());
        out.u128(engine.lcg_increment());
      }
      out.u8(engine.has_uint32() ? 1 : 0);
      out.u32(engine.uinteger());
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Reading.

class reader : public streamalloc::byte_reader<snapshot_errors> {
 public:
  // `base`: where `bytes` start in the file, for the offsets in messages.
  reader(std::span<const std::byte> bytes, std::size_t base) noexcept
      : byte_reader(bytes, snapshot_errors{}, base) {}

  bool flag(std::string_view field) {
    const std::uint8_t v = u8(field);
    if (v > 1) {
      fail(std::string(field) + " is " + std::to_string(v) + " at offset " +
           std::to_string(offset() - 1) + ", expected 0 or 1");
    }
    return v == 1;
  }
  // A count of elements of at least `element_size` bytes each, checked against what is left so
  // that a damaged count cannot make us allocate more than the file could hold.
  std::size_t count(std::string_view field, std::size_t element_size) {
    const std::uint32_t n = u32(field);
    if (element_size != 0 && n > remaining() / element_size) {
      fail(std::string(field) + " announces " + std::to_string(n) + " entries of " +
           std::to_string(element_size) + "+ bytes at offset " + std::to_string(offset() - 4) +
           ", but only " + std::to_string(remaining()) + " bytes of payload remain");
    }
    return n;
  }
  std::string string(std::string_view field) {
    const auto text = take(count(field, 1), field);
    return std::string(reinterpret_cast<const char*>(text.data()), text.size());
  }
  big_uint big(std::string_view field) {
    const std::size_t n = count(field, 4);
    std::vector<std::uint32_t> words(n);
    for (auto& w : words) w = u32(field);
    return big_uint::from_words(words);
  }
  std::vector<big_uint> bigs(std::string_view field) {
    const std::size_t n = count(field, 4);
    std::vector<big_uint> values;
    for (std::size_t i = 0; i < n; ++i) values.push_back(big(field));
    return values;
  }
};

distribution_parameter read_parameter(reader& in) {
  std::string name = in.string("a parameter name");
  const std::uint8_t tag = in.u8("a parameter type");
  switch (tag) {
    case static_cast<std::uint8_t>(parameter_tag::boolean):
      return {std::move(name), in.flag("a boolean parameter")};
    case static_cast<std::uint8_t>(parameter_tag::int64):
      return {std::move(name), static_cast<std::int64_t>(in.u64("an int64 parameter"))};
    case static_cast<std::uint8_t>(parameter_tag::uint64):
      return {std::move(name), in.u64("a uint64 parameter")};
    case static_cast<std::uint8_t>(parameter_tag::float64):
      return {std::move(name), in.f64("a float64 parameter")};
    case static_cast<std::uint8_t>(parameter_tag::string):
      return {std::move(name), in.string("a string parameter")};
    case static_cast<std::uint8_t>(parameter_tag::float64_list): {
      const std::size_t n = in.count("a list parameter", 8);
      std::vector<double> values(n);
      for (auto& v : values) v = in.f64("a list parameter");
      return {std::move(name), std::move(values)};
    }
    default: break;
  }
  fail("parameter '" + name + "' has type tag " + std::to_string(tag) + " at offset " +
       std::to_string(in.offset() - 1) + ", expected 0 to " + std::to_string(last_parameter_tag));
}

json u64_array(reader& in, std::size_t n, std::string_view field) {
  json list = json::array();
  for (std::size_t i = 0; i < n; ++i) list.push_back(in.u64(field));
  return list;
}

// Reads one state and hands it, as NumPy's state dict, to the engine's own validation.
any_bit_generator read_state(reader& in, bit_generator_kind family, const std::string& field) {
  if (family == bit_generator_kind::mt19937) {
    mt19937::key_type key{};
    for (auto& w : key) w = in.u32(field);
    const std::uint32_t pos = in.u32(field);
    try {
      return mt19937::from_key(key, pos);
    } catch (const invalid_argument& e) {
      fail(field + ": " + e.what());
    }
  }
  json document = json::object();
  document["bit_generator"] = numpy_name(family);
  if (family == bit_generator_kind::philox) {
    json counter = u64_array(in, 4, field);
    json key = u64_array(in, 2, field);
    document["state"] = json::object({{"counter", std::move(counter)}, {"key", std::move(key)}});
    document["buffer"] = u64_array(in, 4, field);
    document["buffer_pos"] = in.u64(field);
  } else if (family == bit_generator_kind::sfc64) {
    document["state"] = json::object({{"state", u64_array(in, 4, field)}});
  } else {
    const uint128 state = in.u128(field);
    const uint128 inc = in.u128(field);
    document["state"] = json::object({{"state", big_to_json(big_uint::from_uint128(state))},
                                      {"inc", big_to_json(big_uint::from_uint128(inc))}});
  }
  document["has_uint32"] = in.flag(field + " has_uint32") ? 1 : 0;
  document["uinteger"] = in.u32(field);
  try {
    return detail::generator_from_state(family, document, field);
  } catch (const invalid_argument& e) {
    fail(e.what());
  }
}

seed_sequence read_meta(reader& in) {
  const bool is_list = in.flag("the meta seed's entropy form");
  std::vector<big_uint> entropy_values = in.bigs("the meta seed's entropy");
  if (!is_list && entropy_values.size() != 1) {
    fail("the meta seed's entropy is an integer but has " + std::to_string(entropy_values.size()) +
         " values, expected 1");
  }
  std::vector<big_uint> spawn_key = in.bigs("the meta seed's spawn key");
  const std::uint32_t pool_size = in.u32("the meta seed's pool size");
  const std::uint64_t n_children = in.u64("the meta seed's n_children_spawned");
  seed_entropy entropy = is_list ? seed_entropy::list(std::move(entropy_values))
                                 : seed_entropy(std::move(entropy_values.front()));
  try {
    return seed_sequence(std::move(entropy), std::move(spawn_key), pool_size, n_children);
  } catch (const invalid_argument& e) {
    fail(std::string("the meta seed: ") + e.what());
  }
}

stream_variable_state read_variable(reader& in, std::uint64_t expected_index,
                                    std::uint64_t first_child) {
  const std::string field = "variable " + std::to_string(expected_index);
  const std::uint64_t index = in.u64(field + " index");
  if (index != expected_index) {
    fail(field + " has index " + std::to_string(index) + ", expected " +
         std::to_string(expected_index) + " (variables are stored in order)");
  }
  if (index > std::numeric_limits<std::uint64_t>::max() - first_child) {
    fail(field + ": child n_children_spawned + index is beyond 2**64 - 1");
  }
  const std::uint8_t family_byte = in.u8(field + " family");
  if (family_byte > last_family) {
    fail(field + " has family byte " + std::to_string(family_byte) + " at offset " +
         std::to_string(in.offset() - 1) + ", expected 0 to " + std::to_string(last_family));
  }
  const auto family = static_cast<bit_generator_kind>(family_byte);
  distribution_description distribution{in.string(field + " distribution name"), {}};
  const std::size_t n_parameters = in.count(field + " parameter count", 6);
  for (std::size_t i = 0; i < n_parameters; ++i) {
    distribution.parameters.push_back(read_parameter(in));
  }
  auto before = read_state(in, family, field + " state before");
  auto now = read_state(in, family, field + " state now");
  return stream_variable_state{index, family, std::move(distribution), std::move(before),
                               std::move(now)};
}

}  // namespace

std::vector<std::byte> to_bytes(const stream_set_snapshot& snapshot) {
  writer out;
  for (const auto b : magic) out.u8(b);
  out.u32(stream_set_snapshot_version);
  out.u32(0);  // flags
  out.u64(0);  // payload length, patched below

  const seed_sequence& meta = snapshot.meta;
  out.u8(meta.entropy().is_list() ? 1 : 0);
  out.bigs(meta.entropy().values(), "the entropy");
  out.bigs(meta.spawn_key(), "the spawn key");
  out.u32(static_cast<std::uint32_t>(meta.pool_size()));  // at most max_pool_size
  out.u64(meta.n_children_spawned());
  out.u64(snapshot.variables.size());
  for (const auto& v : snapshot.variables) {
    if (v.before.kind() != v.family || v.now.kind() != v.family) {
      throw invalid_argument(std::string(what) + ": variable " + std::to_string(v.index) +
                             " is of family " + std::string(to_string(v.family)) +
                             " but holds states of " + std::string(to_string(v.before.kind())) +
                             " and " + std::string(to_string(v.now.kind())));
    }
    out.u64(v.index);
    out.u8(static_cast<std::uint8_t>(v.family));
    out.string(v.distribution.name, "the distribution name");
    out.count(v.distribution.parameters.size(), "the parameter list");
    for (const auto& p : v.distribution.parameters) write_parameter(out, p);
    write_state(out, v.before);
    write_state(out, v.now);
  }
  out.u64_at(16, out.bytes().size() - header_size);
  out.u32(streamalloc::crc32c(out.bytes()));
  return out.release();
}

stream_set_snapshot snapshot_from_bytes(std::span<const std::byte> bytes) {
  const std::size_t size = bytes.size();
  for (std::size_t i = 0; i < magic.size() && i < size; ++i) {
    if (std::to_integer<std::uint8_t>(bytes[i]) != magic[i]) {
      fail("not a stream_set snapshot: byte " + std::to_string(i) + " is " +
           std::to_string(std::to_integer<unsigned>(bytes[i])) + ", expected " +
           std::to_string(magic[i]) + " of the magic \\x89SASSET\\n");
    }
  }
  if (size < header_size + crc_size) {
    fail("truncated: " + std::to_string(size) + " bytes, expected at least " +
         std::to_string(header_size + crc_size) + " (magic, version, flags, length, CRC-32C)");
  }
  reader header(bytes.first(header_size), 0);
  header.u64("the magic");
  const std::uint32_t version = header.u32("the version");
  const std::uint32_t flags = header.u32("the flags");
  const std::uint64_t length = header.u64("the payload length");
  const std::uint64_t available = size - header_size - crc_size;
  if (length != available) {
    fail(std::string(length > available ? "truncated or corrupt" : "corrupt or trailing data") +
         ": the header announces a payload of " + std::to_string(length) + " bytes, so " +
         (length > available ? "more than " + std::to_string(size)
                             : std::to_string(length + header_size + crc_size)) +
         " bytes in all, but the file has " + std::to_string(size));
  }
  reader trailer(bytes.last(crc_size), size - crc_size);
  const std::uint32_t stored = trailer.u32("the CRC-32C");
  const std::uint32_t computed = streamalloc::crc32c(bytes.first(size - crc_size));
  if (stored != computed) {
    fail("checksum mismatch: the file stores CRC-32C " + hex32(stored) + ", its contents have " +
         hex32(computed) + " (the file is corrupt)");
  }
  if (version == 0 || version > stream_set_snapshot_version) {
    fail("format version " + std::to_string(version) +
         (version == 0 ? " is invalid" : " is newer than this library reads") + " (expected 1 to " +
         std::to_string(stream_set_snapshot_version) + ")");
  }
  if (flags != 0) {
    fail("flags " + hex32(flags) + " are not supported (expected 0)");
  }

  reader in(bytes.subspan(header_size, static_cast<std::size_t>(length)), header_size);
  stream_set_snapshot snapshot{read_meta(in), {}};
  const std::uint64_t n_variables = in.u64("the variable count");
  for (std::uint64_t k = 0; k < n_variables; ++k) {
    snapshot.variables.push_back(read_variable(in, k, snapshot.meta.n_children_spawned()));
  }
  if (in.remaining() != 0) {
    fail(std::to_string(in.remaining()) + " unexpected bytes at offset " +
         std::to_string(in.offset()) + " after the last variable");
  }
  return snapshot;
}

}  // namespace streamalloc
