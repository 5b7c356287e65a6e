// generators_bench — streamalloc's bit generators side by side with their peers, in one run.
//
// Every benchmark is named  <operation>/<generator>/<implementation>, e.g.
//   next64/pcg64/streamalloc   next64/pcg64/pcg-cpp
// so that scripts/bench.sh can pair each streamalloc benchmark with its peer(s) of the same
// <operation>/<generator> and print time ratios (ours / peer). The peers implement the same
// algorithm and are checked, before any timing, to produce the same words as ours from the same
// state (a benchmark whose peer disagrees reports an error instead of a time):
//   pcg64       pcg-cpp's pcg64 (pcg_engines::setseq_xsl_rr_128_64)
//   pcg64_dxsm  pcg-cpp's engine<> with the DXSM output and the cheap multiplier (pcg-cpp
//               0.98.1 has no cm_setseq_dxsm_128_64; the two mixins below are transcribed from
//               pcg-cpp upstream, which defines that typedef exactly so)
//   philox      Random123's Philox4x64_R<10>, driven as NumPy drives it: increment the 256-bit
//               counter, compute a block, hand out its four words one at a time
//   mt19937     std::mt19937 (libstdc++), set to our state through its operator>>; and NumPy's
//               mt19937.c algorithm (the reference generator: regenerate 624 words, temper one
//               per call) as plain inline C, "numpy-c"
//   sfc64       NumPy's sfc64.h transcribed as a plain inline function over a uint64_t[4]
// Operations: single next64() draws, fill() of 4096 words, next_double() fills, fills of 10^3 to
// 10^8 words (fill_u64/<generator>/<impl>/<n>: how the cost grows as the buffer leaves each
// cache level), the double distributions on PCG64 (random, uniform, standard_normal, normal,
// standard_exponential, exponential; NumPy is their peer, timed by scripts/bench.sh), jumped()
// and advance(big), what deriving a stream costs (SeedSequence construction and generate_state,
// campaign.philox_stream(id) — a 128-bit key addition —, campaign.jumped_stream(i) for small and
// 64-bit indices and along a claimed run), and two machine limits the fills are measured against
// (limit/...: the throughput of 64x64->128-bit products, the latency of SFC64's rotate-and-add
// and of its longest dependency cycle).
// Peers that are not installed (pcg-cpp, Random123) are left out; the rest still runs.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/distributions.hpp"
#include "streamalloc/mt19937.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/pcg64_dxsm.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/sfc64.hpp"
#include "streamalloc/stream_ids.hpp"
#include "streamalloc/uint128.hpp"

#if __has_include(<pcg_random.hpp>)
#include <pcg_random.hpp>
#define STREAMALLOC_BENCH_HAVE_PCG_CPP 1
#endif
#if __has_include(<Random123/philox.h>)
#include <Random123/philox.h>
#define STREAMALLOC_BENCH_HAVE_RANDOM123 1
#endif

namespace {

using streamalloc::uint128;

constexpr std::size_t fill_words = 4096;
constexpr std::int64_t fill_items = static_cast<std::int64_t>(fill_words);
constexpr std::int64_t fill_bytes = fill_items * 8;
constexpr std::size_t peer_check_words = 64;
// Buffer lengths of the fill_u64 family: 8 KB (L1) to 800 MB (memory).
constexpr std::int64_t fill_lengths[] = {1000, 10000, 100000, 1000000, 10000000, 100000000};

// One entropy for every generator (any fixed value: the benchmarks do not depend on it).
const streamalloc::seed_sequence& root_sequence() {
  static const streamalloc::seed_sequence seq(
      streamalloc::big_uint::parse("0x8c3c010cb4754c905776bdac5ee7501", "bench seed"));
  return seq;
}

// A "big" advance: 2^100 + 12345 draws (or blocks, for Philox).
const streamalloc::big_uint& big_delta() {
  static const streamalloc::big_uint delta =
      (streamalloc::big_uint{1} << 100) + streamalloc::big_uint{12345};
  return delta;
}

// --- peers ------------------------------------------------------------------------------------

#ifdef STREAMALLOC_BENCH_HAVE_PCG_CPP
// pcg-cpp upstream's dxsm_mixin and cheap_multiplier (absent from the packaged 0.98.1).
template <typename xtype, typename itype>
struct dxsm_mixin {
  static xtype output(itype internal) {
    constexpr unsigned xtypebits = sizeof(xtype) * 8;
    constexpr unsigned itypebits = sizeof(itype) * 8;
    xtype hi = static_cast<xtype>(internal >> (itypebits - xtypebits));
    xtype lo = static_cast<xtype>(internal);
    lo |= 1U;
    hi ^= hi >> (xtypebits / 2);
    hi *= static_cast<xtype>(0xda942042e4dd58b5ULL);
    hi ^= hi >> (3 * (xtypebits / 4));
    hi *= lo;
    return hi;
  }
};
template <typename itype>
struct cheap_multiplier {
  static constexpr itype multiplier() { return static_cast<itype>(0xda942042e4dd58b5ULL); }
};
using pcg_cpp_pcg64 = pcg64;  // pcg_engines::setseq_xsl_rr_128_64
using pcg_cpp_dxsm =
    pcg_detail::engine<std::uint64_t, uint128, dxsm_mixin<std::uint64_t, uint128>, true,
                       pcg_detail::specific_stream<uint128>, cheap_multiplier<uint128>>;

// A pcg-cpp engine at the LCG position of one of ours. pcg-cpp's operator>> does not compile
// for 128-bit states with GCC 12 (its pcg128_t extractor is hidden by name lookup), so the
// public constructor is inverted instead: engine(x, seq) sets inc = 2*seq + 1 and
// state = (x + inc) * M + inc, hence x = (state - inc) * M^-1 - inc (M is odd).
constexpr uint128 inverse_mod_2_128(uint128 m) {
  uint128 inv = m;  // correct to 3 bits; each Newton step doubles that
  for (int i = 0; i < 6; ++i) inv *= 2 - m * inv;
  return inv;
}

template <class PcgCpp, class Ours>
PcgCpp pcg_cpp_at(const Ours& ours) {
  constexpr uint128 m = Ours::multiplier;
  static_assert(m * inverse_mod_2_128(m) == 1);
  const uint128 inc = ours.lcg_increment();
  const uint128 x = (ours.lcg_state() - inc) * inverse_mod_2_128(m) - inc;
  return PcgCpp(x, inc >> 1);
}
#endif

#ifdef STREAMALLOC_BENCH_HAVE_RANDOM123
// Random123's Philox4x64-10 driven as NumPy's philox_next: counter + 1, one block, four words.
class random123_philox {
 public:
  using block = r123::Philox4x64_R<10>;

