// MT19937 jump-ahead: NumPy's MT19937.jumped(), bit for bit.
//
// Haramoto, Matsumoto, Nishimura, Panneton and L'Ecuyer, "Efficient Jump Ahead for F2-Linear
// Random Number Generators" (INFORMS J. on Computing 20(3), 2008): with T the (linear)
// one-step transition and p its characteristic polynomial, T^J = g(T) for g = x^J mod p, so the
// state J steps ahead is g(T) applied to the state, computed by Horner's rule with one step
// and one state addition per coefficient. J = 2^128 here; g comes from
// scripts/gen_mt19937_jump_poly.py (src/mt19937_jump.hpp).
//
// The "state" seen by the jump is the 624 words read cyclically from pos, and one "step"
// replaces the single word at pos by the twisted recurrence and moves pos on by one (wrapping
// 623 -> 0); that is the view of Matsumoto's jump code, which NumPy's mt19937_jump_state uses
// although NumPy's generator stores whole blocks (see the caveat in mt19937.hpp). NumPy first
// maps pos 624 to 0. To give NumPy's exact state, and so its exact outputs, we follow the same
// formulation: the same polynomial (one merely congruent to it modulo p would act differently
// on the 31 low bits of the word at pos, which the recurrence ignores but NumPy's next output
// reads), the same Horner order, and `jumps` jumps applied one after another.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "src/mt19937_jump.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mt19937.hpp"

namespace streamalloc {

namespace {

constexpr std::size_t n_words = mt19937::state_size;

bool jump_coefficient(unsigned i) noexcept {
  return ((detail::mt19937_jump_poly[i / 32] >> (i % 32)) & 1U) != 0;
}

// The highest nonzero coefficient of the jump polynomial.
constexpr unsigned jump_degree() noexcept {
  unsigned i = detail::mt19937_jump_poly_terms - 1;
  while (i > 0 && ((detail::mt19937_jump_poly[i / 32] >> (i % 32)) & 1U) == 0) --i;
  return i;
}

// The state a jump starts from, read cyclically from its pos, stored twice in a row
// (doubled[k] = words[k mod 624]) so that any cyclic shift of it is one contiguous run.
struct doubled_state {
  std::array<std::uint32_t, 2 * n_words> doubled;
  std::size_t pos;
};

// acc += base (XOR), the two read from their own positions: acc[acc_pos + i] ^=
// base[base.pos + i] for i < 624, indices mod 624. Equivalently acc[a] ^= base[a - shift] with
// shift = acc_pos - base.pos (mod 624): one contiguous pass over the doubled copy.
void add_state(std::array<std::uint32_t, n_words>& acc, std::size_t acc_pos,
               const doubled_state& base) noexcept {
  const std::size_t shift = (acc_pos + n_words - base.pos) % n_words;
  const std::uint32_t* in = base.doubled.data() + (n_words - shift);
  for (std::size_t a = 0; a < n_words; ++a) acc[a] ^= in[a];
}

}  // namespace

void mt19937::jump_once() noexcept {
  // NumPy's mt19937_jump_state: a used-up state (pos 624) is taken as pos 0, without
  // regenerating: the word at 0 is then the next one the step replaces.
  if (pos_ >= state_size) pos_ = 0;
  doubled_state base{};
  std::copy(key_.begin(), key_.end(), base.doubled.begin());
  std::copy(key_.begin(), key_.end(), base.doubled.begin() + n_words);
  base.pos = pos_;

  // Horner's rule from the leading coefficient: acc = base, then for each lower coefficient
  // acc = T(acc) (+ base if the coefficient is 1). One step (T) replaces the word at pos by
  // the recurrence of it, its cyclic neighbour and the word m ahead, then moves pos on.
  static constexpr unsigned degree = jump_degree();
  key_type acc = key_;
  std::size_t p = pos_;
  for (unsigned i = degree; i-- > 0;) {
    const std::size_t next = p + 1 == n_words ? 0 : p + 1;
    const std::size_t far =
        p + middle_offset >= n_words ? p + middle_offset - n_words : p + middle_offset;
    acc[p] = twist(acc[p], acc[next], acc[far]);
    p = next;
    if (jump_coefficient(i)) add_state(acc, p, base);
  }
  key_ = acc;
  pos_ = p;
}

namespace {

[[noreturn]] void refuse_jumps(const std::string& jumps) {
  throw invalid_argument("MT19937 jumped(): " + jumps +
                         " jumps is out of range (expected an integer in [-2**63, 2**63 - 1], "
                         "NumPy's C long; NumPy raises OverflowError)");
}

}  // namespace

mt19937& mt19937::jump(std::uint64_t jumps) {
  if (jumps > max_jumps) refuse_jumps(std::to_string(jumps));
  for (std::uint64_t j = 0; j < jumps; ++j) jump_once();
  return *this;
}

mt19937 mt19937::jumped(std::uint64_t jumps) const {
  mt19937 copy = *this;
  copy.jump(jumps);
  return copy;
}

mt19937 mt19937::jumped(const big_uint& jumps) const {
  if (!jumps.fits_u64() || jumps.low_u64() > max_jumps) refuse_jumps(jumps.to_string());
  return jumped(jumps.low_u64());
}

mt19937 mt19937::jumped_back(const big_uint& jumps) const {
  // -2^63 is still a C long; NumPy's range(-n) is empty, so no jump at all.
  if (!jumps.fits_u64() || jumps.low_u64() > max_jumps + 1) refuse_jumps("-" + jumps.to_string());
  return *this;
}

}  // namespace streamalloc
