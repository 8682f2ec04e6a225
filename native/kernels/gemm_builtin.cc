// The built-in GEMM: four paths, one per kind of shape.
//
//   C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C      (row-major)
//
// The deep-learning products are thin: M is a layer's units (1 to 256) and N
// or K the examples (hundreds to thousands), with the input X (12288 x 209 in
// the notes' cat network) as the large operand, read once per product:
//   forward   Z = W A_prev     NN   M = units, N = m, K = units below
//   backward  dW = dZ A_prev^T NT   M = units, N = units below, K = m
//             dA = W^T dZ      TN   M = units below, N = m, K = units
// Packing that large operand costs as much as the multiply, so the thin
// shapes read it in place. Paths (AVX2 + FMA; elsewhere only the packed one,
// with a NEON micro-kernel on AArch64), chosen by choose_path() at the bottom:
//
// 1. Thin (NN, TN; M <= 32, or all of B within half of L1; M <= 6 when B's
//    row stride aliases in L1, see l1_aliased): B is read in place, row k
//    contiguous along N. Register tiles of R <= 6 rows x V vectors of C
//    (5 x 16 floats at M = 20), k ascending, op(A) broadcast straight from
//    A. Per KC block, each tile of B's columns is loaded from memory once and
//    reused from L1 by every row tile while the next one is prefetched. A
//    right-edge tile reads the last NR columns and stores only its new ones.
//    Nothing is packed.
// 2. Thin NT (A B^T whose small side S = min(M, N) has 7/8 of a vector to
//    32 rows, as dW = dZ X^T): a thin product over the large side's rows,
//    read in place and broadcast along k (prefetched a few tiles ahead),
//    against the small operand, packed transposed per K block into St (kc,
//    S rounded up to whole vectors). With S = M the tiles are of C^T and are
//    stored transposed.
// 3. Dot (the other A B^T with min(M, N) <= 32: a few rows on the small
//    side): DA x DB tiles of whole-vector dot products along k of rows of A
//    and B, both read in place; the K % lanes tail by masked loads; lane sums
//    at the end. No packing at all.
// 4. Packed (everything else): BLIS/GotoBLAS-style, described below.
// And gemm_streamed, the training step's pair over X on one thread: the thin
// NT dW1 = dZ1 X^T and, after the update, the thin W1 X of the next
// iteration, K block by K block, so each block of X comes from memory once
// and from L2 the second time (W1 f64: 7.9 against 8.8 ms an iteration).
//
// Tiny problems (the small network [2, 20, 3, 1]: 20x211x2, 3x20x211, ...)
// take paths 1-3 like the others, on one task with no buffer beyond St: a
// call costs little more than writing C (measured: 0.1 to 1.4 us each, 3 us
// in float and 5 us in double for all eight products of a training step).
//
// Packed path blocking, outermost first (one task = one rectangle of C):
//
//   for jc in N, step NC                      B block (KC, NC) lives in L3/L2
//     for pc in K, step KC                    same KC cut for every task: see below
//       pack op(B)[pc:+KC, jc:+NC] -> Bp      NR-column micro-panels
//       for ic in M, step MC                  A block (MC, KC) lives in L2
//         pack op(A)[ic:+MC, pc:+KC] -> Ap    MR-row micro-panels
//         for jr in NC, step NR               B micro-panel (KC, NR) lives in L1
//           for ir in MC, step MR
//             C[ic+ir:+MR, jc+jr:+NR] (+)= alpha * Ap_panel * Bp_panel   (registers)
//
// A task with at most MC rows swaps the two outer loops: its whole A block is
// packed once per KC step and B is streamed past it in NC_SMALL-column
// blocks, so nothing is packed twice.
//
// Packed layouts (zero-padded to whole panels, so the micro-kernel never
// branches on edges):
//   Ap: ceil(m / MR) panels, each (kc, MR):  Ap[panel][k][r] = op(A)[i0 + panel*MR + r][p0 + k]
//   Bp: ceil(n / NR) panels, each (kc, NR):  Bp[panel][k][c] = op(B)[p0 + k][j0 + panel*NR + c]
// Packing reads A and B in whichever layout they are stored, so the transpose
// flags cost nothing beyond the packing every call does anyway.
//
// Packed micro-kernels (MR x NR register tile, k ascending, one accumulator
// per C element). A bottom-edge panel runs a variant with fewer rows; a
// right-edge tile is written back through a temp tile.
//   AVX2+FMA: double 6x8, float 6x16 (12 ymm accumulators + 2 B vectors + 1
//             broadcast of A: 15 of the 16 registers; 12 independent FMA
//             chains hide the FMA latency on 2 FMA pipes).
//   NEON (AArch64): double 6x8, float 6x16 (24 q-register accumulators + 4 B
//             vectors + A by element: 29 of the 32 registers), k ascending,
//             one FMA per step like AVX2; the same packing as portable.
//   portable: double 4x8, float 2x16 in plain C++ (the shapes the compiler
//             vectorises best for baseline x86-64 SSE2, by measurement).
//
// Threads: C is cut into one rectangle per thread, across the larger of M
// and N (always N on the thin path), each a full task with its own buffers,
// so no task waits for another; a product under 2 MFLOP runs as one task on
// the caller.
//
// Determinism: in paths 1, 2 and 4, C[i][j] is, per K block in order,
// combine(alpha, the block's k-ascending FMA chain, beta on the first block
// and 1 after, C); in path 3 it is combine(alpha, the lane sums of lane-wise
// k-ascending FMA chains over all of K, beta, C), the lane sums in one fixed
// order. K blocks depend only on K (and the small side, on path 2), tasks
// split only M and N, the path depends only on the shape and ldb, and edge
// tiles repeat or pad rows instead of computing differently, so results are
// bit-identical whatever the thread count (for a given SIMD path).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>

#include "cpu.h"
#include "gemm.h"
#include "threads.h"

#if DEEPNET_HAS_X86
#include <immintrin.h>
#endif
#if DEEPNET_HAS_NEON
#include <arm_neon.h>
#endif

