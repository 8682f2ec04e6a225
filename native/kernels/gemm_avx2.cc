// The built-in gemm at the AVX2 + FMA level: 256-bit vectors, 16 ymm
// registers. The paths are gemm_x86_paths.h's; this file gives them the
// vector type and the tile shapes that fit 16 registers (tuned on a Zen 3).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>

#include "cpu.h"
#include "gemm_x86.h"
#include "threads.h"

#if DEEPNET_HAS_X86
#include "target_avx2.h"  // last: everything below is AVX2 code

namespace deepnet {
namespace avx2 {

using namespace gemm_internal;

template <typename T>
struct Vec;
template <>
struct Vec<double> {
  using V = __m256d;
  using Mask = __m256i;
  static constexpr int lanes = 4;
  DEEPNET_X86_INLINE V zero() { return _mm256_setzero_pd(); }
  DEEPNET_X86_INLINE V set1(double x) { return _mm256_set1_pd(x); }
  DEEPNET_X86_INLINE V bcast(const double* p) { return _mm256_broadcast_sd(p); }
  DEEPNET_X86_INLINE V load(const double* p) { return _mm256_load_pd(p); }
  DEEPNET_X86_INLINE V loadu(const double* p) { return _mm256_loadu_pd(p); }
  DEEPNET_X86_INLINE void storeu(double* p, V v) { _mm256_storeu_pd(p, v); }
  DEEPNET_X86_INLINE V fmadd(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  DEEPNET_X86_INLINE V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  DEEPNET_X86_INLINE V add(V a, V b) { return _mm256_add_pd(a, b); }
  // x where z > 0 (or z is NaN), else +0: relu's mask, as activations.cc applies it.
  DEEPNET_X86_INLINE V unless_nonpositive(V x, V z) {
    return _mm256_andnot_pd(_mm256_cmp_pd(z, zero(), _CMP_LE_OQ), x);
  }
  // Keeps v in a register (one load, not one per use).
  DEEPNET_X86_INLINE void keep(V& v) { asm("" : "+x"(v)); }
  // Lanes [0, n) of a load that reads n elements (the rest are 0).
  DEEPNET_X86_INLINE Mask tail_mask(int n) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  DEEPNET_X86_INLINE V load_masked(const double* p, Mask m) { return _mm256_maskload_pd(p, m); }
  // out[i] = the lane sum of v[i], each (l0+l1)+(l2+l3).
  DEEPNET_X86_INLINE void lane_sums4(double* out, const V* v) {
    const __m256d h01 = _mm256_hadd_pd(v[0], v[1]), h23 = _mm256_hadd_pd(v[2], v[3]);
    _mm256_storeu_pd(out, _mm256_add_pd(_mm256_permute2f128_pd(h01, h23, 0x20),
                                        _mm256_permute2f128_pd(h01, h23, 0x31)));
  }
};
template <>
struct Vec<float> {
  using V = __m256;
  using Mask = __m256i;
  static constexpr int lanes = 8;
  DEEPNET_X86_INLINE V zero() { return _mm256_setzero_ps(); }
  DEEPNET_X86_INLINE V set1(float x) { return _mm256_set1_ps(x); }
  DEEPNET_X86_INLINE V bcast(const float* p) { return _mm256_broadcast_ss(p); }
  DEEPNET_X86_INLINE V load(const float* p) { return _mm256_load_ps(p); }
  DEEPNET_X86_INLINE V loadu(const float* p) { return _mm256_loadu_ps(p); }
  DEEPNET_X86_INLINE void storeu(float* p, V v) { _mm256_storeu_ps(p, v); }
  DEEPNET_X86_INLINE V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  DEEPNET_X86_INLINE V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  DEEPNET_X86_INLINE V add(V a, V b) { return _mm256_add_ps(a, b); }
  DEEPNET_X86_INLINE V unless_nonpositive(V x, V z) {
    return _mm256_andnot_ps(_mm256_cmp_ps(z, zero(), _CMP_LE_OQ), x);
  }
  DEEPNET_X86_INLINE void keep(V& v) { asm("" : "+x"(v)); }
  DEEPNET_X86_INLINE Mask tail_mask(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  DEEPNET_X86_INLINE V load_masked(const float* p, Mask m) { return _mm256_maskload_ps(p, m); }
  // out[i] = the lane sum of v[i], each ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)).
  DEEPNET_X86_INLINE void lane_sums4(float* out, const V* v) {
    const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(v[0], v[1]), _mm256_hadd_ps(v[2], v[3]));
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1)));
  }
};

