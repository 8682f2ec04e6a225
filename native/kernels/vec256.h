// 256-bit vector traits for the level-generic kernel bodies
// (elementwise_level.h): Vec256<double> holds 4 doubles in a ymm register,
// Vec256<float> 8 floats. GCC's vector extensions give +, -, *, / on the
// register types; the traits give the rest (loads and stores, whole or the
// first k lanes, compares into a mask, select, fma, rounding). Vec512
// (vec512.h) has the same members for zmm registers, and the bodies use
// nothing else, so each lane gets the same operations at either width.
//
// The AVX2 level's vectors (Vec = Vec256 in elementwise_avx2.cc); the AVX-512
// level uses them too, for the kernels that measured no faster on 512 bits.
// Level-generic: AVX2 instructions only, included after the target header.
#pragma once

#define DEEPNET_SIMD_INLINE __attribute__((always_inline)) inline

namespace deepnet {
namespace DEEPNET_LEVEL {

template <typename T>
struct Vec256;

template <>
struct Vec256<double> {
  using element = double;
  using type = __m256d;
  using mask = __m256d;  // all ones in the lanes where true
  // The lanes' bit patterns, for vmath's exponent arithmetic (logical shifts).
  typedef unsigned long long bits __attribute__((vector_size(32)));
  static constexpr int lanes = 4;

  static DEEPNET_SIMD_INLINE type zero() { return _mm256_setzero_pd(); }
  static DEEPNET_SIMD_INLINE type splat(double x) { return _mm256_set1_pd(x); }
  static DEEPNET_SIMD_INLINE bits as_bits(type v) { return (bits)v; }
  static DEEPNET_SIMD_INLINE type from_bits(bits b) { return (type)b; }