namespace deepnet {

namespace {

using idx = std::ptrdiff_t;

template <typename T>
struct Problem {
  bool transA, transB;
  int M, N, K;
  T alpha, beta;
  const T* A;
  idx lda;
  const T* B;
  idx ldb;
  T* C;
  idx ldc;
  const T* epilogue_data = nullptr;  // gemm_fused's bias or mask
};

constexpr int round_up(int x, int m) { return (x + m - 1) / m * m; }

// ---------------------------------------------------------------------------
// Pack buffers: one pair per thread, 64-byte aligned, grown on demand and kept,
// so a warmed-up thread never allocates.

struct PackBuffer {
  void* ptr = nullptr;
  size_t bytes = 0;
  ~PackBuffer() { std::free(ptr); }
  template <typename T>
  T* get(size_t count) {
    size_t need = (count * sizeof(T) + 63) / 64 * 64;
    if (need > bytes) {
      std::free(ptr);
      ptr = std::aligned_alloc(64, need);
      bytes = ptr ? need : 0;
      if (!ptr) throw std::bad_alloc();
    }
    return static_cast<T*>(ptr);
  }
};

thread_local PackBuffer tls_pack_a, tls_pack_b;

// Block size for cutting n into equal blocks of at most max (no thin last
// block), rounded up to a multiple of unit. The KC cut, even_block(K, KC, 1), is
// a function of K alone, which is what makes results independent of the
// thread count.
inline int even_block(int n, int max, int unit) {
  const int blocks = (n + max - 1) / max;
  return round_up((n + blocks - 1) / blocks, unit);
}

// A task should be worth waking a thread for: measured, two threads start to
// win at about 2 MFLOP (e.g. 64x64x256).
constexpr double kMinFlopsPerTask = 1e6;

// Runs body(u0, u1) over [0, units) cut into one range per task, as many
// tasks as there are threads and work to share (just the call when one).
template <typename T, typename Body>
void split_tasks(const Problem<T>& p, int units, const Body& body) {
  const double flops = 2.0 * p.M * p.N * p.K;
  int tasks = static_cast<int>(std::min<double>(num_threads(), flops / kMinFlopsPerTask));
  tasks = std::max(1, std::min(tasks, units));
  if (tasks == 1) {
    body(0, units);
    return;
  }
  parallel_for(tasks, [&](int t) {
    body(static_cast<int>(static_cast<long>(units) * t / tasks),
         static_cast<int>(static_cast<long>(units) * (t + 1) / tasks));
  });
}

// ---------------------------------------------------------------------------
// Write-back of an accumulator: C = alpha * acc + beta * C, where beta == 0
// never reads C and beta == 1 skips the multiply (same bits). The vector
// write-backs below do the same operations, lane by lane (alpha * acc is
// skipped when alpha == 1: the same bits too).

template <typename T>
inline T combine(T alpha, T acc, T beta, T c) {
  if (beta == T(0)) return alpha * acc;
  if (beta == T(1)) return alpha * acc + c;
  return alpha * acc + beta * c;
}

// Cache sizes of the Zen 3 (and Haswell-class) cores this was tuned on.
constexpr size_t kHalfL1 = 16 << 10, kHalfL2 = 256 << 10;

// ---------------------------------------------------------------------------
// Portable packed micro-kernel and interleave.

// dst (kc, W) <- W rows src[w][0:kc], the transpose at the heart of packing
// (see pack_a / pack_b below): the portable version.
template <typename T, int W>
void interleave(const T* const* src, int kc, T* dst) {
  for (int k = 0; k < kc; ++k)
    for (int w = 0; w < W; ++w) dst[k * W + w] = src[w][k];
}

// Portable micro-kernel: plain C++, vectorised by the compiler for whatever
// baseline ISA the build targets. R (<= MR) rows are computed; n (<= NR)
// columns are written.

template <typename T, int MR, int NR, int R>
void micro_portable(int n, int kc, const T* A, const T* B, T* C, idx ldc, T alpha, T beta) {
  T acc[R][NR] = {};
  for (int k = 0; k < kc; ++k, A += MR, B += NR)
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < NR; ++c) acc[r][c] += A[r] * B[c];
  for (int r = 0; r < R; ++r) {
    T* crow = C + r * ldc;
    if (n == NR) {
      for (int c = 0; c < NR; ++c) crow[c] = combine(alpha, acc[r][c], beta, crow[c]);
    } else {
      for (int c = 0; c < n; ++c) crow[c] = combine(alpha, acc[r][c], beta, crow[c]);
    }
  }
}

template <typename T, int MR_, int NR_>
struct PortableKernel {
  static constexpr int MR = MR_, NR = NR_;
  static void micro(int m, int n, int kc, const T* A, const T* B, T* C, idx ldc, T alpha,
                    T beta) {
    using Fn = void (*)(int, int, const T*, const T*, T*, idx, T, T);
    static_assert(MR <= 6, "table below");
    static constexpr Fn table[6] = {
        micro_portable<T, MR, NR, 1>, micro_portable<T, MR, NR, std::min(2, MR)>,
        micro_portable<T, MR, NR, std::min(3, MR)>, micro_portable<T, MR, NR, std::min(4, MR)>,
        micro_portable<T, MR, NR, std::min(5, MR)>, micro_portable<T, MR, NR, std::min(6, MR)>};
    table[m - 1](n, kc, A, B, C, ldc, alpha, beta);
  }
  static void interleave_a(const T* const* src, int kc, T* dst) { interleave<T, MR>(src, kc, dst); }
  static void interleave_b(const T* const* src, int kc, T* dst) { interleave<T, NR>(src, kc, dst); }
};

// ---------------------------------------------------------------------------
// NEON packed micro-kernel (AArch64): MR = 6 rows, NR = four q vectors.

#if DEEPNET_HAS_NEON

template <typename T>
struct Neon;
template <>
struct Neon<double> {
  using V = float64x2_t;
  static constexpr int lanes = 2;
  static V zero() { return vdupq_n_f64(0); }
  static V load(const double* p) { return vld1q_f64(p); }
  static void store(double* p, V v) { vst1q_f64(p, v); }
  static V fma(V acc, V b, double a) { return vfmaq_n_f64(acc, b, a); }  // acc + b * a, fused
};
template <>
struct Neon<float> {
  using V = float32x4_t;
  static constexpr int lanes = 4;
  static V zero() { return vdupq_n_f32(0); }
  static V load(const float* p) { return vld1q_f32(p); }
  static void store(float* p, V v) { vst1q_f32(p, v); }
  static V fma(V acc, V b, float a) { return vfmaq_n_f32(acc, b, a); }
};

// C[0:R, 0:n] (+)= alpha * A (kc, 6) * B (kc, NR), R <= 6, n <= NR = 4 * lanes:
// each element one k-ascending FMA chain, then combine() as the portable kernel.
template <typename T, int R>
void micro_neon(int n, int kc, const T* A, const T* B, T* C, idx ldc, T alpha, T beta) {
  using N = Neon<T>;
  constexpr int MR = 6, V = 4, L = N::lanes, NR = V * L;
  typename N::V acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = N::zero();
#pragma GCC unroll 2
  for (int k = 0; k < kc; ++k, A += MR, B += NR) {
    typename N::V b[V];
    for (int v = 0; v < V; ++v) b[v] = N::load(B + v * L);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) acc[r][v] = N::fma(acc[r][v], b[v], A[r]);
  }
  T tile[R][NR];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) N::store(&tile[r][v * L], acc[r][v]);
  for (int r = 0; r < R; ++r) {
    T* crow = C + r * ldc;
    for (int c = 0; c < n; ++c) crow[c] = combine(alpha, tile[r][c], beta, crow[c]);
  }
}

template <typename T>
struct NeonKernel {
  static constexpr int MR = 6, NR = 4 * Neon<T>::lanes;
  static void micro(int m, int n, int kc, const T* A, const T* B, T* C, idx ldc, T alpha,
                    T beta) {
    using Fn = void (*)(int, int, const T*, const T*, T*, idx, T, T);
    static constexpr Fn table[6] = {micro_neon<T, 1>, micro_neon<T, 2>, micro_neon<T, 3>,
                                    micro_neon<T, 4>, micro_neon<T, 5>, micro_neon<T, 6>};
    table[m - 1](n, kc, A, B, C, ldc, alpha, beta);
  }
  static void interleave_a(const T* const* src, int kc, T* dst) { interleave<T, MR>(src, kc, dst); }
  static void interleave_b(const T* const* src, int kc, T* dst) { interleave<T, NR>(src, kc, dst); }
};

#endif  // DEEPNET_HAS_NEON

// ---------------------------------------------------------------------------
// AVX2 + FMA building blocks: vector types, tile write-back, transposes.

#if DEEPNET_HAS_X86

#define DEEPNET_AVX2_INLINE DEEPNET_TARGET_AVX2 __attribute__((always_inline)) static inline

template <typename T>
struct Ymm;
template <>
struct Ymm<double> {
  using V = __m256d;
  static constexpr int lanes = 4;
  DEEPNET_AVX2_INLINE V zero() { return _mm256_setzero_pd(); }
  DEEPNET_AVX2_INLINE V set1(double x) { return _mm256_set1_pd(x); }
  DEEPNET_AVX2_INLINE V bcast(const double* p) { return _mm256_broadcast_sd(p); }
  DEEPNET_AVX2_INLINE V load(const double* p) { return _mm256_load_pd(p); }
  DEEPNET_AVX2_INLINE V loadu(const double* p) { return _mm256_loadu_pd(p); }
  DEEPNET_AVX2_INLINE void storeu(double* p, V v) { _mm256_storeu_pd(p, v); }
  DEEPNET_AVX2_INLINE V fmadd(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  DEEPNET_AVX2_INLINE V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  DEEPNET_AVX2_INLINE V add(V a, V b) { return _mm256_add_pd(a, b); }
  // x where z > 0 (or z is NaN), else +0: relu's mask, as forward.cc/backward.cc apply it.
  DEEPNET_AVX2_INLINE V unless_nonpositive(V x, V z) {
    return _mm256_andnot_pd(_mm256_cmp_pd(z, zero(), _CMP_LE_OQ), x);
  }
};
template <>
struct Ymm<float> {
  using V = __m256;
  static constexpr int lanes = 8;
  DEEPNET_AVX2_INLINE V zero() { return _mm256_setzero_ps(); }
  DEEPNET_AVX2_INLINE V set1(float x) { return _mm256_set1_ps(x); }
  DEEPNET_AVX2_INLINE V bcast(const float* p) { return _mm256_broadcast_ss(p); }
  DEEPNET_AVX2_INLINE V load(const float* p) { return _mm256_load_ps(p); }
  DEEPNET_AVX2_INLINE V loadu(const float* p) { return _mm256_loadu_ps(p); }
  DEEPNET_AVX2_INLINE void storeu(float* p, V v) { _mm256_storeu_ps(p, v); }
  DEEPNET_AVX2_INLINE V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  DEEPNET_AVX2_INLINE V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  DEEPNET_AVX2_INLINE V add(V a, V b) { return _mm256_add_ps(a, b); }
  DEEPNET_AVX2_INLINE V unless_nonpositive(V x, V z) {
    return _mm256_andnot_ps(_mm256_cmp_ps(z, zero(), _CMP_LE_OQ), x);
  }
};

// d = combine(alpha, acc, beta, d) for the first `rows` rows of an R x V tile
// of vectors at dst (row stride ld), one loop per case: SCALED = (alpha != 1),
// BETA = 0, 1 or 2 (any other beta).
template <typename T, int R, int V, bool SCALED, int BETA>
DEEPNET_AVX2_INLINE void store_rows(const typename Ymm<T>::V (&acc)[R][V], int rows, T* dst,
                                    idx ld, typename Ymm<T>::V va, typename Ymm<T>::V vb) {
  using Y = Ymm<T>;
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
    if (r >= rows) break;
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) {
      T* d = dst + r * ld + v * Y::lanes;
      typename Y::V x = SCALED ? Y::mul(va, acc[r][v]) : acc[r][v];
      if (BETA == 1) x = Y::add(x, Y::loadu(d));
      if (BETA == 2) x = Y::add(x, Y::mul(vb, Y::loadu(d)));
      Y::storeu(d, x);
    }
  }
}

