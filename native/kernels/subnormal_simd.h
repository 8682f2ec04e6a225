// Double products c * x and quotients x / d, rounded to nearest even as the
// hardware rounds them, for lanes where x is tiny (0 < |x| < 2^-900: a
// subnormal, or a normal whose product may be one), without the microcode
// assist of about 100 cycles that x86 takes for a subnormal operand or
// result of a multiply or divide (adds, compares and integer operations take
// none). The optimizers use them where a dead unit's momentum has decayed
// among the subnormals (optimizers_simd.h); floats have a simpler way (the
// float operation computed in double).
//
// How: |x| * 2^1074 is exact and normal (a subnormal's mantissa bits, read
// as an integer through 2^52's bits; a tiny normal, times 2^537 twice), and
// on that scale the subnormal grid is the integers. The exact result y of
// the scaled operation then rounds to an integer in one step: fma(|c|, x',
// 2^52) for the product (the sum's ulp is 1), for the quotient RN(x' / d)
// rounded to an integer, corrected by the sign of the exact remainder
// fma(-q, d, x') when it sits on a half. The integer's bits are then the
// subnormal's (2^52 being the least normal's). A result at or above 2^52 is
// normal: the scaled RN, times 2^-537 twice (exact).
//
// Valid where 2^-100 <= |c| <= 2^100 or c = 0, and 2^-500 <= d <= 2^500
// (callers check); lanes that are not tiny are the hardware's operation,
// computed on a 1 in place of their tiny lanes. Like the rest of the addon,
// it assumes the default floating-point environment (round to nearest, no
// flush-to-zero), which deepnet never changes.
//
// Level-generic: see elementwise_level.h. V: a double vector (Vec256 or
// Vec512 <double>).
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {
namespace subnormal {

constexpr double kTinyDouble = 0x1p-900;

using vmath::abs;

// |x| * 2^1074 in the tiny lanes (anything in the others).
template <typename V>
DEEPNET_SIMD_INLINE typename V::type scaled_abs(typename V::type x) {
  const typename V::type a = abs<V>(x), two52 = V::splat(0x1p52);
  const typename V::mask sub = V::lt(a, V::splat(0x1p-1022));
  const typename V::type k = V::from_bits(V::as_bits(a) | V::as_bits(two52)) - two52;  // a subnormal's mantissa
  const typename V::type n = V::select(sub, V::splat(1.0), a) * V::splat(0x1p537) * V::splat(0x1p537);
  return V::select(sub, k, n);
}

// The magnitude whose scaled rounding is `normal` (>= 2^52) or the integer
// whose bits `integer_bits` holds, with the sign `sign_of`'s sign bit.
template <typename V>
DEEPNET_SIMD_INLINE typename V::type unscale(typename V::type normal, typename V::bits integer_bits,
                                             typename V::bits sign_of) {
  const typename V::mask big = V::le(V::splat(0x1p52), normal);
  const typename V::type n = V::select(big, normal, V::splat(0x1p52)) * V::splat(0x1p-537) * V::splat(0x1p-537);
  const typename V::type magnitude = V::select(big, n, V::from_bits(integer_bits));
  return V::from_bits(V::as_bits(magnitude) | (sign_of & 0x8000000000000000ull));
}

// RN(c * x), every lane.
template <typename V>
DEEPNET_SIMD_INLINE typename V::type mul(typename V::type c, typename V::type x) {
  using W = typename V::type;
  const typename V::mask t = V::tiny(x, kTinyDouble);
  const W xs = scaled_abs<V>(x), ca = abs<V>(c), two52 = V::splat(0x1p52);
  const W rounded = V::fmadd(ca, xs, two52);  // the integer nearest the scaled product, + 2^52
  const W exact = unscale<V>(ca * xs, V::as_bits(rounded) - V::as_bits(two52), V::as_bits(c) ^ V::as_bits(x));
  return V::select(t, exact, c * V::select(t, V::splat(1.0), x));
}

// RN(x / d), every lane; d > 0 where x is tiny.
template <typename V>
DEEPNET_SIMD_INLINE typename V::type div(typename V::type x, typename V::type d) {
  using W = typename V::type;
  using B = typename V::bits;
  const typename V::mask t = V::tiny(x, kTinyDouble);
  const W xs = scaled_abs<V>(x), two52 = V::splat(0x1p52);
  const W q = xs / V::select(t, d, V::splat(1.0));
  const W remainder = V::fnmadd(q, d, xs);  // xs - q d, exact
  const W rounded = V::select(V::lt(q, two52), q, V::zero()) + two52;  // the integer nearest q, + 2^52
  const W off = (rounded - two52) - q;                                  // exact: -0.5 or 0.5 on a half
  B bits = V::as_bits(rounded) - V::as_bits(two52);
  const B one = V::as_bits(V::zero()) + 1;
  // On a half, the exact quotient lies beyond q on the side of the remainder's sign.
  const W half = V::splat(0.5), zero = V::zero();
  bits += one & V::as_bits(V::select(V::both(V::eq(off, -half), V::lt(zero, remainder)), V::from_bits(~B{}), zero));
  bits -= one & V::as_bits(V::select(V::both(V::eq(off, half), V::lt(remainder, zero)), V::from_bits(~B{}), zero));
  const W exact = unscale<V>(q, bits, V::as_bits(x));
  return V::select(t, exact, V::select(t, V::splat(1.0), x) / d);
}

}  // namespace subnormal
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