  static DEEPNET_SIMD_INLINE type load(const double* p) { return _mm256_loadu_pd(p); }
  static DEEPNET_SIMD_INLINE void store(double* p, type v) { _mm256_storeu_pd(p, v); }
  // Floats widened to double and rounded back to nearest, for the kernels
  // that compute float arrays in double.
  static DEEPNET_SIMD_INLINE type load(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
  static DEEPNET_SIMD_INLINE void store(float* p, type v) { _mm_storeu_ps(p, _mm256_cvtpd_ps(v)); }
  // The first k (0 < k < lanes) elements, the other lanes 0; through a
  // buffer (AVX2's masked stores are slow on some AMD cores).
  template <typename T>
  static DEEPNET_SIMD_INLINE type load(const T* p, long k) {
    T t[lanes] = {};
    for (long i = 0; i < k; ++i) t[i] = p[i];
    return load(t);
  }
  template <typename T>
  static DEEPNET_SIMD_INLINE void store(T* p, type v, long k) {
    T t[lanes];
    store(t, v);
    for (long i = 0; i < k; ++i) p[i] = t[i];
  }
  static DEEPNET_SIMD_INLINE mask first(long k) {  // lanes 0 .. k - 1
    return _mm256_cmp_pd(_mm256_set_pd(3, 2, 1, 0), _mm256_set1_pd(static_cast<double>(k)), _CMP_LT_OQ);
  }

  static DEEPNET_SIMD_INLINE mask lt(type a, type b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
  static DEEPNET_SIMD_INLINE mask le(type a, type b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
  static DEEPNET_SIMD_INLINE mask gt(type a, type b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
  static DEEPNET_SIMD_INLINE mask eq(type a, type b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
  static DEEPNET_SIMD_INLINE mask unord(type a, type b) { return _mm256_cmp_pd(a, b, _CMP_UNORD_Q); }
  static DEEPNET_SIMD_INLINE mask either(mask a, mask b) { return _mm256_or_pd(a, b); }
  static DEEPNET_SIMD_INLINE mask both(mask a, mask b) { return _mm256_and_pd(a, b); }
  static DEEPNET_SIMD_INLINE bool all(mask m) { return _mm256_movemask_pd(m) == 0xF; }
  static DEEPNET_SIMD_INLINE bool any(mask m) { return _mm256_movemask_pd(m) != 0; }
  // The lanes where 0 < |x| < bound (compares only: no subnormal assist), as Vec256<float>'s.
  static DEEPNET_SIMD_INLINE mask tiny(type x, double bound) {
    const type a = _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
    return _mm256_and_pd(_mm256_cmp_pd(a, _mm256_set1_pd(bound), _CMP_LT_OQ), _mm256_cmp_pd(a, zero(), _CMP_GT_OQ));
  }
  // m ? a : b, lane by lane.
  static DEEPNET_SIMD_INLINE type select(mask m, type a, type b) { return _mm256_blendv_pd(b, a, m); }

  static DEEPNET_SIMD_INLINE type fmadd(type a, type b, type c) { return _mm256_fmadd_pd(a, b, c); }    // a b + c
  static DEEPNET_SIMD_INLINE type fnmadd(type a, type b, type c) { return _mm256_fnmadd_pd(a, b, c); }  // c - a b
  // x86's min and max: the second operand when either is NaN.
  static DEEPNET_SIMD_INLINE type min(type a, type b) { return _mm256_min_pd(a, b); }
  static DEEPNET_SIMD_INLINE type max(type a, type b) { return _mm256_max_pd(a, b); }
  static DEEPNET_SIMD_INLINE type round(type x) { return _mm256_round_pd(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static DEEPNET_SIMD_INLINE type floor(type x) { return _mm256_round_pd(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
  static DEEPNET_SIMD_INLINE type sqrt(type x) { return _mm256_sqrt_pd(x); }
  static DEEPNET_SIMD_INLINE type round_to_float(type x) { return _mm256_cvtps_pd(_mm256_cvtpd_ps(x)); }
  // A scan for tiny values, as Vec256<float>'s (below), in 64-bit lanes:
  // AVX2 has no unsigned 64-bit compare, so |x|'s bits - 1 are offset by
  // 2^63 (a signed order of the unsigned one), compared, the lanes or-ed.
  static DEEPNET_SIMD_INLINE __m256i tiny_scan_start() { return _mm256_setzero_si256(); }
  static DEEPNET_SIMD_INLINE __m256i tiny_scan(__m256i acc, type x, double bound) {
    const __m256i offset = _mm256_set1_epi64x(0x7fffffffffffffffll);
    const __m256i a = _mm256_and_si256(_mm256_castpd_si256(x), offset);
    const __m256i limit = _mm256_add_epi64(_mm256_castpd_si256(_mm256_set1_pd(bound)), offset);
    return _mm256_or_si256(acc, _mm256_cmpgt_epi64(limit, _mm256_add_epi64(a, offset)));
  }
  static DEEPNET_SIMD_INLINE bool any_tiny(__m256i acc, double) { return !_mm256_testz_si256(acc, acc); }
};

template <>
struct Vec256<float> {
  using element = float;
  using type = __m256;
  using mask = __m256;
  static constexpr int lanes = 8;

  static DEEPNET_SIMD_INLINE type zero() { return _mm256_setzero_ps(); }
  static DEEPNET_SIMD_INLINE type splat(float x) { return _mm256_set1_ps(x); }
  static DEEPNET_SIMD_INLINE type load(const float* p) { return _mm256_loadu_ps(p); }
  static DEEPNET_SIMD_INLINE void store(float* p, type v) { _mm256_storeu_ps(p, v); }
  static DEEPNET_SIMD_INLINE type load(const float* p, long k) {
    float t[lanes] = {};
    for (long i = 0; i < k; ++i) t[i] = p[i];
    return load(t);
  }
  static DEEPNET_SIMD_INLINE void store(float* p, type v, long k) {
    float t[lanes];
    store(t, v);
    for (long i = 0; i < k; ++i) p[i] = t[i];
  }
  static DEEPNET_SIMD_INLINE mask first(long k) {
    return _mm256_cmp_ps(_mm256_set_ps(7, 6, 5, 4, 3, 2, 1, 0), _mm256_set1_ps(static_cast<float>(k)), _CMP_LT_OQ);
  }

  static DEEPNET_SIMD_INLINE mask le(type a, type b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
  static DEEPNET_SIMD_INLINE mask gt(type a, type b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static DEEPNET_SIMD_INLINE mask eq(type a, type b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
  static DEEPNET_SIMD_INLINE mask both(mask a, mask b) { return _mm256_and_ps(a, b); }
  static DEEPNET_SIMD_INLINE mask either(mask a, mask b) { return _mm256_or_ps(a, b); }
  static DEEPNET_SIMD_INLINE bool all(mask m) { return _mm256_movemask_ps(m) == 0xFF; }
  static DEEPNET_SIMD_INLINE bool any(mask m) { return _mm256_movemask_ps(m) != 0; }
  // The lanes where 0 < |x| < bound (compares only: no subnormal assist).
  static DEEPNET_SIMD_INLINE mask tiny(type x, float bound) {
    const type a = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    return _mm256_and_ps(_mm256_cmp_ps(a, _mm256_set1_ps(bound), _CMP_LT_OQ), _mm256_cmp_ps(a, zero(), _CMP_GT_OQ));
  }
  // A scan for tiny values in integer operations: `acc` (start: all ones)
  // keeps the least, lane by lane, of |x|'s bits - 1 (0 wraps to the most);
  // then any_tiny(acc, bound) says whether some 0 < |x| < bound was seen
  // (tiny_scan's bound is for the double vectors, which compare as they go).
  static DEEPNET_SIMD_INLINE __m256i tiny_scan_start() { return _mm256_set1_epi32(-1); }
  static DEEPNET_SIMD_INLINE __m256i tiny_scan(__m256i acc, type x, float) {
    const __m256i a = _mm256_and_si256(_mm256_castps_si256(x), _mm256_set1_epi32(0x7fffffff));
    return _mm256_min_epu32(acc, _mm256_sub_epi32(a, _mm256_set1_epi32(1)));
  }
  static DEEPNET_SIMD_INLINE bool any_tiny(__m256i acc, float bound) {  // some acc < bits(bound) - 1, unsigned
    const __m256i limit = _mm256_sub_epi32(_mm256_castps_si256(_mm256_set1_ps(bound)), _mm256_set1_epi32(2));
    return _mm256_movemask_epi8(_mm256_cmpeq_epi32(_mm256_min_epu32(acc, limit), acc)) != 0;
  }
  static DEEPNET_SIMD_INLINE type select(mask m, type a, type b) { return _mm256_blendv_ps(b, a, m); }
  static DEEPNET_SIMD_INLINE type sqrt(type x) { return _mm256_sqrt_ps(x); }
};

}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