#include "transpose_simd.h"
#include "gemm_x86_tiles.h"

// Packed path: 6 rows x 2 vectors (double 6x8, float 6x16): 12 accumulators
// + 2 B vectors + 1 broadcast of A, 15 of the 16 registers; 12 independent
// FMA chains hide the FMA latency on 2 FMA pipes.
template <typename T>
using Packed = PackedKernel<T, 6, 2, 50>;

// Thin tiles: R rows (a problem's row tiles have R or R - 1, at most
// kThinRows) by V vectors: at least 8 accumulators where the rows allow, to
// cover the FMA latency (4 cycles x 2 pipes), and R * V + V + 1 <= 16
// registers (accumulators, B vectors, the broadcast). Measured: 5 x 2 beats
// 4 x 3 at M = 20; wider tiles (more B lines per row in flight) lose.
constexpr int kThinRows = 6;
constexpr int kThinMinRows = 4;  // 4 x 3 where it computes fewer rows (thin_row_tiles)
constexpr size_t kThinTileBytes = 2 * 32;  // a row of the usual 5 x 2 or 6 x 2 tile
inline ThinShape thin_shape(int rows_max) {
  return rows_max >= 5 ? ThinShape{rows_max, 2}
                       : rows_max >= 3 ? ThinShape{rows_max, 3}
                                       : rows_max == 2 ? ThinShape{2, 5} : ThinShape{1, 7};
}
template <typename T>
ThinFn<T> thin_kernel(ThinShape s) {
  switch (s.R * 8 + s.V) {
    case 6 * 8 + 2: return thin_tile<T, 6, 2, false>;
    case 5 * 8 + 2: return thin_tile<T, 5, 2, false>;
    case 4 * 8 + 3: return thin_tile<T, 4, 3, false>;
    case 3 * 8 + 3: return thin_tile<T, 3, 3, false>;
    case 2 * 8 + 5: return thin_tile<T, 2, 5, false>;
    default: return thin_tile<T, 1, 7, false>;
  }
}

// Thin NT tiles: R rows of the large side by V vectors of the small side's S
// lanes, R as large as the registers allow (R * V + V + 1 <= 16). S's
// vectors are cut into lane tiles: one of up to 3 or 5 vectors, else two
// equal ones.
template <typename T>
ThinNTShape thin_nt_shape(int S) {
  constexpr int L = Vec<T>::lanes;
  const int vecs = (S + L - 1) / L;
  const int lane_tiles = vecs <= 3 || vecs == 5 ? 1 : 2;
  const int V = (vecs + lane_tiles - 1) / lane_tiles;
  return {V == 1 ? 8 : V == 2 ? 6 : V == 3 ? 4 : 2, V, lane_tiles, lane_tiles * V * L};
}
template <typename T, bool TRANS>
ThinFn<T> thin_nt_kernel(int V) {
  switch (V) {
    case 1: return thin_tile<T, 8, 1, TRANS>;
    case 2: return thin_tile<T, 6, 2, TRANS>;
    case 3: return thin_tile<T, 4, 3, TRANS>;
    case 4: return thin_tile<T, 2, 4, TRANS>;
    default: return thin_tile<T, 2, 5, TRANS>;
  }
}

// Dot tiles, for a product whose smaller side has s rows: 1 x 4 (a GEMV:
// more rows would only add streams), 2 x 6, or 3 x 4 for s >= 3; the small
// side first (accumulators + one side + 1 <= 16).
inline DotShape dot_shape(int M, int N) {
  const int s = std::min(std::min(M, N), 3);
  const int big = s == 1 ? 4 : 12 / s;
  return M <= N ? DotShape{s, big} : DotShape{big, s};
}
template <typename T>
DotFn<T> dot_kernel(DotShape d) {
  switch (d.DA * 16 + d.DB) {
    case 1 * 16 + 4: return dot_tile<T, 1, 4>;
    case 4 * 16 + 1: return dot_tile<T, 4, 1>;
    case 2 * 16 + 6: return dot_tile<T, 2, 6>;
    case 6 * 16 + 2: return dot_tile<T, 6, 2>;
    case 4 * 16 + 3: return dot_tile<T, 4, 3>;
    default: return dot_tile<T, 3, 4>;
  }
}

#include "gemm_x86_paths.h"

}  // namespace avx2
}  // namespace deepnet

#endif  // DEEPNET_HAS_X86
