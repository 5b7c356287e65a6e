// streamalloc/distributions.hpp — every distribution: the values numpy.random.Generator draws.
//
// For any of streamalloc's NumPy bit generators g, each function here returns the same values,
// in the same order, as numpy.random.Generator(<the same bit generator>).<method>(...) does in
// NumPy 1.24, for single draws and for bulk fills into a std::span:
//
//   random, uniform                      distributions/uniform.hpp
//   integers (all NumPy integer dtypes)  distributions/integers.hpp
//   standard_normal, normal              distributions/normal.hpp
//   standard_exponential, exponential    distributions/exponential.hpp
//   standard_gamma, gamma                distributions/gamma.hpp
//   poisson                              distributions/poisson.hpp
//   binomial                             distributions/binomial.hpp
//   multinomial                          distributions/multinomial.hpp
//   shuffle, permutation                 distributions/permutation.hpp
//
// Each distribution is a free function (`normal(gen, loc, scale)`, `normal(gen, loc, scale,
// span)`) and a class in the style of <random> whose constructor validates the parameters once
// (`normal_distribution d(loc, scale); d(gen); d.fill(gen, span);`). Invalid parameters throw
// streamalloc::invalid_argument naming the parameter, its value and the valid range, wherever
// NumPy raises ValueError (and for NaN parameters, which NumPy sometimes lets through).
// Any std::uniform_random_bit_generator works as well (distributions/bit_source.hpp explains how
// its output is turned into NumPy's 64-bit, 32-bit and double draws).
//
// Floating-point: the real-valued algorithms are NumPy's operation for operation, in IEEE double
// precision, with every product rounded before it is added (distributions/fp.hpp keeps compilers
// from fusing them into FMAs even under -march=native). They call exp, log, log1p, pow and sqrt
// from the C library, so bit-exactness also assumes the libm NumPy itself uses (the same glibc
// on the same machine, as in our tests). Integer results (integers, shuffle, permutation)
// involve no floating point.
//
// Thread safety: distribution objects are immutable after construction and may be shared between
// threads; generators are not thread-safe (one per thread).
#pragma once

#include "streamalloc/distributions/binomial.hpp"
#include "streamalloc/distributions/bit_source.hpp"
#include "streamalloc/distributions/exponential.hpp"
#include "streamalloc/distributions/gamma.hpp"
#include "streamalloc/distributions/integers.hpp"
#include "streamalloc/distributions/multinomial.hpp"
#include "streamalloc/distributions/normal.hpp"
#include "streamalloc/distributions/permutation.hpp"
#include "streamalloc/distributions/poisson.hpp"
#include "streamalloc/distributions/uniform.hpp"
