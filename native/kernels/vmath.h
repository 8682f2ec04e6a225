// exp and log for four doubles at once (AVX2 + FMA), within one ulp of the
// correctly rounded result, with IEEE special cases (NaN, +-Inf, 0,
// subnormals) as the C library's. The sigmoid layer and the cost call them;
// glibc's scalar exp/log (what numpy calls) would otherwise be most of a
// small network's iteration. They differ from glibc's by at most one ulp on a
// small share of inputs: within the golden tolerances, which allow for that
// (see ../shared/golden/README.md). DEEPNET_SIMD=portable keeps glibc's.
//
// Only use inside functions marked DEEPNET_TARGET_AVX2.
#pragma once

#include "cpu.h"

#if DEEPNET_HAS_X86
#include <immintrin.h>

namespace deepnet {
namespace vmath {

#define DEEPNET_VMATH DEEPNET_TARGET_AVX2 __attribute__((always_inline)) inline

// Integral doubles k (|k| < 2^31) to int64 lanes: adding 1.5 * 2^52 puts k in
// the low mantissa bits; subtracting the magic's bits leaves k.
DEEPNET_VMATH __m256i to_int64(__m256d k) {
  const __m256d magic = _mm256_set1_pd(6755399441055744.0);
  return _mm256_sub_epi64(_mm256_castpd_si256(_mm256_add_pd(k, magic)), _mm256_castpd_si256(magic));
}

// 2^k for integral k in [-1022, 1023].
DEEPNET_VMATH __m256d pow2(__m256d k) {
  const __m256i e = _mm256_add_epi64(to_int64(k), _mm256_set1_epi64x(1023));
  return _mm256_castsi256_pd(_mm256_slli_epi64(e, 52));
}

// exp(x): x = k ln2 + r, |r| <= ln2 / 2 (Cody-Waite, two-part ln2), exp(r) by
// its Taylor series to degree 13 in Horner form (truncation < 1e-17), times
// 2^k applied in two factors so that results in the subnormal range round
// once, correctly.
DEEPNET_VMATH __m256d exp_pd(__m256d x) {
  const __m256d k = _mm256_round_pd(_mm256_mul_pd(x, _mm256_set1_pd(1.4426950408889634)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(6.93147180369123816490e-01), x);
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(1.90821492927058770002e-10), r);
  static constexpr double c[] = {1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800,
                                 1.0 / 362880,     1.0 / 40320,     1.0 / 5040,     1.0 / 720,
                                 1.0 / 120,        1.0 / 24,        1.0 / 6,        0.5,
                                 1.0,              1.0};
  __m256d p = _mm256_set1_pd(c[0]);
  for (int i = 1; i < 14; ++i) p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(c[i]));
  const __m256d kc = _mm256_min_pd(_mm256_max_pd(k, _mm256_set1_pd(-1100)), _mm256_set1_pd(1100));
  const __m256d k1 = _mm256_floor_pd(_mm256_mul_pd(kc, _mm256_set1_pd(0.5)));
  __m256d y = _mm256_mul_pd(_mm256_mul_pd(p, pow2(k1)), pow2(_mm256_sub_pd(kc, k1)));
  y = _mm256_blendv_pd(y, _mm256_set1_pd(__builtin_inf()), _mm256_cmp_pd(x, _mm256_set1_pd(709.782712893384), _CMP_GT_OQ));
  y = _mm256_blendv_pd(y, _mm256_setzero_pd(), _mm256_cmp_pd(x, _mm256_set1_pd(-745.1332191019412), _CMP_LT_OQ));
  return _mm256_blendv_pd(y, x, _mm256_cmp_pd(x, x, _CMP_UNORD_Q));  // NaN in, NaN out
}

// expm1(x) = exp(x) - 1 without the cancellation near 0: the same reduction
// and series as exp_pd, but the series' leading 1 is never added, so
// q = expm1(r) keeps full precision, and expm1(x) = 2^k q + (2^k - 1). Below
// -50 the result is -1 (exp(-50) is under half an ulp of 1).
DEEPNET_VMATH __m256d expm1_pd(__m256d x) {
  const __m256d xc = _mm256_max_pd(x, _mm256_set1_pd(-50.0));
  const __m256d k = _mm256_round_pd(_mm256_mul_pd(xc, _mm256_set1_pd(1.4426950408889634)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(6.93147180369123816490e-01), xc);
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(1.90821492927058770002e-10), r);
  static constexpr double c[] = {1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800,
                                 1.0 / 362880,     1.0 / 40320,     1.0 / 5040,     1.0 / 720,
                                 1.0 / 120,        1.0 / 24,        1.0 / 6,        0.5,
                                 1.0};
  __m256d p = _mm256_set1_pd(c[0]);
  for (int i = 1; i < 13; ++i) p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(c[i]));
  const __m256d q = _mm256_mul_pd(p, r);
  const __m256d scale = pow2(_mm256_min_pd(k, _mm256_set1_pd(1023)));
  __m256d y = _mm256_fmadd_pd(scale, q, _mm256_sub_pd(scale, _mm256_set1_pd(1.0)));
  y = _mm256_blendv_pd(y, _mm256_set1_pd(__builtin_inf()), _mm256_cmp_pd(x, _mm256_set1_pd(709.782712893384), _CMP_GT_OQ));
  return _mm256_blendv_pd(y, x, _mm256_cmp_pd(x, x, _CMP_UNORD_Q));  // NaN in, NaN out
}