// C[0:rows, skip:skip+n] = combine(alpha, acc, beta, C) lane by lane, for the
// first rows of a register tile of R rows x V vectors (skip + n <= V * lanes).
// Edge columns go through a temp tile so the vector arithmetic is the same
// whatever the tile's position.
template <typename T, int R, int V>
DEEPNET_AVX2_INLINE void store_tile(const typename Ymm<T>::V (&acc)[R][V], int rows, int skip,
                                    int n, T* C, idx ldc, T alpha, T beta) {
  using Y = Ymm<T>;
  constexpr int L = Y::lanes, NR = V * L;
  alignas(64) T tmp[R * NR];
  T* dst = C;
  idx ld = ldc;
  if (n < NR) {
    dst = tmp;
    ld = NR;
    if (beta != T(0)) {
      std::memset(tmp, 0, sizeof tmp);
      for (int r = 0; r < rows; ++r)
        std::memcpy(tmp + r * NR + skip, C + r * ldc + skip, n * sizeof(T));
    }
  }
  const typename Y::V va = Y::set1(alpha), vb = Y::set1(beta);
  if (alpha == T(1)) {  // alpha * acc is acc, exactly
    if (beta == T(0)) store_rows<T, R, V, false, 0>(acc, rows, dst, ld, va, vb);
    else if (beta == T(1)) store_rows<T, R, V, false, 1>(acc, rows, dst, ld, va, vb);
    else store_rows<T, R, V, false, 2>(acc, rows, dst, ld, va, vb);
  } else {
    if (beta == T(0)) store_rows<T, R, V, true, 0>(acc, rows, dst, ld, va, vb);
    else if (beta == T(1)) store_rows<T, R, V, true, 1>(acc, rows, dst, ld, va, vb);
    else store_rows<T, R, V, true, 2>(acc, rows, dst, ld, va, vb);
  }
  if (n < NR)
    for (int r = 0; r < rows; ++r)
      std::memcpy(C + r * ldc + skip, tmp + r * NR + skip, n * sizeof(T));
}

// In-register transposes for packing: dst (kc, W) <- W rows src[w][0:kc].
// double: 4x4 blocks (4 k at a time); float: 8x8 blocks (8 k at a time).