  random123_philox(const streamalloc::philox::key_type& key,
                   const streamalloc::philox::counter_type& counter) {
    key_ = {{key[0], key[1]}};
    counter_ = {{counter[0], counter[1], counter[2], counter[3]}};
  }

  std::uint64_t next64() noexcept {
    if (pos_ < 4) return buffer_.v[pos_++];
    counter_.incr();
    buffer_ = block()(counter_, key_);
    pos_ = 1;
    return buffer_.v[0];
  }
  void fill(std::span<std::uint64_t> out) noexcept {
    for (auto& v : out) v = next64();
  }
  // Whole blocks straight into the output (the block function's ceiling; same words).
  void fill_blocks(std::span<std::uint64_t> out) noexcept {
    std::size_t i = 0;
    for (; i + 4 <= out.size(); i += 4) {
      counter_.incr();
      const block::ctr_type b = block()(counter_, key_);
      out[i] = b.v[0];
      out[i + 1] = b.v[1];
      out[i + 2] = b.v[2];
      out[i + 3] = b.v[3];
    }
    for (; i < out.size(); ++i) out[i] = next64();
  }
  // NumPy's jumped(): counter + 2^128.
  void jump() noexcept {
    if (++counter_.v[2] == 0) ++counter_.v[3];
    pos_ = 4;
  }
  // advance(delta) for a 128-bit delta: counter + delta (mod 2^256).
  void advance(uint128 delta) noexcept {
    const uint128 low = streamalloc::make_uint128(counter_.v[1], counter_.v[0]);
    const uint128 sum = low + delta;
    counter_.v[0] = streamalloc::low64(sum);
    counter_.v[1] = streamalloc::high64(sum);
    if (sum < low && ++counter_.v[2] == 0) ++counter_.v[3];
    pos_ = 4;
  }

 private:
  block::key_type key_{};
  block::ctr_type counter_{};
  block::ctr_type buffer_{};
  unsigned pos_ = 4;
};
#endif

// NumPy's numpy/random/src/sfc64/sfc64.h, as a C-style inline function over the state array.
struct numpy_c_sfc64 {
  std::uint64_t s[4];
  std::uint64_t next64() noexcept {
    const std::uint64_t tmp = s[0] + s[1] + s[3]++;
    s[0] = s[1] ^ (s[1] >> 11);
    s[1] = s[2] + (s[2] << 3);
    s[2] = ((s[2] << 24) | (s[2] >> 40)) + tmp;
    return tmp;
  }
};

// NumPy's numpy/random/src/mt19937/mt19937.c algorithm (Matsumoto and Nishimura's reference
// generator), as plain inline C over the state: all 624 words regenerated when used up, one
// tempered per 32-bit draw; 64-bit words and doubles from two draws as NumPy makes them.
struct numpy_c_mt19937 {
  static constexpr int n = 624;
  static constexpr int m = 397;
  std::uint32_t key[n];
  int pos;

