// exp, expm1, tanh and log for a vector of doubles (4 lanes at AVX2, 8 at
// AVX-512), within one ulp of the correctly rounded result, with IEEE special
// cases (NaN, +-Inf, 0, subnormals) as the C library's. The sigmoid and tanh
// layers, the softmax and the costs call them; glibc's scalar exp/log (what
// numpy calls) would otherwise be most of a small network's iteration. They
// differ from glibc's by at most one ulp on a small share of inputs: within
// the golden tolerances, which allow for that (see ../shared/golden/README.md).
// DEEPNET_SIMD=portable keeps glibc's.
//
// Written once over the level's Vec<double>: every lane gets the same
// operations in the same order at both levels, so AVX-512's results are
// AVX2's bit for bit (the native tests check it).
//
// Level-generic: see elementwise_level.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {
namespace vmath {

using D = Vec<double>;
using VD = D::type;

// Sign-bit arithmetic: -x, |x| and |m| with the sign of s, as bit operations
// (NaNs included).
DEEPNET_SIMD_INLINE VD neg(VD x) { return D::from_bits(D::as_bits(x) ^ D::as_bits(D::splat(-0.0))); }
template <typename V = D>  // any double vector (subnormal_simd.h's are 256-bit at every level)
DEEPNET_SIMD_INLINE typename V::type abs(typename V::type x) { return V::from_bits(V::as_bits(x) & ~V::as_bits(V::splat(-0.0))); }
DEEPNET_SIMD_INLINE VD copysign(VD m, VD s) {
  const D::bits sign = D::as_bits(D::splat(-0.0));
  return D::from_bits((D::as_bits(m) & ~sign) | (D::as_bits(s) & sign));
}

// Integral doubles k (|k| < 2^31) to int64 lanes: adding 1.5 * 2^52 puts k in
// the low mantissa bits; subtracting the magic's bits leaves k.
DEEPNET_SIMD_INLINE D::bits to_int64(VD k) {
  const VD magic = D::splat(6755399441055744.0);
  return D::as_bits(k + magic) - D::as_bits(magic);
}

// 2^k for integral k in [-1022, 1023].
DEEPNET_SIMD_INLINE VD pow2(VD k) { return D::from_bits((to_int64(k) + 1023) << 52); }

// P(r) with exp(r) = 1 + r P(r) for |r| <= ln2 / 2: exp's Taylor series to
// degree 13 in Horner form (truncation < 1e-17). exp adds the 1; expm1 leaves
// it out, so that it keeps full precision near 0.
DEEPNET_SIMD_INLINE VD series(VD r) {
  static constexpr double c[] = {1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800,
                                 1.0 / 362880,     1.0 / 40320,     1.0 / 5040,     1.0 / 720,
                                 1.0 / 120,        1.0 / 24,        1.0 / 6,        0.5,
                                 1.0};
  VD p = D::splat(c[0]);
  for (int i = 1; i < 13; ++i) p = D::fmadd(p, r, D::splat(c[i]));
  return p;
}

// x = k ln2 + r, |r| <= ln2 / 2 (Cody-Waite, two-part ln2): r, given k.
DEEPNET_SIMD_INLINE VD reduce(VD x, VD k) {
  const VD r = D::fnmadd(k, D::splat(6.93147180369123816490e-01), x);
  return D::fnmadd(k, D::splat(1.90821492927058770002e-10), r);
}

DEEPNET_SIMD_INLINE VD nearest_k(VD x) { return D::round(x * D::splat(1.4426950408889634)); }

// exp(x) = 2^k exp(r), with 2^k applied in two factors so that results in
// the subnormal range round once, correctly.
DEEPNET_SIMD_INLINE VD exp(VD x) {
  const VD k = nearest_k(x);
  const VD r = reduce(x, k);
  const VD p = D::fmadd(series(r), r, D::splat(1.0));
  const VD kc = D::min(D::max(k, D::splat(-1100)), D::splat(1100));
  const VD k1 = D::floor(kc * D::splat(0.5));
  VD y = (p * pow2(k1)) * pow2(kc - k1);
  y = D::select(D::gt(x, D::splat(709.782712893384)), D::splat(__builtin_inf()), y);
  y = D::select(D::lt(x, D::splat(-745.1332191019412)), D::zero(), y);
  return D::select(D::unord(x, x), x, y);  // NaN in, NaN out
}

// expm1(x) = exp(x) - 1 without the cancellation near 0: q = expm1(r) by the
// series, and expm1(x) = 2^k q + (2^k - 1). Below -50 the result is -1
// (exp(-50) is under half an ulp of 1); k = 1024 (x > 709.43) takes 2^1023
// and doubles the result (the 1 is far below its ulp). expm1(-0) is +0
// (tanh, its user, takes the sign from its argument).
DEEPNET_SIMD_INLINE VD expm1(VD x) {
  const VD xc = D::max(x, D::splat(-50.0));
  const VD k = nearest_k(xc);
  const VD r = reduce(xc, k);
  const VD q = series(r) * r;
  const VD scale = pow2(D::min(k, D::splat(1023)));
  VD y = D::fmadd(scale, q, scale - D::splat(1.0));
  y = D::select(D::gt(k, D::splat(1023)), y * D::splat(2.0), y);
  y = D::select(D::gt(x, D::splat(709.782712893384)), D::splat(__builtin_inf()), y);
  return D::select(D::unord(x, x), x, y);  // NaN in, NaN out
}

// tanh(z) = sign(z) * (-e / (e + 2)) with e = expm1(-2|z|): no cancellation
// for small |z|, exactly +-1 once |z| > 25, NaN in, NaN out.
DEEPNET_SIMD_INLINE VD tanh(VD z) {
  const VD e = expm1(abs(z) * D::splat(-2.0));
  return copysign(neg(e) / (e + D::splat(2.0)), z);
}

// log(x): fdlibm's e_log.c. x = 2^e (1 + f) with 1 + f in [sqrt(2)/2,
// sqrt(2)); log(1 + f) = f - hfsq + s (hfsq + R(s^2)), s = f / (2 + f).
DEEPNET_SIMD_INLINE VD log(VD x) {
  const D::mask sub = D::lt(x, D::splat(2.2250738585072014e-308));  // subnormal (or <= 0): scale by 2^54
  const VD xs = D::select(sub, x * D::splat(18014398509481984.0), x);
  const D::bits bits = D::as_bits(xs);
  VD m = D::from_bits((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  // The exponent as a double: (bits >> 52) - 1023, through the magic constant.
  const VD two52 = D::splat(4503599627370496.0);
  VD e = D::from_bits((bits >> 52) | D::as_bits(two52)) - D::splat(4503599627370496.0 + 1023);
  e = e - D::select(sub, D::splat(54), D::zero());
  const D::mask big = D::gt(m, D::splat(1.4142135623730951));
  m = D::select(big, m * D::splat(0.5), m);
  e = e + D::select(big, D::splat(1), D::zero());
  const VD f = m - D::splat(1);
  const VD s = f / (D::splat(2) + f);
  const VD z = s * s, w = z * z;
  // fdlibm's Lg1..Lg7.
  const VD t1 = w * D::fmadd(w, D::fmadd(w, D::splat(1.531383769920937332e-01), D::splat(2.222219843214978396e-01)),
                             D::splat(3.999999999940941908e-01));
  const VD t2 = z * D::fmadd(w, D::fmadd(w, D::fmadd(w, D::splat(1.479819860511658591e-01), D::splat(1.818357216161805012e-01)),
                                         D::splat(2.857142874366239149e-01)),
                             D::splat(6.666666666666735130e-01));
  const VD R = t2 + t1;
  const VD hfsq = D::splat(0.5) * (f * f);
  const VD ln2_hi = D::splat(6.93147180369123816490e-01), ln2_lo = D::splat(1.90821492927058770002e-10);
  // e*ln2_hi - ((hfsq - (s*(hfsq+R) + e*ln2_lo)) - f)
  const VD inner = s * (hfsq + R) + e * ln2_lo;
  VD y = e * ln2_hi - ((hfsq - inner) - f);
  y = D::select(D::eq(x, D::zero()), D::splat(-__builtin_inf()), y);
  y = D::select(D::lt(x, D::zero()), D::splat(__builtin_nan("")), y);
  const D::mask special = D::either(D::unord(x, x), D::eq(x, D::splat(__builtin_inf())));
  return D::select(special, x, y);  // NaN -> NaN, +Inf -> +Inf
}

}  // namespace vmath
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