// The 4x4 transpose: r[i] holds row i at k..k+3; returns c[j] = column k+j.
DEEPNET_AVX2_INLINE void transpose4(const __m256d r[4], __m256d c[4]) {
  const __m256d t0 = _mm256_unpacklo_pd(r[0], r[1]), t1 = _mm256_unpackhi_pd(r[0], r[1]);
  const __m256d t2 = _mm256_unpacklo_pd(r[2], r[3]), t3 = _mm256_unpackhi_pd(r[2], r[3]);
  c[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
  c[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
  c[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
  c[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

// The 8x8 transpose: r[i] holds row i at k..k+7; returns c[j] = column k+j.
DEEPNET_AVX2_INLINE void transpose8(const __m256 r[8], __m256 c[8]) {
  __m256 t[8], s[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  for (int h = 0; h < 2; ++h) {  // rows 0-3, then rows 4-7
    const __m256* u = t + 4 * h;
    s[4 * h + 0] = _mm256_shuffle_ps(u[0], u[2], _MM_SHUFFLE(1, 0, 1, 0));
    s[4 * h + 1] = _mm256_shuffle_ps(u[0], u[2], _MM_SHUFFLE(3, 2, 3, 2));
    s[4 * h + 2] = _mm256_shuffle_ps(u[1], u[3], _MM_SHUFFLE(1, 0, 1, 0));
    s[4 * h + 3] = _mm256_shuffle_ps(u[1], u[3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int j = 0; j < 4; ++j) {
    c[j] = _mm256_permute2f128_ps(s[j], s[4 + j], 0x20);
    c[j + 4] = _mm256_permute2f128_ps(s[j], s[4 + j], 0x31);
  }
}

// dst[j][0:lanes] (row stride W) <- element k + j of rows[0:lanes], a null
// row reading as zeros: one lanes x lanes block of pack_transposed.
DEEPNET_AVX2_INLINE void transpose_block(const float* const* rows, int k, float* dst, idx W) {
  __m256 r[8], c[8];
  for (int i = 0; i < 8; ++i) r[i] = rows[i] ? _mm256_loadu_ps(rows[i] + k) : _mm256_setzero_ps();
  transpose8(r, c);
  for (int j = 0; j < 8; ++j) _mm256_storeu_ps(dst + j * W, c[j]);
}
DEEPNET_AVX2_INLINE void transpose_block(const double* const* rows, int k, double* dst, idx W) {
  __m256d r[4], c[4];
  for (int i = 0; i < 4; ++i) r[i] = rows[i] ? _mm256_loadu_pd(rows[i] + k) : _mm256_setzero_pd();
  transpose4(r, c);
  for (int j = 0; j < 4; ++j) _mm256_storeu_pd(dst + j * W, c[j]);
}
// dst (kc, W) <- the (m, kc) block at src (row stride ld), transposed:
// dst[k][i] = src[i * ld + k], zero for m <= i < W (W a multiple of lanes).
template <typename T>
DEEPNET_TARGET_AVX2 void pack_transposed(const T* src, idx ld, int m, int kc, T* dst, int W) {
  constexpr int L = Ymm<T>::lanes;
  for (int i0 = 0; i0 < W; i0 += L) {
    const T* rows[L];
    for (int i = 0; i < L; ++i) rows[i] = i0 + i < m ? src + (i0 + i) * ld : nullptr;
    int k = 0;
    for (; k + L <= kc; k += L) transpose_block(rows, k, dst + k * W + i0, W);
    for (; k < kc; ++k)
      for (int i = 0; i < L; ++i) dst[k * W + i0 + i] = rows[i] ? rows[i][k] : T(0);
  }
}

// store_tile, transposed: C[c][r] = combine(alpha, tile[r][c], beta, C[c][r])
// for r < rows, skip <= c < skip + n, element by element through a temp tile
// (the thin NT path with a small M computes C^T, whose rows are C's columns).
template <typename T, int R, int V>
DEEPNET_AVX2_INLINE void store_tile_transposed(const typename Ymm<T>::V (&acc)[R][V], int rows,
                                               int skip, int n, T* C, idx ldc, T alpha, T beta) {
  using Y = Ymm<T>;
  constexpr int NR = V * Y::lanes;
  alignas(64) T tmp[R][NR];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) Y::storeu(&tmp[r][v * Y::lanes], acc[r][v]);
  for (int c = skip; c < skip + n; ++c) {
    T* crow = C + c * ldc;
    for (int r = 0; r < rows; ++r) crow[r] = combine(alpha, tmp[r][c], beta, crow[r]);
  }
}

// ---------------------------------------------------------------------------
// Packed path, AVX2 micro-kernel: MR = 6 rows, NR = two ymm vectors.

// C[0:R, 0:n] (+)= alpha * A (kc, 6) * B (kc, NR), R <= 6, n <= NR = 2 * lanes.
// A and B are packed panels (B 64-byte aligned); C is the caller's matrix.
template <typename T, int R>
DEEPNET_TARGET_AVX2 void micro_avx2(int n, int kc, const T* A, const T* B, T* C, idx ldc,
                                    T alpha, T beta) {
  using Y = Ymm<T>;
  using V = typename Y::V;
  constexpr int MR = 6, L = Y::lanes, NR = 2 * L;
  V acc[R][2];
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = Y::zero();
  // Warm C's lines (a row of the tile may straddle two) now; they are
  // needed only after the k loop.
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) {
    _mm_prefetch(reinterpret_cast<const char*>(C + r * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(C + r * ldc + NR - 1), _MM_HINT_T0);
  }
#pragma GCC unroll 4
  for (int k = 0; k < kc; ++k) {
    const V b0 = Y::load(B), b1 = Y::load(B + L);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      const V a = Y::bcast(A + r);
      acc[r][0] = Y::fmadd(a, b0, acc[r][0]);
      acc[r][1] = Y::fmadd(a, b1, acc[r][1]);
    }
    A += MR;
    B += NR;
  }
  store_tile<T, R, 2>(acc, R, 0, n, C, ldc, alpha, beta);
}

// W = 8 doubles (B panels) or 6 (A panels).
template <int W>
DEEPNET_TARGET_AVX2 void interleave_avx2(const double* const* src, int kc, double* dst) {
  static_assert(W == 8 || W == 6, "");
  int k = 0;
  for (; k + 4 <= kc; k += 4, dst += 4 * W) {
    __m256d r[4], c[4];
    for (int i = 0; i < 4; ++i) r[i] = _mm256_loadu_pd(src[i] + k);
    transpose4(r, c);
    for (int j = 0; j < 4; ++j) _mm256_storeu_pd(dst + j * W, c[j]);
    if (W == 8) {
      for (int i = 0; i < 4; ++i) r[i] = _mm256_loadu_pd(src[4 + i] + k);
      transpose4(r, c);
      for (int j = 0; j < 4; ++j) _mm256_storeu_pd(dst + j * W + 4, c[j]);
    } else {
      // Rows 4 and 5: pairs (r4, r5) for k, k+1, k+2, k+3.
      const __m256d a = _mm256_loadu_pd(src[4] + k), b = _mm256_loadu_pd(src[5] + k);
      const __m256d lo = _mm256_unpacklo_pd(a, b), hi = _mm256_unpackhi_pd(a, b);
      _mm_storeu_pd(dst + 0 * W + 4, _mm256_castpd256_pd128(lo));
      _mm_storeu_pd(dst + 1 * W + 4, _mm256_castpd256_pd128(hi));
      _mm_storeu_pd(dst + 2 * W + 4, _mm256_extractf128_pd(lo, 1));
      _mm_storeu_pd(dst + 3 * W + 4, _mm256_extractf128_pd(hi, 1));
    }
  }
  for (; k < kc; ++k, dst += W)
    for (int w = 0; w < W; ++w) dst[w] = src[w][k];
}

// W = 16 floats (B panels) or 6 (A panels).
template <int W>
DEEPNET_TARGET_AVX2 void interleave_avx2(const float* const* src, int kc, float* dst) {
  static_assert(W == 16 || W == 6, "");
  int k = 0;
  for (; k + 8 <= kc; k += 8, dst += 8 * W) {
    __m256 r[8], c[8];
    for (int i = 0; i < 8; ++i)
      r[i] = i < W ? _mm256_loadu_ps(src[i] + k) : _mm256_setzero_ps();
    transpose8(r, c);
    if (W == 16) {
      for (int j = 0; j < 8; ++j) _mm256_storeu_ps(dst + j * W, c[j]);
      for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src[8 + i] + k);
      transpose8(r, c);
      for (int j = 0; j < 8; ++j) _mm256_storeu_ps(dst + j * W + 8, c[j]);
    } else {
      // 6 of the 8 lanes: 4 + 2, so nothing past the panel is written.
      for (int j = 0; j < 8; ++j) {
        _mm_storeu_ps(dst + j * W, _mm256_castps256_ps128(c[j]));
        _mm_storel_pi(reinterpret_cast<__m64*>(dst + j * W + 4), _mm256_extractf128_ps(c[j], 1));
      }
    }
  }
  for (; k < kc; ++k, dst += W)
    for (int w = 0; w < W; ++w) dst[w] = src[w][k];
}

template <typename T>
struct Avx2Kernel {
  static constexpr int MR = 6, NR = 2 * Ymm<T>::lanes;
  static void micro(int m, int n, int kc, const T* A, const T* B, T* C, idx ldc, T alpha,
                    T beta) {
    using Fn = void (*)(int, int, const T*, const T*, T*, idx, T, T);
    static constexpr Fn table[6] = {micro_avx2<T, 1>, micro_avx2<T, 2>, micro_avx2<T, 3>,
                                    micro_avx2<T, 4>, micro_avx2<T, 5>, micro_avx2<T, 6>};
    table[m - 1](n, kc, A, B, C, ldc, alpha, beta);
  }
  static void interleave_a(const T* const* src, int kc, T* dst) {
    interleave_avx2<MR>(src, kc, dst);
  }
  static void interleave_b(const T* const* src, int kc, T* dst) {
    interleave_avx2<NR>(src, kc, dst);
  }
};

// ---------------------------------------------------------------------------
// Thin path (and the thin NT path, which shares its tile).

// C[0:rows, 0:count*NR] (+)= alpha * op(A)[0:rows, 0:kc] * B[0:kc, 0:count*NR],
// rows <= R, one tile of NR = V * lanes columns after another, storing only
// the columns [skip, skip + n) of each (TRANS: stored transposed, see above).
// op(A)[r][k] = A[r * a_r + k * a_k] (NN: a_r = lda, a_k = 1; TN the
// reverse); B[k][c] = B[k * ldb + c]. Rows past `rows` repeat the last one
// (computed, not stored), so every element is the same k-ascending FMA chain
// whatever the tile. Prefetches: pf != 0, at each k, B's row k at column pf
// (the tile after this one); pfa != 0, once per cache line of k, op(A)'s rows
// pfa elements further (the row tiles ahead).
template <typename T, int R, int V, bool TRANS>
DEEPNET_TARGET_AVX2 void thin_tile(int count, int rows, int skip, int n, int kc, const T* A,
                                   idx a_r, idx a_k, const T* B, idx ldb, T* C, idx ldc, T alpha,
                                   T beta, idx pf, idx pfa) {
  using Y = Ymm<T>;
  constexpr int L = Y::lanes, NR = V * L;
  idx off[R];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) off[r] = std::min(r, rows - 1) * a_r;
  for (; count > 0; --count, B += NR, C += NR) {
    typename Y::V acc[R][V];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) acc[r][v] = Y::zero();
    const T* a = A;
    const T* b = B;
#pragma GCC unroll 2
    for (int k = 0; k < kc; ++k, a += a_k, b += ldb) {
      if (pfa && (k & (64 / int(sizeof(T)) - 1)) == 0) {
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r)
          _mm_prefetch(reinterpret_cast<const char*>(a + off[r] + pfa), _MM_HINT_T0);
      }
      if (pf) {
        // The new lines of the next tile's row (its first is mostly this one's last).
#pragma GCC unroll 8
        for (int o = NR - 1; o > 0; o -= 64 / int(sizeof(T)))
          _mm_prefetch(reinterpret_cast<const char*>(b + pf + o), _MM_HINT_T0);
      }
      typename Y::V bv[V];
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) bv[v] = Y::loadu(b + v * L);
#pragma GCC unroll 8
      for (int r = 0; r < R; ++r) {
        const typename Y::V av = Y::bcast(a + off[r]);
#pragma GCC unroll 8
        for (int v = 0; v < V; ++v) acc[r][v] = Y::fmadd(av, bv[v], acc[r][v]);
      }
    }
    if (TRANS)
      store_tile_transposed<T, R, V>(acc, rows, skip, n, C, ldc, alpha, beta);
    else
      store_tile<T, R, V>(acc, rows, skip, n, C, ldc, alpha, beta);
  }
}

template <typename T>
using ThinFn = void (*)(int, int, int, int, int, const T*, idx, idx, const T*, idx, T*, idx, T, T,
                        idx, idx);

// Thin tiles: R rows (a problem's row tiles have R or R - 1) by V vectors:
// at least 8 accumulators where the rows allow, to cover the FMA latency
// (4 cycles x 2 pipes), and R * V + V + 1 <= 16 registers (accumulators, B
// vectors, the broadcast). Measured: 5 x 2 beats 4 x 3 at M = 20; wider
// tiles (more B lines per row in flight) lose.
struct ThinShape {
  int R, V;
};
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
struct ThinNTShape {
  int R, V, lane_tiles, W;  // W: the packed small operand's row length, whole lane tiles
};
template <typename T>
ThinNTShape thin_nt_shape(int S) {
  constexpr int L = Ymm<T>::lanes;
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

// ---------------------------------------------------------------------------
// Dot path.

// Four results of a dot tile: lane sums and the vector write-back of a C row.
template <typename T>
struct Quad;
template <>
struct Quad<float> {
  using V = __m128;
  DEEPNET_AVX2_INLINE V loadu(const float* p) { return _mm_loadu_ps(p); }
  DEEPNET_AVX2_INLINE void storeu(float* p, V v) { _mm_storeu_ps(p, v); }
  DEEPNET_AVX2_INLINE V set1(float x) { return _mm_set1_ps(x); }
  DEEPNET_AVX2_INLINE V mul(V a, V b) { return _mm_mul_ps(a, b); }
  DEEPNET_AVX2_INLINE V add(V a, V b) { return _mm_add_ps(a, b); }
  // Lane sums of v0..v3, each ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)).
  DEEPNET_AVX2_INLINE V sum4(__m256 v0, __m256 v1, __m256 v2, __m256 v3) {
    const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(v0, v1), _mm256_hadd_ps(v2, v3));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  }
  // Lanes [0, n) all ones: a maskload that reads n elements.
  DEEPNET_AVX2_INLINE __m256i mask(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  DEEPNET_AVX2_INLINE __m256 maskload(const float* p, __m256i m) {
    return _mm256_maskload_ps(p, m);
  }
};
template <>
struct Quad<double> {
  using V = __m256d;
  DEEPNET_AVX2_INLINE V loadu(const double* p) { return _mm256_loadu_pd(p); }
  DEEPNET_AVX2_INLINE void storeu(double* p, V v) { _mm256_storeu_pd(p, v); }
  DEEPNET_AVX2_INLINE V set1(double x) { return _mm256_set1_pd(x); }
  DEEPNET_AVX2_INLINE V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  DEEPNET_AVX2_INLINE V add(V a, V b) { return _mm256_add_pd(a, b); }
  // Lane sums of v0..v3, each (l0+l1)+(l2+l3).
  DEEPNET_AVX2_INLINE V sum4(__m256d v0, __m256d v1, __m256d v2, __m256d v3) {
    const __m256d h01 = _mm256_hadd_pd(v0, v1), h23 = _mm256_hadd_pd(v2, v3);
    return _mm256_add_pd(_mm256_permute2f128_pd(h01, h23, 0x20),
                         _mm256_permute2f128_pd(h01, h23, 0x31));
  }
  DEEPNET_AVX2_INLINE __m256i mask(int n) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  DEEPNET_AVX2_INLINE __m256d maskload(const double* p, __m256i m) {
    return _mm256_maskload_pd(p, m);
  }
};

// C[0:ra, 0:rb] (+)= alpha * A[0:ra, 0:K] . B[0:rb, 0:K]^T, a DA x DB tile
// (DA * DB accumulators, 4 or 12), ra <= DA, rb <= DB. Missing rows repeat the
// last one (computed, not stored), so every element is the same k-ascending
// lane-wise FMA chain and the same final lane sum (Quad::sum4) whatever the
// tile. pfa / pfb != 0: prefetch the rows that far past A's / B's.
template <typename T, int DA, int DB>
DEEPNET_TARGET_AVX2 void dot_tile(int ra, int rb, int K, const T* A, idx lda, const T* B,
                                  idx ldb, T* C, idx ldc, T alpha, T beta, idx pfa, idx pfb) {
  using Y = Ymm<T>;
  using Q = Quad<T>;
  using V = typename Y::V;
  constexpr int L = Y::lanes;
  const T* a[DA];
  const T* b[DB];
  for (int i = 0; i < DA; ++i) a[i] = A + std::min(i, ra - 1) * lda;
  for (int j = 0; j < DB; ++j) b[j] = B + std::min(j, rb - 1) * ldb;
  V acc[DA][DB];
#pragma GCC unroll 12
  for (int i = 0; i < DA; ++i)
#pragma GCC unroll 12
    for (int j = 0; j < DB; ++j) acc[i][j] = Y::zero();
  // One step: k..k+L of every row. The smaller side is held in registers
  // while the other streams past it (accumulators + that side + 1 <= 16).
  const auto step = [&](auto load) DEEPNET_TARGET_AVX2 {
    if (DA <= DB) {
      V va[DA];
#pragma GCC unroll 12
      for (int i = 0; i < DA; ++i) va[i] = load(a[i]);
#pragma GCC unroll 12
      for (int j = 0; j < DB; ++j) {
        V vb = load(b[j]);
        asm("" : "+x"(vb));  // one load, in a register, not one per FMA
#pragma GCC unroll 12
        for (int i = 0; i < DA; ++i) acc[i][j] = Y::fmadd(va[i], vb, acc[i][j]);
      }
    } else {
      V vb[DB];
#pragma GCC unroll 12
      for (int j = 0; j < DB; ++j) vb[j] = load(b[j]);
#pragma GCC unroll 12
      for (int i = 0; i < DA; ++i) {
        V va = load(a[i]);
        asm("" : "+x"(va));  // one load, in a register, not one per FMA
#pragma GCC unroll 12
        for (int j = 0; j < DB; ++j) acc[i][j] = Y::fmadd(va, vb[j], acc[i][j]);
      }
    }
  };
  int k = 0;
  for (; k + L <= K; k += L) {
    if (pfa)
      for (int i = 0; i < DA; ++i)
        _mm_prefetch(reinterpret_cast<const char*>(a[i] + pfa + k), _MM_HINT_T0);
    if (pfb)
      for (int j = 0; j < DB; ++j)
        _mm_prefetch(reinterpret_cast<const char*>(b[j] + pfb + k), _MM_HINT_T0);
    step([k](const T* p) DEEPNET_TARGET_AVX2 { return Y::loadu(p + k); });
  }
  if (k < K) {  // the K % L tail: masked-off lanes load 0 and touch no memory
    const __m256i m = Q::mask(K - k);
    step([k, m](const T* p) DEEPNET_TARGET_AVX2 { return Q::maskload(p + k, m); });
  }
  // Lane sums, four accumulators at a time, in (i, j) order.
  alignas(32) T sum[DA * DB];
  const V* flat = &acc[0][0];
  for (int g = 0; g < DA * DB; g += 4)
    Q::storeu(sum + g, Q::sum4(flat[g], flat[g + 1], flat[g + 2], flat[g + 3]));
  if (DB == 4 && rb == 4) {  // whole rows of four: vector write-back
    const typename Q::V qa = Q::set1(alpha), qb = Q::set1(beta);
    for (int i = 0; i < ra; ++i) {
      T* c = C + i * ldc;
      typename Q::V x = Q::loadu(sum + i * DB);
      if (alpha != T(1)) x = Q::mul(qa, x);
      if (beta == T(1)) x = Q::add(x, Q::loadu(c));
      else if (beta != T(0)) x = Q::add(x, Q::mul(qb, Q::loadu(c)));
      Q::storeu(c, x);
    }
  } else {
    for (int i = 0; i < ra; ++i)
      for (int j = 0; j < rb; ++j)
        C[i * ldc + j] = combine(alpha, sum[i * DB + j], beta, C[i * ldc + j]);
  }
}

template <typename T>
using DotFn = void (*)(int, int, int, const T*, idx, const T*, idx, T*, idx, T, T, idx, idx);

// The tile for a product whose smaller side has s rows: 1 x 4 (a GEMV: more
// rows would only add streams), 2 x 6, or 3 x 4 for s >= 3; the small side
// first.
struct DotShape {
  int DA, DB;
};
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

#endif  // DEEPNET_HAS_X86

// ---------------------------------------------------------------------------
// Packing. Kern supplies interleave_a / interleave_b: W source rows, each
// contiguous over k, written as dst[k][w] (W = MR or NR). That transpose is
// the expensive part of packing (A as stored, B transposed), so the AVX2 path
// does it with in-register transposes; everything else is plain copies.

// Ap (ceil(m/MR) panels of (kc, MR)) <- op(A)[i0:+m, p0:+kc], zero rows past m.
template <typename T, typename Kern>
void pack_a(const Problem<T>& p, int i0, int m, int p0, int kc, T* Ap) {
  constexpr int MR = Kern::MR;
  for (int ip = 0; ip < m; ip += MR, Ap += static_cast<idx>(kc) * MR) {
    const int rows = std::min(MR, m - ip);
    if (p.transA) {
      // Stored (K, M): the MR values for one k are contiguous.
      const T* src = p.A + static_cast<idx>(p0) * p.lda + i0 + ip;
      for (int k = 0; k < kc; ++k, src += p.lda) {
        std::memcpy(Ap + k * MR, src, rows * sizeof(T));
        for (int r = rows; r < MR; ++r) Ap[k * MR + r] = T(0);
      }
      continue;
    }
    // Stored (M, K): MR rows, each read contiguously, interleaved on write.
    const T* src[MR];
    for (int r = 0; r < MR; ++r)
      src[r] = p.A + static_cast<idx>(i0 + ip + std::min(r, rows - 1)) * p.lda + p0;
    if (rows == MR) {
      Kern::interleave_a(src, kc, Ap);
    } else {
      for (int k = 0; k < kc; ++k)
        for (int r = 0; r < MR; ++r) Ap[k * MR + r] = r < rows ? src[r][k] : T(0);
    }
  }
}

// Bp (ceil(n/NR) panels of (kc, NR)) <- op(B)[p0:+kc, j0:+n], zero columns past n.
template <typename T, typename Kern>
void pack_b(const Problem<T>& p, int p0, int kc, int j0, int n, T* Bp) {
  constexpr int NR = Kern::NR;
  const idx panel = static_cast<idx>(kc) * NR;
  if (!p.transB) {
    // Stored (K, N): walk B row by row (one long contiguous read per k, which
    // the hardware prefetcher streams best) and scatter NR-wide pieces.
    const int full = n / NR, rest = n - full * NR;
    for (int k = 0; k < kc; ++k) {
      const T* src = p.B + static_cast<idx>(p0 + k) * p.ldb + j0;
      T* dst = Bp + k * NR;
      for (int jp = 0; jp < full; ++jp, src += NR, dst += panel)
        std::memcpy(dst, src, NR * sizeof(T));
      if (rest)
        for (int c = 0; c < NR; ++c) dst[c] = c < rest ? src[c] : T(0);
    }
    return;
  }
  // Stored (N, K): NR rows of B, each read contiguously over k.
  for (int jp = 0; jp < n; jp += NR, Bp += panel) {
    const int cols = std::min(NR, n - jp);
    const T* src[NR];
    for (int c = 0; c < NR; ++c)
      src[c] = p.B + static_cast<idx>(j0 + jp + std::min(c, cols - 1)) * p.ldb + p0;
    if (cols == NR) {
      Kern::interleave_b(src, kc, Bp);
    } else {
      for (int k = 0; k < kc; ++k)
        for (int c = 0; c < NR; ++c) Bp[k * NR + c] = c < cols ? src[c][k] : T(0);
    }
  }
}

// ---------------------------------------------------------------------------
// Cache blocking, sized for a Zen/Haswell-class core (32K L1d, 512K L2) and
// then tuned by measurement on a Zen 3 (EPYC) against OpenBLAS 0.3.21:
//   KC = 256: a B micro-panel (KC, NR) is 16K, half of L1; the A micro-panel
//        (MR, KC) streams beside it.
//   MC: the A block (MC, KC) is 144K (72 doubles or 144 floats a column),
//        under a third of L2, leaving room for the B panels passing through.
//   NC = 2048: the B block (KC, NC), 4M / 2M, stays in L3 next to the other
//        core's block. Larger (BLIS's 4080) measured slower here: this shared
//        L3 behaves smaller than its 32M.
//   NC_SMALL = 1024: the few-rows order's B block. Wide, so that packing B
//        as stored reads long runs of each row (the prefetcher streams them).

struct Blocking {
  int KC, MC, NC, NC_SMALL;
};

template <typename T>
constexpr Blocking blocking() {
  return sizeof(T) == 8 ? Blocking{256, 72, 2048, 1024} : Blocking{256, 144, 2048, 1024};
}

// C[0:m, 0:n] (+)= alpha * Ap * Bp over all register tiles of one block pair.
template <typename T, typename Kern>
void macro_kernel(int m, int n, int kc, const T* Ap, const T* Bp, T* C, idx ldc, T alpha,
                  T beta) {
  constexpr int MR = Kern::MR, NR = Kern::NR;
  for (int jr = 0; jr < n; jr += NR) {
    const T* b = Bp + static_cast<idx>(jr) * kc;
    for (int ir = 0; ir < m; ir += MR)
      Kern::micro(std::min(MR, m - ir), std::min(NR, n - jr), kc, Ap + static_cast<idx>(ir) * kc,
                  b, C + ir * ldc + jr, ldc, alpha, beta);
  }
}

// One task: C[i0:i1, j0:j1] of the problem, all of K.
template <typename T, typename Kern>
void gemm_block(const Problem<T>& p, int i0, int i1, int j0, int j1) {
  constexpr int MR = Kern::MR, NR = Kern::NR;
  constexpr Blocking bk = blocking<T>();
  const int kcb = even_block(p.K, bk.KC, 1);
  const int m = i1 - i0, n = j1 - j0;
  if (m <= bk.MC) {
    // Few rows: pack this task's whole A block once per KC step, then stream
    // B past it in NC_SMALL-column blocks.
    const int ncb = even_block(n, bk.NC_SMALL, NR);
    T* Ap = tls_pack_a.get<T>(static_cast<size_t>(round_up(m, MR)) * kcb);
    T* Bp = tls_pack_b.get<T>(static_cast<size_t>(ncb) * kcb);
    for (int pc = 0; pc < p.K; pc += kcb) {
      const int kc = std::min(kcb, p.K - pc);
      const T beta = pc == 0 ? p.beta : T(1);
      pack_a<T, Kern>(p, i0, m, pc, kc, Ap);
      for (int jc = j0; jc < j1; jc += ncb) {
        const int nc = std::min(ncb, j1 - jc);
        pack_b<T, Kern>(p, pc, kc, jc, nc, Bp);
        macro_kernel<T, Kern>(m, nc, kc, Ap, Bp, p.C + i0 * p.ldc + jc, p.ldc, p.alpha, beta);
      }
    }
    return;
  }
  const int ncb = even_block(n, bk.NC, NR);
  const int mcb = even_block(m, bk.MC, MR);
  T* Ap = tls_pack_a.get<T>(static_cast<size_t>(mcb) * kcb);
  T* Bp = tls_pack_b.get<T>(static_cast<size_t>(ncb) * kcb);
  for (int jc = j0; jc < j1; jc += ncb) {
    const int nc = std::min(ncb, j1 - jc);
    for (int pc = 0; pc < p.K; pc += kcb) {
      const int kc = std::min(kcb, p.K - pc);
      const T beta = pc == 0 ? p.beta : T(1);
      pack_b<T, Kern>(p, pc, kc, jc, nc, Bp);
      for (int ic = i0; ic < i1; ic += mcb) {
        const int mc = std::min(mcb, i1 - ic);
        pack_a<T, Kern>(p, ic, mc, pc, kc, Ap);
        macro_kernel<T, Kern>(mc, nc, kc, Ap, Bp, p.C + ic * p.ldc + jc, p.ldc, p.alpha, beta);
      }
    }
  }
}

// Splits C into one rectangle per thread and runs them. The split is over N
// when M <= N (each task then re-packs A, the smaller operand), over M
// otherwise, on whole micro-panel boundaries.
template <typename T, typename Kern>
void gemm_packed(const Problem<T>& p) {
  constexpr int MR = Kern::MR, NR = Kern::NR;
  const int n_units = (p.N + NR - 1) / NR, m_units = (p.M + MR - 1) / MR;
  const bool split_n = p.M <= p.N ? n_units >= 2 || m_units < 2 : m_units < 2;
  if (split_n)
    split_tasks(p, n_units, [&](int u0, int u1) {
      gemm_block<T, Kern>(p, 0, p.M, u0 * NR, std::min(p.N, u1 * NR));
    });
  else
    split_tasks(p, m_units, [&](int u0, int u1) {
      gemm_block<T, Kern>(p, u0 * MR, std::min(p.M, u1 * MR), 0, p.N);
    });
}

#if DEEPNET_HAS_X86

// Thin path blocking: KC rows of B per pass, so a tile's B rows (KC x NR,
// twice that in cache lines when rows straddle them) stay in L1 while every
// row tile passes over them; measured 64-128 best at M = 20, 256 slower.
constexpr int kThinKC = 128;

// One K block [pc, pc + kc) of a thin-path task: C[:, j0:j1] (+)= op(A)[:, pc:+kc]
// B[pc:+kc, j0:j1], all M rows, in balanced row tiles of at most 6 rows (beta on
// the first block, 1 after).
template <typename T>
void thin_k_block(const Problem<T>& p, int j0, int j1, int pc, int kc) {
  const int tiles = (p.M + 5) / 6;
  const int rows_max = (p.M + tiles - 1) / tiles;
  const int tall_tiles = p.M - (rows_max - 1) * tiles;  // the rest have one row less
  const ThinShape sh = thin_shape(rows_max);
  const ThinFn<T> fn = thin_kernel<T>(sh);
  const int NR = sh.V * Ymm<T>::lanes;
  const idx a_r = p.transA ? 1 : p.lda, a_k = p.transA ? p.lda : 1;
  const int full = (j1 - j0) / NR, edge = (j1 - j0) - full * NR;
  const T beta = pc == 0 ? p.beta : T(1);
  const T* A = p.A + pc * a_k;
  const T* B = p.B + pc * p.ldb;
  // Row tiles over C[:, j:j + count * NR] (count full tiles, or the edge).
  const auto row_tiles = [&](int j, int count, int skip, int n, const T* b, idx ldb, idx pf) {
    for (int t = 0, i = 0; t < tiles; ++t) {
      const int rows = t < tall_tiles ? rows_max : rows_max - 1;
      fn(count, rows, skip, n, kc, A + i * a_r, a_r, a_k, b, ldb, p.C + i * p.ldc + j - skip,
         p.ldc, p.alpha, beta, pf, 0);
      i += rows;
    }
  };
  // A B block that fits in L1 (small problems) is swept by each row tile in
  // one call; a larger one goes tile by tile, all row tiles over each, every
  // one prefetching the next tile's rows (the first touch of B, strided down
  // kc rows, is what the hardware prefetcher cannot foresee).
  if (static_cast<size_t>(kc) * (j1 - j0) * sizeof(T) <= kHalfL1) {
    if (full) row_tiles(j0, full, 0, NR, B + j0, p.ldb, 0);
  } else {
    for (int jt = 0; jt < full; ++jt) {
      const int j = j0 + jt * NR;
      row_tiles(j, 1, 0, NR, B + j, p.ldb, jt + 1 < full ? NR : 0);
    }
  }
  if (edge) {
    // The right edge reads the NR columns ending at N and stores its last
    // n; only when N < NR are they copied into a zero-padded buffer.
    const int j = j1 - edge;
    if (p.N >= NR) {
      row_tiles(j, 1, NR - edge, edge, B + j - (NR - edge), p.ldb, 0);
    } else {
      T* e = tls_pack_b.get<T>(static_cast<size_t>(kc) * NR);
      for (int k = 0; k < kc; ++k) {
        std::memcpy(e + k * NR, B + k * p.ldb + j, edge * sizeof(T));
        std::memset(e + k * NR + edge, 0, (NR - edge) * sizeof(T));
      }
      row_tiles(j, 1, 0, edge, e, NR, 0);
    }
  }
}

// The thin path's K blocks: a function of K alone.
inline int thin_kc(int K) { return even_block(K, kThinKC, 1); }

// One task of the thin path: C[:, j0:j1], all of K.
template <typename T>
void thin_block(const Problem<T>& p, int j0, int j1) {
  const int kcb = thin_kc(p.K);
  for (int pc = 0; pc < p.K; pc += kcb) thin_k_block(p, j0, j1, pc, std::min(kcb, p.K - pc));
}

template <typename T>
void gemm_thin(const Problem<T>& p) {
  const int tiles = (p.M + 5) / 6;
  const int NR = thin_shape((p.M + tiles - 1) / tiles).V * Ymm<T>::lanes;
  split_tasks(p, (p.N + NR - 1) / NR, [&](int u0, int u1) {
    thin_block<T>(p, u0 * NR, std::min(p.N, u1 * NR));
  });
}

// Thin NT path: packed blocks of up to 48K (one K block at m = 209 for S <= 24
// doubles), prefetching the large side's rows 3 row tiles ahead (measured).
constexpr size_t kThinNTPackBytes = 48 << 10;
constexpr int kThinNTPrefetch = 3;

// The thin NT product seen as large x small: C[r][s] = alpha * sum over k of
// large[r][k] small[s][k] (+ beta C), S = min(M, N) the small side. Per K
// block the small operand is packed into St (kc, W), St[k][s] = its row s at
// pc + k, zero past S; then each tile of R rows of the large operand,
// broadcast along k, runs over every lane tile of St, the first prefetching
// the rows kThinNTPrefetch tiles ahead. With S = M the tile is C^T, stored
// transposed.
template <typename T>
struct ThinNT {
  const Problem<T>& p;
  const bool small_m = p.M <= p.N;
  const int S = small_m ? p.M : p.N;
  const T* small = small_m ? p.A : p.B;
  const T* large = small_m ? p.B : p.A;
  const idx ld_small = small_m ? p.lda : p.ldb, ld_large = small_m ? p.ldb : p.lda;
  // C[r][s] of the large x small product, as C's row and column strides.
  const idx c_r = small_m ? 1 : p.ldc, c_s = small_m ? p.ldc : 1;
  const ThinNTShape sh = thin_nt_shape<T>(S);
  const ThinFn<T> fn = small_m ? thin_nt_kernel<T, true>(sh.V) : thin_nt_kernel<T, false>(sh.V);
  // K blocks: a function of K and S alone.
  const int kcb = even_block(p.K, std::max(8, int(kThinNTPackBytes / (sh.W * sizeof(T)))), 1);

  // St (kc, W) <- the small operand's K block [pc, pc + kc).
  void pack(int pc, int kc, T* St) const { pack_transposed<T>(small + pc, ld_small, S, kc, St, sh.W); }
  // Rows [r0, r1) of the large side over the packed K block; prefetches stay
  // below row r_end.
  void rows(const T* St, int pc, int kc, int r0, int r1, int r_end) const {
    const int NR = sh.V * Ymm<T>::lanes;
    const T beta = pc == 0 ? p.beta : T(1);
    for (int r = r0; r < r1; r += sh.R)
      for (int lt = 0; lt < sh.lane_tiles; ++lt) {
        const int s0 = lt * NR;
        const idx pf = lt == 0 && r + (kThinNTPrefetch + 1) * sh.R <= r_end
                           ? kThinNTPrefetch * sh.R * ld_large
                           : 0;
        fn(1, std::min(sh.R, r1 - r), 0, std::min(NR, S - s0), kc, large + r * ld_large + pc,
           ld_large, 1, St + s0, sh.W, p.C + r * c_r + s0 * c_s, p.ldc, p.alpha, beta, 0, pf);
      }
  }
};

// One task of the thin NT path: rows [r0, r1) of the large side (C's columns
// when M <= N, its rows otherwise), all of the small side, all of K.
template <typename T>
void thin_nt_block(const Problem<T>& p, int r0, int r1) {
  const ThinNT<T> nt{p};
  T* St = tls_pack_a.get<T>(static_cast<size_t>(nt.kcb) * nt.sh.W);
  for (int pc = 0; pc < p.K; pc += nt.kcb) {
    const int kc = std::min(nt.kcb, p.K - pc);
    nt.pack(pc, kc, St);
    nt.rows(St, pc, kc, r0, r1, r1);
  }
}

template <typename T>
void gemm_thin_nt(const Problem<T>& p) {
  const int R = thin_nt_shape<T>(std::min(p.M, p.N)).R;
  const int large = std::max(p.M, p.N);
  split_tasks(p, (large + R - 1) / R, [&](int u0, int u1) {
    thin_nt_block<T>(p, u0 * R, std::min(large, u1 * R));
  });
}

// gemm_streamed: the thin NT product G = D X^T over X's rows and the thin
// product Z = W X over the same rows, block by block (the thin path's K
// blocks), so each block of X is read from memory once and from L2 the second
// time. Each product's blocking is exactly its own gemm call's: the NT one
// packs all of D once (its K blocks one after another) and walks X's rows in
// the same tiles; the NN one runs the same K blocks in the same order.
template <typename T>
void gemm_streamed_x86(int M, int N, int K, const T* D, int ldd, const T* X, int ldx, T* G,
                       int ldg, const T* W, int ldw, T* Z, int ldz,
                       const std::function<void(int, int)>& between) {
  const Problem<T> g{false, true, M, K, N, T(1), T(0), D, ldd, X, ldx, G, ldg};
  const Problem<T> z{false, false, M, N, K, T(1), T(0), W, ldw, X, ldx, Z, ldz};
  const ThinNT<T> nt{g};
  // All of D packed before Z is written: Z may be D (gemm.h).
  T* St = tls_pack_a.get<T>(static_cast<size_t>(N) * nt.sh.W);
  for (int pc = 0; pc < N; pc += nt.kcb) nt.pack(pc, std::min(nt.kcb, N - pc), St + pc * nt.sh.W);
  const int kcb = thin_kc(K);
  for (int k0 = 0; k0 < K; k0 += kcb) {
    const int kc = std::min(kcb, K - k0);
    for (int pc = 0; pc < N; pc += nt.kcb)
      nt.rows(St + pc * nt.sh.W, pc, std::min(nt.kcb, N - pc), k0, k0 + kc, K);
    between(k0, k0 + kc);
    thin_k_block(z, 0, N, k0, kc);
  }
}

// One task of the dot path: C[i0:i1, j0:j1], all of K. The smaller operand is
// the inner loop, so it stays in cache and the larger one streams past once.
template <typename T>
void dot_block(const Problem<T>& p, DotShape d, int i0, int i1, int j0, int j1) {
  const DotFn<T> fn = dot_kernel<T>(d);
  const auto tile = [&](int i, int j, idx pfa, idx pfb) {
    fn(std::min(d.DA, i1 - i), std::min(d.DB, j1 - j), p.K, p.A + i * p.lda, p.lda,
       p.B + j * p.ldb, p.ldb, p.C + i * p.ldc + j, p.ldc, p.alpha, p.beta, pfa, pfb);
  };
  // Prefetching the streamed operand a tile ahead pays when it comes from
  // beyond L2 and each of its tiles is used for several passes (with one, the
  // hardware prefetcher keeps up with the few sequential rows).
  const bool pf = static_cast<size_t>(std::max(p.M, p.N)) * p.K * sizeof(T) > kHalfL2 &&
                  std::min(p.M, p.N) > std::min(d.DA, d.DB);
  if (p.M <= p.N) {
    for (int j = j0; j < j1; j += d.DB)
      for (int i = i0; i < i1; i += d.DA)
        tile(i, j, 0, pf && j + 2 * d.DB <= j1 ? d.DB * p.ldb : 0);
  } else {
    for (int i = i0; i < i1; i += d.DA)
      for (int j = j0; j < j1; j += d.DB)
        tile(i, j, pf && i + 2 * d.DA <= i1 ? d.DA * p.lda : 0, 0);
  }
}

template <typename T>
void gemm_dot(const Problem<T>& p) {
  const DotShape d = dot_shape(p.M, p.N);
  if (p.M <= p.N)
    split_tasks(p, (p.N + d.DB - 1) / d.DB, [&](int u0, int u1) {
      dot_block<T>(p, d, 0, p.M, u0 * d.DB, std::min(p.N, u1 * d.DB));
    });
  else
    split_tasks(p, (p.M + d.DA - 1) / d.DA, [&](int u0, int u1) {
      dot_block<T>(p, d, u0 * d.DA, std::min(p.M, u1 * d.DA), 0, p.N);
    });
}

// ---------------------------------------------------------------------------
// Small K (K <= 4, B not transposed: the first layer of a network on 2-D data,
// Z1 (n, m) = W1 (n, 2) . X (2, m)): each row of C is a combination of B's K
// rows, which stay in L1, written in one pass with no packing. The work is
// then mostly the stores; a tiled kernel's setup would cost more than it.
//   C (M, N) = alpha * op(A) (M, K) . B (K, N) + beta * C
// Element (i, j) is a[0] * b[0][j] (rounded), then fma a[k] * b[k][j] for
// k = 1..K-1, the same sequence in the vector body and the scalar tail.

constexpr int kSmallK = 4;

// How small_k_rows stores an element: alpha * acc + beta * c (Scaled), acc
// (Plain: alpha == 1, beta == 0, the network's products), or one of
// gemm_fused's epilogues (alpha == 1, beta == 0).
enum class Store { Scaled, Plain, BiasRelu, ReluMask };

template <typename T>
inline T relu_mask1(T x, T z) {
  return z <= T(0) ? T(0) : x;
}

// Rows i0..i1 of C, K a compile-time constant so that the K broadcasts stay
// in registers.
template <typename T, int K, Store S>
DEEPNET_TARGET_AVX2 void small_k_rows(const Problem<T>& p, int i0, int i1) {
  using Y = Ymm<T>;
  using V = typename Y::V;
  constexpr int L = Y::lanes;
  const T* b[K];
  for (int k = 0; k < K; ++k) b[k] = p.B + k * p.ldb;
  const V valpha = Y::set1(p.alpha), vbeta = Y::set1(p.beta);
  for (int i = i0; i < i1; ++i) {
    T a[K];
    V va[K];
    for (int k = 0; k < K; ++k) {
      a[k] = p.transA ? p.A[k * p.lda + i] : p.A[i * p.lda + k];
      va[k] = Y::set1(a[k]);
    }
    T* c = p.C + i * p.ldc;
    const T bias = S == Store::BiasRelu ? p.epilogue_data[i] : T(0);
    const T* mask = S == Store::ReluMask ? p.epilogue_data + i * p.ldc : nullptr;
    const V vbias = Y::set1(bias);
    int j = 0;
    for (; j + L <= p.N; j += L) {
      V acc = Y::mul(va[0], Y::loadu(b[0] + j));
      for (int k = 1; k < K; ++k) acc = Y::fmadd(va[k], Y::loadu(b[k] + j), acc);
      if (S == Store::Scaled) {
        acc = Y::mul(valpha, acc);
        if (p.beta != T(0)) acc = Y::add(acc, Y::mul(vbeta, Y::loadu(c + j)));
      } else if (S == Store::BiasRelu) {
        acc = Y::add(acc, vbias);
        acc = Y::unless_nonpositive(acc, acc);
      } else if (S == Store::ReluMask) {
        acc = Y::unless_nonpositive(acc, Y::loadu(mask + j));
      }
      Y::storeu(c + j, acc);
    }
    for (; j < p.N; ++j) {
      T acc = a[0] * b[0][j];
      for (int k = 1; k < K; ++k) acc = std::fma(a[k], b[k][j], acc);
      if (S == Store::Scaled) acc = p.beta != T(0) ? p.alpha * acc + p.beta * c[j] : p.alpha * acc;
      if (S == Store::BiasRelu) {
        acc = acc + bias;
        acc = relu_mask1(acc, acc);
      }
      if (S == Store::ReluMask) acc = relu_mask1(acc, mask[j]);
      c[j] = acc;
    }
  }
}

template <typename T, Store S>
void gemm_small_k_as(const Problem<T>& p) {
  split_tasks(p, p.M, [&](int i0, int i1) {
    switch (p.K) {
      case 1: return small_k_rows<T, 1, S>(p, i0, i1);
      case 2: return small_k_rows<T, 2, S>(p, i0, i1);
      case 3: return small_k_rows<T, 3, S>(p, i0, i1);
      default: return small_k_rows<T, 4, S>(p, i0, i1);
    }
  });
}

template <typename T>
void gemm_small_k(const Problem<T>& p) {
  if (p.alpha == T(1) && p.beta == T(0)) gemm_small_k_as<T, Store::Plain>(p);
  else gemm_small_k_as<T, Store::Scaled>(p);
}

#endif  // DEEPNET_HAS_X86

// C = beta * C (K == 0 or alpha == 0: BLAS leaves A and B untouched).
template <typename T>
void scale_c(int M, int N, T beta, T* C, idx ldc) {
  if (beta == T(1)) return;
  for (int i = 0; i < M; ++i) {
    T* c = C + i * ldc;
    for (int j = 0; j < N; ++j) c[j] = beta == T(0) ? T(0) : beta * c[j];
  }
}

// ---------------------------------------------------------------------------
// Path selection (see the header).

enum class Path { SmallK, Thin, ThinNT, Dot, Packed };

// True when rows `stride` bytes apart fall in fewer than all 64 sets of L1
// (stride mod 4K has a power-of-two factor above 64, as any power-of-two
// row length from 1K up has): a column strip of them then thrashes a few
// sets' 8 ways instead of staying in L1.
inline bool l1_aliased(size_t stride) {
  const size_t r = stride % 4096;
  return r == 0 || (r & (~r + 1)) > 64;
}

template <typename T>
Path choose_path(bool transA, bool transB, int M, int N, int K, int ldb) {
#if DEEPNET_HAS_X86
  if (simd_avx2_or_better()) {
    constexpr int L = Ymm<T>::lanes;
    if (!transB && K <= kSmallK) return Path::SmallK;
    // The thin path reuses B's column strips from L1 across row tiles, so it
    // needs them to stay there when M takes more than one tile.
    if (!transB && (M <= 32 || static_cast<size_t>(N) * K * sizeof(T) <= kHalfL1) &&
        (M <= 6 || !l1_aliased(static_cast<size_t>(ldb) * sizeof(T))))
      return Path::Thin;
    if (!transA && transB && std::min(M, N) <= 32 && 8 * std::min(M, N) >= 7 * L)
      return Path::ThinNT;
    if (!transA && transB && std::min(M, N) <= 32) return Path::Dot;
  }
#endif
  (void)transA, (void)transB, (void)M, (void)N, (void)K, (void)ldb;
  return Path::Packed;
}

template <typename T>
void run(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda, const T* B,
         int ldb, T beta, T* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0 || alpha == T(0)) {
    scale_c(M, N, beta, C, ldc);
    return;
  }
  const Problem<T> p{transA, transB, M, N, K, alpha, beta, A, lda, B, ldb, C, ldc};
  switch (choose_path<T>(transA, transB, M, N, K, ldb)) {
#if DEEPNET_HAS_X86
    case Path::SmallK: return gemm_small_k<T>(p);
    case Path::Thin: return gemm_thin<T>(p);
    case Path::ThinNT: return gemm_thin_nt<T>(p);
    case Path::Dot: return gemm_dot<T>(p);
    case Path::Packed:
      if (simd_avx2_or_better()) return gemm_packed<T, Avx2Kernel<T>>(p);
      break;
#else
    default: break;
#endif
  }
#if DEEPNET_HAS_NEON
  if (simd_level() == SimdLevel::NEON) return gemm_packed<T, NeonKernel<T>>(p);
#endif
  if (sizeof(T) == 8)
    gemm_packed<T, PortableKernel<T, 4, 8>>(p);
  else
    gemm_packed<T, PortableKernel<T, 2, 16>>(p);
}

}  // namespace