  void gen() noexcept {
    constexpr std::uint32_t upper = 0x80000000U;
    constexpr std::uint32_t lower = 0x7fffffffU;
    constexpr std::uint32_t matrix = 0x9908b0dfU;
    int i = 0;
    std::uint32_t y;
    for (; i < n - m; i++) {
      y = (key[i] & upper) | (key[i + 1] & lower);
      key[i] = key[i + m] ^ (y >> 1) ^ (-(y & 1) & matrix);
    }
    for (; i < n - 1; i++) {
      y = (key[i] & upper) | (key[i + 1] & lower);
      key[i] = key[i + (m - n)] ^ (y >> 1) ^ (-(y & 1) & matrix);
    }
    y = (key[n - 1] & upper) | (key[0] & lower);
    key[n - 1] = key[m - 1] ^ (y >> 1) ^ (-(y & 1) & matrix);
    pos = 0;
  }
  std::uint32_t next32() noexcept {
    if (pos == n) gen();
    std::uint32_t y = key[pos++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    return y ^ (y >> 18);
  }
};

// std::mt19937 in our generator's state: libstdc++ reads the 624 words, then the position of
// the next word to temper (the same meaning as our pos()).
std::mt19937 std_mt_at(const streamalloc::mt19937& ours) {
  std::stringstream text;
  for (const auto word : ours.key()) text << word << ' ';
  text << ours.pos();
  std::mt19937 peer;
  text >> peer;
  return peer;
}

// --- adapters: one interface for every implementation ----------------------------------------
// Each adapter has next64(), fill(span<uint64_t>), fill_double(span<double>).

template <class Engine>
struct ours_adapter {
  Engine engine;
  std::uint64_t next64() noexcept { return engine.next64(); }
  void fill(std::span<std::uint64_t> out) noexcept { engine.fill(out); }
  void fill_double(std::span<double> out) noexcept { engine.fill(out); }
};

// A peer whose next64() is the natural call: fills are plain loops over it, doubles are NumPy's
// (x >> 11) * 2^-53.
template <class Peer>
struct loop_adapter {
  Peer engine;
  std::uint64_t next64() noexcept { return engine(); }
  void fill(std::span<std::uint64_t> out) noexcept {
    for (auto& v : out) v = engine();
  }
  void fill_double(std::span<double> out) noexcept {
    for (auto& v : out) v = static_cast<double>(engine() >> 11) * (1.0 / 9007199254740992.0);
  }
};

struct sfc64_c_adapter {
  numpy_c_sfc64 engine;
  std::uint64_t next64() noexcept { return engine.next64(); }
  void fill(std::span<std::uint64_t> out) noexcept {
    for (auto& v : out) v = engine.next64();
  }
  void fill_double(std::span<double> out) noexcept {
    for (auto& v : out) v = static_cast<double>(engine.next64() >> 11) * (1.0 / 9007199254740992.0);
  }
};

// std::mt19937 producing NumPy's MT19937 outputs: 64-bit words from two draws (high first),
// doubles as genrand_res53.
struct std_mt_adapter {
  std::mt19937 engine;
  std::uint64_t next64() noexcept {
    const std::uint64_t high = engine();
    return (high << 32) | engine();
  }
  void fill(std::span<std::uint64_t> out) noexcept {
    for (auto& v : out) v = next64();
  }
  void fill_double(std::span<double> out) noexcept {
    for (auto& v : out) {
      const std::uint32_t a = static_cast<std::uint32_t>(engine()) >> 5;
      const std::uint32_t b = static_cast<std::uint32_t>(engine()) >> 6;
      v = (static_cast<double>(a) * 67108864.0 + static_cast<double>(b)) / 9007199254740992.0;
    }
  }
};

struct numpy_c_mt_adapter {
  numpy_c_mt19937 engine;
  std::uint64_t next64() noexcept {
    const std::uint64_t high = engine.next32();
    return (high << 32) | engine.next32();
  }
  void fill(std::span<std::uint64_t> out) noexcept {
    for (auto& v : out) v = next64();
  }
  void fill_double(std::span<double> out) noexcept {
    for (auto& v : out) {
      const std::uint32_t a = engine.next32() >> 5;
      const std::uint32_t b = engine.next32() >> 6;
      v = (a * 67108864.0 + b) / 9007199254740992.0;
    }
  }
};

numpy_c_mt_adapter numpy_c_mt_at(const streamalloc::mt19937& ours) {
  numpy_c_mt_adapter peer{};
  for (std::size_t i = 0; i < streamalloc::mt19937::state_size; ++i)
    peer.engine.key[i] = ours.key()[i];
  peer.engine.pos = static_cast<int>(ours.pos());
  return peer;
}

#ifdef STREAMALLOC_BENCH_HAVE_RANDOM123
struct random123_adapter {
  random123_philox engine;
  std::uint64_t next64() noexcept { return engine.next64(); }
  void fill(std::span<std::uint64_t> out) noexcept { engine.fill(out); }
  void fill_double(std::span<double> out) noexcept {
    for (auto& v : out) v = static_cast<double>(engine.next64() >> 11) * (1.0 / 9007199254740992.0);
  }
};
#endif

// Does `b` produce what `a` produces (words and doubles) from their current states? Checked on
// copies, so the benchmarked generators start where they were.
template <class A, class B>
bool same_outputs(A a, B b) {
  for (std::size_t i = 0; i < peer_check_words; ++i) {
    if (a.next64() != b.next64()) return false;
  }
  std::vector<double> da(peer_check_words), db(peer_check_words);
  a.fill_double(da);
  b.fill_double(db);
  return da == db;
}

// --- the benchmark bodies ---------------------------------------------------------------------

template <class Adapter>
void bm_next64(benchmark::State& state, Adapter gen) {
  for (auto _ : state) benchmark::DoNotOptimize(gen.next64());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 8);
}

template <class Adapter>
void bm_fill(benchmark::State& state, Adapter gen) {
  std::vector<std::uint64_t> out(fill_words);
  for (auto _ : state) {
    gen.fill(out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * fill_bytes);
  state.SetItemsProcessed(state.iterations() * fill_items);
}

template <class Adapter>
void bm_fill_double(benchmark::State& state, Adapter gen) {
  std::vector<double> out(fill_words);
  for (auto _ : state) {
    gen.fill_double(out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * fill_bytes);
  state.SetItemsProcessed(state.iterations() * fill_items);
}

// Fills of state.range(0) words into one buffer, written once before timing so that its pages
// exist (a fresh 800 MB buffer would time the kernel's page faults, not the generator).
template <class Adapter>
void bm_fill_n(benchmark::State& state, Adapter gen) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint64_t> out(n);
  gen.fill(out);
  for (auto _ : state) {
    gen.fill(out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * state.range(0) * 8);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// Registers next64, fill and fill_double of `impl` for `generator`, if it agrees with `ours`.
template <class Ours, class Adapter>
void register_streaming(const std::string& generator, const std::string& impl, const Ours& ours,
                        const Adapter& adapter) {
  const bool agrees = same_outputs(ours, adapter);
  const auto add = [&](const std::string& op, auto body) {
    auto* b = benchmark::RegisterBenchmark((op + "/" + generator + "/" + impl).c_str(),
                                           [agrees, adapter, body](benchmark::State& state) {
                                             if (!agrees) {
                                               state.SkipWithError("peer output differs");
                                               for (auto _ : state) {
                                               }
                                               return;
                                             }
                                             body(state, adapter);
                                           });
    b->Unit(benchmark::kNanosecond);
  };
  add("next64", [](benchmark::State& s, Adapter g) { bm_next64(s, std::move(g)); });
  add("fill4096", [](benchmark::State& s, Adapter g) { bm_fill(s, std::move(g)); });
  add("fill_double4096", [](benchmark::State& s, Adapter g) { bm_fill_double(s, std::move(g)); });
  // The same fill from 10^3 to 10^8 words (8 KB to 800 MB): past L1, L2, the last-level cache.
  auto* lengths = benchmark::RegisterBenchmark(("fill_u64/" + generator + "/" + impl).c_str(),
                                               [agrees, adapter](benchmark::State& state) {
                                                 if (!agrees) {
                                                   state.SkipWithError("peer output differs");
                                                   for (auto _ : state) {
                                                   }
                                                   return;
                                                 }
                                                 bm_fill_n(state, adapter);
                                               });
  lengths->Unit(benchmark::kNanosecond);
  for (const std::int64_t n : fill_lengths) lengths->Arg(n);
}

void register_one(const std::string& name, std::function<void(benchmark::State&)> body,
                  benchmark::TimeUnit unit = benchmark::kNanosecond) {
  benchmark::RegisterBenchmark(name.c_str(), std::move(body))->Unit(unit);
}

void register_streaming_benchmarks() {
  const auto& seq = root_sequence();

  const ours_adapter<streamalloc::pcg64> pcg{streamalloc::pcg64(seq)};
  register_streaming("pcg64", "streamalloc", pcg, pcg);
#ifdef STREAMALLOC_BENCH_HAVE_PCG_CPP
  register_streaming("pcg64", "pcg-cpp", pcg,
                     loop_adapter<pcg_cpp_pcg64>{pcg_cpp_at<pcg_cpp_pcg64>(pcg.engine)});
#endif

  const ours_adapter<streamalloc::pcg64_dxsm> dxsm{streamalloc::pcg64_dxsm(seq)};
  register_streaming("pcg64_dxsm", "streamalloc", dxsm, dxsm);
#ifdef STREAMALLOC_BENCH_HAVE_PCG_CPP
  register_streaming("pcg64_dxsm", "pcg-cpp", dxsm,
                     loop_adapter<pcg_cpp_dxsm>{pcg_cpp_at<pcg_cpp_dxsm>(dxsm.engine)});
#endif

  const ours_adapter<streamalloc::philox> phx{streamalloc::philox(seq)};
  register_streaming("philox", "streamalloc", phx, phx);
#ifdef STREAMALLOC_BENCH_HAVE_RANDOM123
  const random123_adapter r123{random123_philox(phx.engine.key(), phx.engine.counter())};
  register_streaming("philox", "Random123", phx, r123);
  // The block function's ceiling: whole blocks written straight out (no per-word buffer test).
  {
    std::vector<std::uint64_t> a(fill_words), b(fill_words);
    auto ours = phx.engine;
    auto peer = r123.engine;
    ours.fill(a);
    peer.fill_blocks(b);
    const bool agrees = a == b;
    register_one("fill4096/philox/Random123-blocks", [agrees, peer](benchmark::State& state) {
      if (!agrees) {
        state.SkipWithError("peer output differs");
        for (auto _ : state) {
        }
        return;
      }
      auto gen = peer;
      std::vector<std::uint64_t> out(fill_words);
      for (auto _ : state) {
        gen.fill_blocks(out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
      }
      state.SetBytesProcessed(state.iterations() * fill_bytes);
      state.SetItemsProcessed(state.iterations() * fill_items);
    });
  }
#endif

  const ours_adapter<streamalloc::mt19937> mt{streamalloc::mt19937(seq)};
  register_streaming("mt19937", "streamalloc", mt, mt);
  register_streaming("mt19937", "std", mt, std_mt_adapter{std_mt_at(mt.engine)});
  register_streaming("mt19937", "numpy-c", mt, numpy_c_mt_at(mt.engine));
  // MT19937 is natively 32-bit: single 32-bit draws too.
  {
    auto ours = mt.engine;
    auto peer = std_mt_at(mt.engine);
    bool agrees = true;
    {
      auto a = ours;
      auto b = peer;
      for (std::size_t i = 0; i < 2000; ++i) agrees = agrees && a.next32() == b();
    }
    register_one("next32/mt19937/streamalloc", [ours](benchmark::State& state) {
      auto gen = ours;
      for (auto _ : state) benchmark::DoNotOptimize(gen.next32());
      state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 4);
    });
    register_one("next32/mt19937/std", [agrees, peer](benchmark::State& state) {
      if (!agrees) {
        state.SkipWithError("peer output differs");
        for (auto _ : state) {
        }
        return;
      }
      auto gen = peer;
      for (auto _ : state) benchmark::DoNotOptimize(gen());
      state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 4);
    });
  }

  const ours_adapter<streamalloc::sfc64> sfc{streamalloc::sfc64(seq)};
  register_streaming("sfc64", "streamalloc", sfc, sfc);
  const auto w = sfc.engine.words();
  register_streaming("sfc64", "numpy-c", sfc,
                     sfc64_c_adapter{numpy_c_sfc64{{w[0], w[1], w[2], w[3]}}});
}

// --- jumps and advances -----------------------------------------------------------------------

// Registers ours (and the peer, if given) for one jump/advance operation. `check` compares the
// results of one call of each before timing.
template <class OursFn, class PeerFn>
void register_pair(const std::string& op, const std::string& generator, OursFn ours,
                   const std::string& peer_name, PeerFn peer, bool agrees) {
  register_one(op + "/" + generator + "/streamalloc", [ours](benchmark::State& state) {
    auto fn = ours;
    for (auto _ : state) benchmark::DoNotOptimize(fn());
  });
  register_one(op + "/" + generator + "/" + peer_name, [peer, agrees](benchmark::State& state) {
    if (!agrees) {
      state.SkipWithError("peer result differs");
      for (auto _ : state) {
      }
      return;
    }
    auto fn = peer;
    for (auto _ : state) benchmark::DoNotOptimize(fn());
  });
}

void register_jump_benchmarks() {
  const auto& seq = root_sequence();
  const uint128 big = big_delta().low_u128();

  // PCG64 / PCG64DXSM: jumped() (advance by floor(2^128/phi)) and advance(2^100 + 12345). The
  // timed lambdas return the new LCG state so that the work cannot be dropped.
  const auto pcg_pair = [&](auto ours_engine, auto peer_engine, const std::string& generator) {
    using Ours = decltype(ours_engine);
    {
      const Ours& o = ours_engine;
      auto p = peer_engine;
      p.advance(streamalloc::detail::pcg_jump_step);
      const bool agrees =
          same_outputs(ours_adapter<Ours>{o.jumped()}, loop_adapter<decltype(p)>{p});
      register_pair(
          "jumped", generator,
          [o] {
            auto copy = o.jumped();
            return copy.next64();
          },
          "pcg-cpp",
          [pe = peer_engine]() mutable {
            auto copy = pe;
            copy.advance(streamalloc::detail::pcg_jump_step);
            return copy();
          },
          agrees);
    }
    {
      Ours o = ours_engine;
      o.advance(big_delta());
      auto p = peer_engine;
      p.advance(big);
      const bool agrees = same_outputs(ours_adapter<Ours>{o}, loop_adapter<decltype(p)>{p});
      register_pair(
          "advance_2^100", generator,
          [o = ours_engine]() mutable { return o.advance(big_delta()).next64(); }, "pcg-cpp",
          [pe = peer_engine, big]() mutable {
            pe.advance(big);
            return pe();
          },
          agrees);
    }
  };
#ifdef STREAMALLOC_BENCH_HAVE_PCG_CPP
  {
    const streamalloc::pcg64 o(seq);
    pcg_pair(o, pcg_cpp_at<pcg_cpp_pcg64>(o), "pcg64");
    const streamalloc::pcg64_dxsm d(seq);
    pcg_pair(d, pcg_cpp_at<pcg_cpp_dxsm>(d), "pcg64_dxsm");
  }
#else
  (void)pcg_pair;
  (void)big;
#endif

  // Philox: jumped() (counter + 2^128) and advance(2^100 + 12345) (counter + delta).
  {
    const streamalloc::philox o(seq);
#ifdef STREAMALLOC_BENCH_HAVE_RANDOM123
    const random123_philox p(o.key(), o.counter());
    auto pj = p;
    pj.jump();
    const bool jump_agrees =
        same_outputs(ours_adapter<streamalloc::philox>{o.jumped()}, random123_adapter{pj});
    register_pair(
        "jumped", "philox",
        [o] {
          auto copy = o.jumped();
          return copy.next64();
        },
        "Random123",
        [p] {
          auto copy = p;
          copy.jump();
          return copy.next64();
        },
        jump_agrees);
    auto oa = o;
    oa.advance(big_delta());
    auto pa = p;
    pa.advance(big);
    const bool advance_agrees =
        same_outputs(ours_adapter<streamalloc::philox>{oa}, random123_adapter{pa});
    register_pair(
        "advance_2^100", "philox", [g = o]() mutable { return g.advance(big_delta()).next64(); },
        "Random123",
        [g = p, big]() mutable {
          g.advance(big);
          return g.next64();
        },
        advance_agrees);
#else
    register_one("jumped/philox/streamalloc", [o](benchmark::State& state) {
      for (auto _ : state) benchmark::DoNotOptimize(o.jumped().counter()[2]);
    });
#endif
  }

  // MT19937: NumPy's 2^128-step jump polynomial. No peer: std::mt19937 can only discard().
  {
    const streamalloc::mt19937 o(seq);
    register_one(
        "jumped/mt19937/streamalloc",
        [o](benchmark::State& state) {
          for (auto _ : state) benchmark::DoNotOptimize(o.jumped().key()[0]);
        },
        benchmark::kMicrosecond);
  }
}

// --- what a new stream costs ------------------------------------------------------------------

void register_derivation_benchmarks() {
  const streamalloc::seed_entropy entropy(
      streamalloc::big_uint::parse("0x8c3c010cb4754c905776bdac5ee7501", "bench seed"));

  // SeedSequence(entropy, spawn_key=(job, task)): construction (mixes the pool), then the four
  // uint64 words PCG64 is seeded from. Peer: std::seed_seq over the same 32-bit words (a
  // different algorithm in the same role; the standard library's only seed sequence).
  register_one("seedseq_construct/spawn_key2/streamalloc", [entropy](benchmark::State& state) {
    std::uint64_t task = 0;
    for (auto _ : state) {
      const streamalloc::seed_sequence s(entropy,
                                         {streamalloc::big_uint{0}, streamalloc::big_uint{task++}});
      benchmark::DoNotOptimize(s.pool().data());
    }
  });
  register_one("seedseq_generate4x64/spawn_key2/streamalloc", [entropy](benchmark::State& state) {
    const streamalloc::seed_sequence s(entropy,
                                       {streamalloc::big_uint{0}, streamalloc::big_uint{7}});
    std::array<std::uint64_t, 4> out{};
    for (auto _ : state) {
      s.generate_state(std::span<std::uint64_t>(out));
      benchmark::DoNotOptimize(out.data());
      benchmark::ClobberMemory();
    }
  });
  register_one("seedseq_construct_generate4x64/spawn_key2/streamalloc",
               [entropy](benchmark::State& state) {
                 std::uint64_t task = 0;
                 std::array<std::uint64_t, 4> out{};
                 for (auto _ : state) {
                   const streamalloc::seed_sequence s(
                       entropy, {streamalloc::big_uint{0}, streamalloc::big_uint{task++}});
                   s.generate_state(std::span<std::uint64_t>(out));
                   benchmark::DoNotOptimize(out.data());
                   benchmark::ClobberMemory();
                 }
               });
  register_one("seedseq_construct_generate4x64/spawn_key2/std::seed_seq",
               [entropy](benchmark::State& state) {
                 const auto words = entropy.words();
                 std::uint32_t task = 0;
                 std::array<std::uint32_t, 8> out{};
                 for (auto _ : state) {
                   std::seed_seq s{words[0], words[1], words[2], words[3], 0U, task++};
                   s.generate(out.begin(), out.end());
                   benchmark::DoNotOptimize(out.data());
                   benchmark::ClobberMemory();
                 }
               });

  // A whole spawned stream: campaign.spawn_sequence(job, (task,)) then PCG64(seq) — what a
  // spawn-strategy stream costs before its first draw.
  const streamalloc::campaign spawn_campaign(entropy, streamalloc::strategy::spawn);
  register_one("spawn_stream/pcg64/streamalloc", [spawn_campaign](benchmark::State& state) {
    std::uint64_t task = 0;
    for (auto _ : state) {
      const streamalloc::pcg64 g(
          spawn_campaign.spawn_sequence(streamalloc::job_index(0), streamalloc::task_path{task++}));
      benchmark::DoNotOptimize(g.lcg_state());
    }
  });

  // Philox stream derivation: campaign.philox_stream(id) = Philox(key = root key + id). Peer:
  // the same 128-bit key addition building a Random123 key and a zero counter.
  const streamalloc::campaign philox_campaign(entropy, streamalloc::strategy::philox);
  register_one("philox_stream/philox/streamalloc", [philox_campaign](benchmark::State& state) {
    std::uint64_t id = 0;
    for (auto _ : state) {
      auto g =
          philox_campaign.philox_stream(streamalloc::job_index(0), streamalloc::stream_id(id++));
      benchmark::DoNotOptimize(g);
    }
  });
#ifdef STREAMALLOC_BENCH_HAVE_RANDOM123
  {
    const uint128 root = philox_campaign.philox_root_key();
    register_one("philox_stream/philox/Random123", [root](benchmark::State& state) {
      std::uint64_t id = 0;
      for (auto _ : state) {
        const uint128 key = root + id++;
        random123_philox g({streamalloc::low64(key), streamalloc::high64(key)}, {0, 0, 0, 0});
        benchmark::DoNotOptimize(g);
      }
    });
  }
#endif

  // Jumped stream derivation: campaign.jumped_stream(i) = PCG64(root).jumped(i). Peer: pcg-cpp
  // copy + advance(i * jump step).
  const streamalloc::campaign jumped_campaign(entropy, streamalloc::strategy::jumped);
  register_one("jumped_stream/pcg64/streamalloc", [jumped_campaign](benchmark::State& state) {
    std::uint64_t index = 1;
    for (auto _ : state) {
      auto g = jumped_campaign.jumped_stream(streamalloc::job_index(0),
                                             streamalloc::jump_index(index++));
      benchmark::DoNotOptimize(g.next64());
    }
  });
  // Jump counts with all sixteen hex digits nonzero: the most affine maps a 64-bit count needs
  // (beyond any job region's counts, which stay below 2^62; measured on the root directly).
  register_one("jumped_stream_2^63/pcg64/streamalloc", [jumped_campaign](benchmark::State& state) {
    std::uint64_t index = 0xFEDCBA9876543211ULL;
    for (auto _ : state) {
      auto g = jumped_campaign.jumped_root().jumped(index);
      index += 0x1111111111111111ULL;
      benchmark::DoNotOptimize(g.next64());
    }
  });
  // The streams of a claimed run, one after another: claimed_run<pcg64>::stream(k) is
  // campaign.jumped_stream(job, first + k) after a bounds check (streamalloc/mpi/stream_allocator.hpp);
  // here job 3 and first = 2^32 + 12345 (a rank's block far into a job), k = 0, 1, 2, ...
  register_one("claimed_run_stream/pcg64/streamalloc", [jumped_campaign](benchmark::State& state) {
    constexpr std::uint64_t first = (std::uint64_t{1} << 32) + 12345;
    std::uint64_t k = 0;
    for (auto _ : state) {
      auto g = jumped_campaign.jumped_stream(streamalloc::job_index(3),
                                             streamalloc::jump_index(first + k++));
      benchmark::DoNotOptimize(g.next64());
    }
  });
#ifdef STREAMALLOC_BENCH_HAVE_PCG_CPP
  {
    const auto root = pcg_cpp_at<pcg_cpp_pcg64>(jumped_campaign.jumped_root());
    register_one("jumped_stream/pcg64/pcg-cpp", [root](benchmark::State& state) {
      std::uint64_t index = 1;
      for (auto _ : state) {
        auto g = root;
        g.advance(uint128{index++} * streamalloc::detail::pcg_jump_step);
        benchmark::DoNotOptimize(g());
      }
    });
  }
#endif
}

// --- distributions ----------------------------------------------------------------------------

// NumPy's Generator methods that fill doubles, on PCG64 (NumPy's default bit generator), 4096 at
// a time; random and standard_normal also from 10^3 to 10^7 values. Their peer is NumPy itself
// (Generator.<method>(out=...) or size=..., timed by scripts/bench.sh in the same run).
void register_distribution_benchmarks() {
  const streamalloc::pcg64 engine(root_sequence());
  using fill_fn = void (*)(streamalloc::pcg64&, std::span<double>);
  const std::pair<const char*, fill_fn> methods[] = {
      {"random", [](streamalloc::pcg64& g, std::span<double> out) { streamalloc::random(g, out); }},
      {"uniform", [](streamalloc::pcg64& g,
                     std::span<double> out) { streamalloc::uniform(g, -1.0, 3.0, out); }},
      {"standard_normal",
       [](streamalloc::pcg64& g, std::span<double> out) { streamalloc::standard_normal(g, out); }},
      {"normal",
       [](streamalloc::pcg64& g, std::span<double> out) { streamalloc::normal(g, 1.0, 2.0, out); }},
      {"standard_exponential",
       [](streamalloc::pcg64& g, std::span<double> out) {
         streamalloc::standard_exponential(g, out);
       }},
      {"exponential",
       [](streamalloc::pcg64& g, std::span<double> out) { streamalloc::exponential(g, 2.0, out); }},
  };
  const auto body = [engine](fill_fn fill) {
    return [engine, fill](benchmark::State& state) {
      auto gen = engine;
      const auto n = static_cast<std::size_t>(state.range(0));
      std::vector<double> out(n);
      fill(gen, out);
      for (auto _ : state) {
        fill(gen, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
      }
      state.SetBytesProcessed(state.iterations() * state.range(0) * 8);
      state.SetItemsProcessed(state.iterations() * state.range(0));
    };
  };
  for (const auto& [name, fill] : methods) {
    benchmark::RegisterBenchmark((std::string(name) + "4096/pcg64/streamalloc").c_str(), body(fill))
        ->Arg(4096)
        ->Unit(benchmark::kNanosecond);
  }
  for (const auto& [name, fill] : methods) {
    if (std::string(name) != "random" && std::string(name) != "standard_normal") continue;
    auto* b = benchmark::RegisterBenchmark((std::string(name) + "_n/pcg64/streamalloc").c_str(),
                                           body(fill));
    b->Unit(benchmark::kNanosecond);
    for (const std::int64_t n : fill_lengths) {
      if (n <= 10000000) b->Arg(n);
    }
  }
}

// --- machine limits ---------------------------------------------------------------------------

// What the fills are measured against: the throughput of 64x64->128-bit products (eight
// independent chains, so latency is hidden; PCG64 needs three per word, Philox five), and the
// latency of one rotate-and-add, SFC64's serial chain per word (c = rotl(c, 24) + r).
// Items per iteration, and the time per item as the per_item counter (what the summary reads).
void count_items(benchmark::State& state, std::int64_t per_iteration) {
  state.SetItemsProcessed(state.iterations() * per_iteration);
  state.counters["per_item"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(per_iteration),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void register_limit_benchmarks() {
  register_one("limit/mul64x64_128/product", [](benchmark::State& state) {
    std::uint64_t x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    constexpr std::uint64_t m = 0xD2E7470EE14C6C93ULL;
    for (auto _ : state) {
      for (int round = 0; round < 16; ++round) {
        for (auto& v : x) {
          const uint128 p = static_cast<uint128>(m) * v;
          v = streamalloc::low64(p) ^ streamalloc::high64(p);
        }
      }
      benchmark::DoNotOptimize(x);
    }
    count_items(state, 16 * 8);
  });
  register_one("limit/rotl_add_chain/step", [](benchmark::State& state) {
    std::uint64_t c = 1;
    std::uint64_t r = 0x9E3779B97F4A7C15ULL;
    benchmark::DoNotOptimize(r);
    for (auto _ : state) {
      for (int step = 0; step < 64; ++step) c = ((c << 24) | (c >> 40)) + r;
      benchmark::DoNotOptimize(c);
    }
    count_items(state, 64);
  });
  // SFC64's longest dependency cycle: c -> b = c + (c << 3) -> a = b ^ (b >> 11) -> the
  // output a + counter + b -> c = rotl(c, 24) + output spans three words, seven operations in
  // a row (the shift-and-add is one LEA, two cycles on recent Intel cores). The same operations
  // on one register, kept in that order, give the fastest any single SFC64 stream can run.
  register_one("limit/sfc64_cycle/word", [](benchmark::State& state) {
    std::uint64_t x = 1;
    std::uint64_t r = 0x9E3779B97F4A7C15ULL;
    benchmark::DoNotOptimize(r);
    constexpr int cycles = 21;  // 63 words
    for (auto _ : state) {
      for (int i = 0; i < cycles; ++i) {
        x = x + (x << 3);
        x ^= x >> 11;
        x += r;
        benchmark::DoNotOptimize(x);  // keeps the three additions apart, as in the step
        x += r;
        benchmark::DoNotOptimize(x);
        x += r;
        benchmark::DoNotOptimize(x);
      }
    }
    count_items(state, 3 * cycles);
  });
}

}  // namespace

int main(int argc, char** argv) {
  register_streaming_benchmarks();
  register_distribution_benchmarks();
  register_jump_benchmarks();
  register_derivation_benchmarks();
  register_limit_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