// tanh(z) = sign(z) * (-e / (e + 2)) with e = expm1(-2|z|): no cancellation
// for small |z|, exactly +-1 once |z| > 25, NaN in, NaN out.
DEEPNET_VMATH __m256d tanh_pd(__m256d z) {
  const __m256d sign = _mm256_set1_pd(-0.0);
  const __m256d a = _mm256_andnot_pd(sign, z);
  const __m256d e = expm1_pd(_mm256_mul_pd(a, _mm256_set1_pd(-2.0)));
  const __m256d t = _mm256_div_pd(_mm256_xor_pd(e, sign), _mm256_add_pd(e, _mm256_set1_pd(2.0)));
  return _mm256_or_pd(_mm256_andnot_pd(sign, t), _mm256_and_pd(z, sign));
}

// log(x): fdlibm's e_log.c, four lanes at a time. x = 2^e (1 + f) with
// 1 + f in [sqrt(2)/2, sqrt(2)); log(1 + f) = f - hfsq + s (hfsq + R(s^2)),
// s = f / (2 + f).
DEEPNET_VMATH __m256d log_pd(__m256d x) {
  const __m256d tiny = _mm256_set1_pd(2.2250738585072014e-308);
  const __m256d sub = _mm256_cmp_pd(x, tiny, _CMP_LT_OQ);  // subnormal (or <= 0): scale by 2^54
  const __m256d xs = _mm256_blendv_pd(x, _mm256_mul_pd(x, _mm256_set1_pd(18014398509481984.0)), sub);
  const __m256i bits = _mm256_castpd_si256(xs);
  __m256d m = _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi64x(0x000fffffffffffffLL)),
                                                  _mm256_set1_epi64x(0x3ff0000000000000LL)));
  // The exponent as a double: (bits >> 52) - 1023, through the magic constant.
  const __m256i ebits = _mm256_or_si256(_mm256_srli_epi64(bits, 52), _mm256_castpd_si256(_mm256_set1_pd(4503599627370496.0)));
  __m256d e = _mm256_sub_pd(_mm256_castsi256_pd(ebits), _mm256_set1_pd(4503599627370496.0 + 1023));
  e = _mm256_sub_pd(e, _mm256_and_pd(sub, _mm256_set1_pd(54)));
  const __m256d big = _mm256_cmp_pd(m, _mm256_set1_pd(1.4142135623730951), _CMP_GT_OQ);
  m = _mm256_blendv_pd(m, _mm256_mul_pd(m, _mm256_set1_pd(0.5)), big);
  e = _mm256_add_pd(e, _mm256_and_pd(big, _mm256_set1_pd(1)));
  const __m256d f = _mm256_sub_pd(m, _mm256_set1_pd(1));
  const __m256d s = _mm256_div_pd(f, _mm256_add_pd(_mm256_set1_pd(2), f));
  const __m256d z = _mm256_mul_pd(s, s), w = _mm256_mul_pd(z, z);
  // fdlibm's Lg1..Lg7.
  const __m256d t1 = _mm256_mul_pd(w, _mm256_fmadd_pd(w, _mm256_fmadd_pd(w, _mm256_set1_pd(1.531383769920937332e-01),
      _mm256_set1_pd(2.222219843214978396e-01)), _mm256_set1_pd(3.999999999940941908e-01)));
  const __m256d t2 = _mm256_mul_pd(z, _mm256_fmadd_pd(w, _mm256_fmadd_pd(w, _mm256_fmadd_pd(w,
      _mm256_set1_pd(1.479819860511658591e-01), _mm256_set1_pd(1.818357216161805012e-01)),
      _mm256_set1_pd(2.857142874366239149e-01)), _mm256_set1_pd(6.666666666666735130e-01)));
  const __m256d R = _mm256_add_pd(t2, t1);
  const __m256d hfsq = _mm256_mul_pd(_mm256_set1_pd(0.5), _mm256_mul_pd(f, f));
  const __m256d ln2_hi = _mm256_set1_pd(6.93147180369123816490e-01), ln2_lo = _mm256_set1_pd(1.90821492927058770002e-10);
  // e*ln2_hi - ((hfsq - (s*(hfsq+R) + e*ln2_lo)) - f)
  const __m256d inner = _mm256_add_pd(_mm256_mul_pd(s, _mm256_add_pd(hfsq, R)), _mm256_mul_pd(e, ln2_lo));
  __m256d y = _mm256_sub_pd(_mm256_mul_pd(e, ln2_hi), _mm256_sub_pd(_mm256_sub_pd(hfsq, inner), f));
  const __m256d zero = _mm256_setzero_pd();
  y = _mm256_blendv_pd(y, _mm256_set1_pd(-__builtin_inf()), _mm256_cmp_pd(x, zero, _CMP_EQ_OQ));
  y = _mm256_blendv_pd(y, _mm256_set1_pd(__builtin_nan("")), _mm256_cmp_pd(x, zero, _CMP_LT_OQ));
  const __m256d special = _mm256_or_pd(_mm256_cmp_pd(x, x, _CMP_UNORD_Q),
                                       _mm256_cmp_pd(x, _mm256_set1_pd(__builtin_inf()), _CMP_EQ_OQ));
  return _mm256_blendv_pd(y, x, special);  // NaN -> NaN, +Inf -> +Inf
}