template <typename T>
void gemm_builtin(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                  const T* B, int ldb, T beta, T* C, int ldc) {
  run<T>(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <typename T>
bool gemm_builtin_unpacked(bool transA, bool transB, int M, int N, int K, int ldb) {
  return choose_path<T>(transA, transB, M, N, K, ldb) != Path::Packed;
}

template <typename T>
bool gemm_streamable(int M, int N, int K, int ldx) {
#if DEEPNET_HAS_X86
  // One thread: with two, the separate products (each split over both
  // threads) measured faster than any split of the block-by-block pass. The
  // gain needs a block of X (the thin K block of rows) to stay in L2.
  return num_threads() == 1 && M >= 1 && M <= K && N >= 1 &&
         choose_path<T>(false, true, M, K, N, ldx) == Path::ThinNT &&
         choose_path<T>(false, false, M, N, K, ldx) == Path::Thin &&
         static_cast<size_t>(thin_kc(K)) * ldx * sizeof(T) <= kHalfL2;
#else
  (void)M, (void)N, (void)K, (void)ldx;
  return false;
#endif
}

template <typename T>
void gemm_streamed(int M, int N, int K, const T* D, int ldd, const T* X, int ldx, T* G, int ldg,
                   const T* W, int ldw, T* Z, int ldz,
                   const std::function<void(int, int)>& between) {
#if DEEPNET_HAS_X86
  gemm_streamed_x86<T>(M, N, K, D, ldd, X, ldx, G, ldg, W, ldw, Z, ldz, between);
#else
  (void)M, (void)N, (void)K, (void)D, (void)ldd, (void)X, (void)ldx, (void)G, (void)ldg;
  (void)W, (void)ldw, (void)Z, (void)ldz, (void)between;
#endif
}

bool gemm_fusable(int K) {
#if DEEPNET_HAS_X86
  return simd_avx2_or_better() && K >= 1 && K <= kSmallK;
#else
  (void)K;
  return false;
#endif
}

template <typename T>
void gemm_fused(Epilogue epilogue, const T* data, bool transA, int M, int N, int K, const T* A,
                int lda, const T* B, int ldb, T* C, int ldc) {
#if DEEPNET_HAS_X86
  if (M <= 0 || N <= 0) return;
  const Problem<T> p{transA, false, M, N, K, T(1), T(0), A, lda, B, ldb, C, ldc, data};
  if (epilogue == Epilogue::BiasRelu) gemm_small_k_as<T, Store::BiasRelu>(p);
  else gemm_small_k_as<T, Store::ReluMask>(p);
#else
  (void)epilogue, (void)data, (void)transA, (void)M, (void)N, (void)K, (void)A, (void)lda;
  (void)B, (void)ldb, (void)C, (void)ldc;
#endif
}

template void gemm_builtin<float>(bool, bool, int, int, int, float, const float*, int,
                                  const float*, int, float, float*, int);
template void gemm_builtin<double>(bool, bool, int, int, int, double, const double*, int,
                                   const double*, int, double, double*, int);
template bool gemm_builtin_unpacked<float>(bool, bool, int, int, int, int);
template bool gemm_builtin_unpacked<double>(bool, bool, int, int, int, int);
template bool gemm_streamable<float>(int, int, int, int);
template bool gemm_streamable<double>(int, int, int, int);
template void gemm_streamed<float>(int, int, int, const float*, int, const float*, int, float*,
                                   int, const float*, int, float*, int,
                                   const std::function<void(int, int)>&);
template void gemm_streamed<double>(int, int, int, const double*, int, const double*, int,
                                    double*, int, const double*, int, double*, int,
                                    const std::function<void(int, int)>&);
template void gemm_fused<float>(Epilogue, const float*, bool, int, int, int, const float*, int,
                                const float*, int, float*, int);
template void gemm_fused<double>(Epilogue, const double*, bool, int, int, int, const double*, int,
                                 const double*, int, double*, int);

}  // namespace deepnet
