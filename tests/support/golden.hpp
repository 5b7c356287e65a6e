// Test support: reads the golden vectors that scripts/gen_golden.py produced from NumPy.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/json.hpp"
#include "streamalloc/seed_entropy.hpp"
#include "streamalloc/seed_sequence.hpp"

namespace streamalloc::testing {

using streamalloc::json;

struct golden_file {
  json header;              // numpy_version, command, description
  std::vector<json> cases;  // one object per line after the header
};

// Loads tests/golden/<name>; fails the calling test (via exception) if missing or malformed.
golden_file load_golden(std::string_view name);

// Path of one of NumPy's own known-answer CSV files (numpy/random/tests/data/<name>).
std::filesystem::path numpy_data_file(std::string_view name);

// Reads a whole text file.
std::string read_text_file(const std::filesystem::path& path);

big_uint big_from_json(const json& value);
// An entropy value as the golden files write it: an integer or a list of integers.
seed_entropy entropy_from_json(const json& value);
std::vector<big_uint> spawn_key_from_json(const json& value);
// {"entropy": E, "spawn_key": [...], "pool_size": P} -> SeedSequence(E, spawn_key, pool_size).
seed_sequence seed_sequence_from_json(const json& seed);

// A JSON array of unsigned integers as uint64/uint32 vectors.
std::vector<std::uint64_t> u64_list(const json& value);
std::vector<std::uint32_t> u32_list(const json& value);
std::vector<double> double_list(const json& value);

// Golden values as 64-bit words, the form tests compare draws in: doubles by their IEEE bits,
// integers modulo 2^64, booleans 0/1, nested lists (multinomial's) flattened in order. Throws
// std::runtime_error for anything else (strings, objects, null).
std::vector<std::uint64_t> json_words(const json& value);

// A short label for a golden case, for SCOPED_TRACE.
std::string describe_case(const json& c);

}  // namespace streamalloc::testing
