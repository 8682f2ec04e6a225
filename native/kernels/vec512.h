// 512-bit vector traits: Vec512<double> holds 8 doubles in a zmm register,
// Vec512<float> 16 floats; compares give mask registers (k0-k7), which
// select() and the masked loads and stores of a vector's first k lanes take.
// The same members as Vec256 (vec256.h, see there), so the level-generic
// bodies compile unchanged and do the same operations in every lane.
//
// The AVX-512 level's vectors (Vec = Vec512 in elementwise_avx512.cc);
// included there only, after target_avx512.h and vec256.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {

template <typename T>
struct Vec512;

template <>
struct Vec512<double> {
  using element = double;
  using type = __m512d;
  using mask = __mmask8;
  typedef unsigned long long bits __attribute__((vector_size(64)));
  static constexpr int lanes = 8;

  static DEEPNET_SIMD_INLINE type zero() { return _mm512_setzero_pd(); }
  static DEEPNET_SIMD_INLINE type splat(double x) { return _mm512_set1_pd(x); }
  static DEEPNET_SIMD_INLINE bits as_bits(type v) { return (bits)v; }
  static DEEPNET_SIMD_INLINE type from_bits(bits b) { return (type)b; }

  static DEEPNET_SIMD_INLINE type load(const double* p) { return _mm512_loadu_pd(p); }
  static DEEPNET_SIMD_INLINE void store(double* p, type v) { _mm512_storeu_pd(p, v); }
  static DEEPNET_SIMD_INLINE type load(const float* p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
  static DEEPNET_SIMD_INLINE void store(float* p, type v) { _mm256_storeu_ps(p, _mm512_cvtpd_ps(v)); }
  // The first k (0 < k < lanes) elements, the other lanes 0: masked loads
  // and stores never touch the memory of the lanes masked off.
  static DEEPNET_SIMD_INLINE mask first(long k) { return static_cast<mask>((1u << k) - 1); }
  static DEEPNET_SIMD_INLINE type load(const double* p, long k) { return _mm512_maskz_loadu_pd(first(k), p); }
  static DEEPNET_SIMD_INLINE void store(double* p, type v, long k) { _mm512_mask_storeu_pd(p, first(k), v); }
  static DEEPNET_SIMD_INLINE type load(const float* p, long k) {
    return _mm512_cvtps_pd(_mm256_maskz_loadu_ps(first(k), p));
  }
  static DEEPNET_SIMD_INLINE void store(float* p, type v, long k) {
    _mm256_mask_storeu_ps(p, first(k), _mm512_cvtpd_ps(v));
  }

  static DEEPNET_SIMD_INLINE mask lt(type a, type b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
  static DEEPNET_SIMD_INLINE mask le(type a, type b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
  static DEEPNET_SIMD_INLINE mask gt(type a, type b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
  static DEEPNET_SIMD_INLINE mask eq(type a, type b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
  static DEEPNET_SIMD_INLINE mask unord(type a, type b) { return _mm512_cmp_pd_mask(a, b, _CMP_UNORD_Q); }
  static DEEPNET_SIMD_INLINE mask either(mask a, mask b) { return a | b; }
  static DEEPNET_SIMD_INLINE mask both(mask a, mask b) { return a & b; }
  static DEEPNET_SIMD_INLINE bool all(mask m) { return m == 0xFF; }
  static DEEPNET_SIMD_INLINE bool any(mask m) { return m != 0; }
  static DEEPNET_SIMD_INLINE mask tiny(type x, double bound) {  // 0 < |x| < bound, as Vec256's
    const type a = _mm512_abs_pd(x);
    return _mm512_cmp_pd_mask(a, _mm512_set1_pd(bound), _CMP_LT_OQ) & _mm512_cmp_pd_mask(a, zero(), _CMP_GT_OQ);
  }
  static DEEPNET_SIMD_INLINE type select(mask m, type a, type b) { return _mm512_mask_blend_pd(m, b, a); }

  static DEEPNET_SIMD_INLINE type fmadd(type a, type b, type c) { return _mm512_fmadd_pd(a, b, c); }
  static DEEPNET_SIMD_INLINE type fnmadd(type a, type b, type c) { return _mm512_fnmadd_pd(a, b, c); }
  static DEEPNET_SIMD_INLINE type min(type a, type b) { return _mm512_min_pd(a, b); }
  static DEEPNET_SIMD_INLINE type max(type a, type b) { return _mm512_max_pd(a, b); }
  static DEEPNET_SIMD_INLINE type round(type x) {
    return _mm512_roundscale_pd(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  static DEEPNET_SIMD_INLINE type floor(type x) { return _mm512_roundscale_pd(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
  static DEEPNET_SIMD_INLINE type sqrt(type x) { return _mm512_sqrt_pd(x); }
  static DEEPNET_SIMD_INLINE type round_to_float(type x) { return _mm512_cvtps_pd(_mm512_cvtpd_ps(x)); }
  static DEEPNET_SIMD_INLINE __m512i tiny_scan_start() { return _mm512_set1_epi64(-1); }  // as Vec512<float>'s
  static DEEPNET_SIMD_INLINE __m512i tiny_scan(__m512i acc, type x, double) {
    const __m512i a = _mm512_and_si512(_mm512_castpd_si512(x), _mm512_set1_epi64(0x7fffffffffffffffll));
    return _mm512_min_epu64(acc, _mm512_sub_epi64(a, _mm512_set1_epi64(1)));
  }
  static DEEPNET_SIMD_INLINE bool any_tiny(__m512i acc, double bound) {
    const __m512i limit = _mm512_sub_epi64(_mm512_castpd_si512(_mm512_set1_pd(bound)), _mm512_set1_epi64(1));
    return _mm512_cmplt_epu64_mask(acc, limit) != 0;
  }
};

template <>
struct Vec512<float> {
  using element = float;
  using type = __m512;
  using mask = __mmask16;
  static constexpr int lanes = 16;

  static DEEPNET_SIMD_INLINE type zero() { return _mm512_setzero_ps(); }
  static DEEPNET_SIMD_INLINE type splat(float x) { return _mm512_set1_ps(x); }
  static DEEPNET_SIMD_INLINE type load(const float* p) { return _mm512_loadu_ps(p); }
  static DEEPNET_SIMD_INLINE void store(float* p, type v) { _mm512_storeu_ps(p, v); }
  static DEEPNET_SIMD_INLINE mask first(long k) { return static_cast<mask>((1u << k) - 1); }
  static DEEPNET_SIMD_INLINE type load(const float* p, long k) { return _mm512_maskz_loadu_ps(first(k), p); }
  static DEEPNET_SIMD_INLINE void store(float* p, type v, long k) { _mm512_mask_storeu_ps(p, first(k), v); }

  static DEEPNET_SIMD_INLINE mask le(type a, type b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
  static DEEPNET_SIMD_INLINE mask gt(type a, type b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static DEEPNET_SIMD_INLINE mask eq(type a, type b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
  static DEEPNET_SIMD_INLINE mask both(mask a, mask b) { return a & b; }
  static DEEPNET_SIMD_INLINE mask either(mask a, mask b) { return a | b; }
  static DEEPNET_SIMD_INLINE bool all(mask m) { return m == 0xFFFF; }
  static DEEPNET_SIMD_INLINE bool any(mask m) { return m != 0; }
  static DEEPNET_SIMD_INLINE mask tiny(type x, float bound) {  // 0 < |x| < bound, as Vec256's
    const type a = _mm512_abs_ps(x);
    return _mm512_cmp_ps_mask(a, _mm512_set1_ps(bound), _CMP_LT_OQ) & _mm512_cmp_ps_mask(a, zero(), _CMP_GT_OQ);
  }
  static DEEPNET_SIMD_INLINE __m512i tiny_scan_start() { return _mm512_set1_epi32(-1); }
  static DEEPNET_SIMD_INLINE __m512i tiny_scan(__m512i acc, type x, float) {  // as Vec256's
    const __m512i a = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(0x7fffffff));
    return _mm512_min_epu32(acc, _mm512_sub_epi32(a, _mm512_set1_epi32(1)));
  }
  static DEEPNET_SIMD_INLINE bool any_tiny(__m512i acc, float bound) {
    const __m512i limit = _mm512_sub_epi32(_mm512_castps_si512(_mm512_set1_ps(bound)), _mm512_set1_epi32(1));
    return _mm512_cmplt_epu32_mask(acc, limit) != 0;
  }
  static DEEPNET_SIMD_INLINE type select(mask m, type a, type b) { return _mm512_mask_blend_ps(m, b, a); }
  static DEEPNET_SIMD_INLINE type sqrt(type x) { return _mm512_sqrt_ps(x); }
};

}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