// Four values of a float or double array as doubles, and back.
DEEPNET_VMATH __m256d load4(const double* p) { return _mm256_loadu_pd(p); }
DEEPNET_VMATH __m256d load4(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
DEEPNET_VMATH void store4(double* p, __m256d v) { _mm256_storeu_pd(p, v); }
DEEPNET_VMATH void store4(float* p, __m256d v) { _mm_storeu_ps(p, _mm256_cvtpd_ps(v)); }

// out[i] = f(a[i], b[i]) for i < n, four lanes at a time in double; the last
// partial group is padded with zeros, so that every element gets the same
// arithmetic wherever it sits.
template <typename Out, typename In, typename F>
DEEPNET_TARGET_AVX2 inline void map4(Out* out, const In* a, const In* b, long n, F f) {
  long i = 0;
  for (; i + 4 <= n; i += 4) store4(out + i, f(load4(a + i), load4(b + i)));
  if (i < n) {
    In pa[4] = {0, 0, 0, 0}, pb[4] = {0, 0, 0, 0};
    Out o[4];
    for (long j = i; j < n; ++j) pa[j - i] = a[j], pb[j - i] = b[j];
    store4(o, f(load4(pa), load4(pb)));
    for (long j = i; j < n; ++j) out[j] = o[j - i];
  }
}

#undef DEEPNET_VMATH

}  // namespace vmath
}  // namespace deepnet
#endif
