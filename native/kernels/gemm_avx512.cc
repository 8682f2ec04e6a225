// The built-in gemm at the AVX-512 level: 512-bit vectors (8 doubles, 16
// floats), 32 zmm registers, mask registers for the tails. The paths are
// gemm_x86_paths.h's; this file gives them the vector type and the tile
// shapes that fit 32 registers.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>

#include "cpu.h"
#include "gemm_x86.h"
#include "threads.h"

#if DEEPNET_HAS_X86
#include "target_avx512.h"  // last: everything below is AVX-512 code

namespace deepnet {
namespace avx512 {

using namespace gemm_internal;

template <typename T>
struct Vec;
template <>
struct Vec<double> {
  using V = __m512d;
  using Mask = __mmask8;
  static constexpr int lanes = 8;
  DEEPNET_X86_INLINE V zero() { return _mm512_setzero_pd(); }
  DEEPNET_X86_INLINE V set1(double x) { return _mm512_set1_pd(x); }
  DEEPNET_X86_INLINE V bcast(const double* p) { return _mm512_set1_pd(*p); }
  DEEPNET_X86_INLINE V load(const double* p) { return _mm512_load_pd(p); }
  DEEPNET_X86_INLINE V loadu(const double* p) { return _mm512_loadu_pd(p); }
  DEEPNET_X86_INLINE void storeu(double* p, V v) { _mm512_storeu_pd(p, v); }
  DEEPNET_X86_INLINE V fmadd(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  DEEPNET_X86_INLINE V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  DEEPNET_X86_INLINE V add(V a, V b) { return _mm512_add_pd(a, b); }
  // x where z > 0 (or z is NaN), else +0: relu's mask, as activations.cc applies it.
  DEEPNET_X86_INLINE V unless_nonpositive(V x, V z) {
    return _mm512_maskz_mov_pd(static_cast<Mask>(~_mm512_cmp_pd_mask(z, zero(), _CMP_LE_OQ)), x);
  }
  DEEPNET_X86_INLINE void keep(V& v) { asm("" : "+v"(v)); }
  DEEPNET_X86_INLINE Mask tail_mask(int n) { return static_cast<Mask>((1u << n) - 1); }
  DEEPNET_X86_INLINE V load_masked(const double* p, Mask m) { return _mm512_maskz_loadu_pd(m, p); }
  // The lower and upper four lanes (the masked extract: GCC 12 warns on the
  // undefined passthrough of the plain one, which its casts use too).
  DEEPNET_X86_INLINE __m256d lower(V v) { return _mm512_maskz_extractf64x4_pd(0xF, v, 0); }
  DEEPNET_X86_INLINE __m256d upper(V v) { return _mm512_maskz_extractf64x4_pd(0xF, v, 1); }
  // out[i] = the lane sum of v[i]: the two halves added lane by lane, then
  // each (h0+h1)+(h2+h3).
  DEEPNET_X86_INLINE void lane_sums4(double* out, const V* v) {
    __m256d h[4];
    for (int i = 0; i < 4; ++i)
      h[i] = _mm256_add_pd(lower(v[i]), upper(v[i]));
    const __m256d h01 = _mm256_hadd_pd(h[0], h[1]), h23 = _mm256_hadd_pd(h[2], h[3]);
    _mm256_storeu_pd(out, _mm256_add_pd(_mm256_permute2f128_pd(h01, h23, 0x20),
                                        _mm256_permute2f128_pd(h01, h23, 0x31)));
  }
};
template <>
struct Vec<float> {
  using V = __m512;
  using Mask = __mmask16;
  static constexpr int lanes = 16;
  DEEPNET_X86_INLINE V zero() { return _mm512_setzero_ps(); }
  DEEPNET_X86_INLINE V set1(float x) { return _mm512_set1_ps(x); }
  DEEPNET_X86_INLINE V bcast(const float* p) { return _mm512_set1_ps(*p); }
  DEEPNET_X86_INLINE V load(const float* p) { return _mm512_load_ps(p); }
  DEEPNET_X86_INLINE V loadu(const float* p) { return _mm512_loadu_ps(p); }
  DEEPNET_X86_INLINE void storeu(float* p, V v) { _mm512_storeu_ps(p, v); }
  DEEPNET_X86_INLINE V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  DEEPNET_X86_INLINE V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  DEEPNET_X86_INLINE V add(V a, V b) { return _mm512_add_ps(a, b); }
  DEEPNET_X86_INLINE V unless_nonpositive(V x, V z) {
    return _mm512_maskz_mov_ps(static_cast<Mask>(~_mm512_cmp_ps_mask(z, zero(), _CMP_LE_OQ)), x);
  }
  DEEPNET_X86_INLINE void keep(V& v) { asm("" : "+v"(v)); }
  DEEPNET_X86_INLINE Mask tail_mask(int n) { return static_cast<Mask>((1u << n) - 1); }
  DEEPNET_X86_INLINE V load_masked(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
  // out[i] = the lane sum of v[i]: the two halves added lane by lane, then
  // each ((h0+h1)+(h2+h3)) + ((h4+h5)+(h6+h7)).
  DEEPNET_X86_INLINE void lane_sums4(float* out, const V* v) {
    __m256 h[4];
    for (int i = 0; i < 4; ++i)
      h[i] = _mm256_add_ps(_mm256_castpd_ps(Vec<double>::lower(_mm512_castps_pd(v[i]))),
                           _mm256_castpd_ps(Vec<double>::upper(_mm512_castps_pd(v[i]))));
    const __m256 s = _mm256_hadd_ps(_mm256_hadd_ps(h[0], h[1]), _mm256_hadd_ps(h[2], h[3]));
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1)));
  }
};

#include "transpose_simd.h"
#include "gemm_x86_tiles.h"

// Packed path: 8 rows x 3 vectors (double 8x24, float 8x48): 24
// accumulators + 3 B vectors + 1 broadcast of A, 28 of the 32 registers;
// per k, 3 loads and 8 broadcasts feed 24 FMAs. Its B micro-panel takes all
// of L1 (KC from L1's size: 256 with this Xeon's 48 KiB; 5-12% faster than
// half of L1, measured on square 1024).
// Measured against 6 x 4 (24 accumulators too): the same within noise.
template <typename T>
using Packed = PackedKernel<T, 8, 3, 100>;

// Thin tiles: R rows (at most kThinRows) by V vectors, at least 8
// accumulators to cover the FMA latency and R * V + V + 1 <= 32 registers;
// tiles no wider than 4 vectors, so that the right edge (recomputed in full,
// stored in part) stays small next to the m of a layer.
constexpr int kThinRows = 8;
constexpr int kThinMinRows = 8;  // no fewer-row tiling measured here yet (thin_row_tiles)
constexpr size_t kThinTileBytes = 3 * 64;  // a row of the usual 7 x 3 or 8 x 3 tile
inline ThinShape thin_shape(int rows_max) {
  return rows_max >= 7 ? ThinShape{rows_max, 3}
                       : rows_max >= 2 ? ThinShape{rows_max, 4} : ThinShape{1, 8};
}
template <typename T>
ThinFn<T> thin_kernel(ThinShape s) {
  switch (s.R * 16 + s.V) {
    case 8 * 16 + 3: return thin_tile<T, 8, 3, false>;
    case 7 * 16 + 3: return thin_tile<T, 7, 3, false>;
    case 6 * 16 + 4: return thin_tile<T, 6, 4, false>;
    case 5 * 16 + 4: return thin_tile<T, 5, 4, false>;
    case 4 * 16 + 4: return thin_tile<T, 4, 4, false>;
    case 3 * 16 + 4: return thin_tile<T, 3, 4, false>;
    case 2 * 16 + 4: return thin_tile<T, 2, 4, false>;
    default: return thin_tile<T, 1, 8, false>;
  }
}

// Thin NT tiles: R rows of the large side by V vectors of the small side's
// S lanes (S <= 32: at most 4 double vectors, 2 float ones), one lane tile.
template <typename T>
ThinNTShape thin_nt_shape(int S) {
  constexpr int L = Vec<T>::lanes;
  const int V = (S + L - 1) / L;
  return {V <= 3 ? 8 : 6, V, 1, V * L};
}
template <typename T, bool TRANS>
ThinFn<T> thin_nt_kernel(int V) {
  switch (V) {
    case 1: return thin_tile<T, 8, 1, TRANS>;
    case 2: return thin_tile<T, 8, 2, TRANS>;
    case 3: return thin_tile<T, 8, 3, TRANS>;
    default: return thin_tile<T, 6, 4, TRANS>;
  }
}

// Dot tiles (the small side has fewer than 7/8 of a vector's lanes): 1 x 8,
// 2 x 8, 3 x 8 or 4 x 6 for a small side of 1, 2, 3 or more rows; the small
// side first (accumulators + one side + 1 <= 32).
inline DotShape dot_shape(int M, int N) {
  const int s = std::min(std::min(M, N), 4);
  const int big = s == 4 ? 6 : 8;
  return M <= N ? DotShape{s, big} : DotShape{big, s};
}
template <typename T>
DotFn<T> dot_kernel(DotShape d) {
  switch (d.DA * 16 + d.DB) {
    case 1 * 16 + 8: return dot_tile<T, 1, 8>;
    case 8 * 16 + 1: return dot_tile<T, 8, 1>;
    case 2 * 16 + 8: return dot_tile<T, 2, 8>;
    case 8 * 16 + 2: return dot_tile<T, 8, 2>;
    case 3 * 16 + 8: return dot_tile<T, 3, 8>;
    case 8 * 16 + 3: return dot_tile<T, 8, 3>;
    case 6 * 16 + 4: return dot_tile<T, 6, 4>;
    default: return dot_tile<T, 4, 6>;
  }
}

#include "gemm_x86_paths.h"

}  // namespace avx512
}  // namespace deepnet

#endif  // DEEPNET_HAS_X86
