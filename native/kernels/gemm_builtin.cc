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
// shapes read it in place. Paths (at the x86 vector levels; elsewhere only
// the packed one, with a NEON micro-kernel on AArch64), chosen per level by
// choose_path() in gemm_x86_paths.h:
//
// 1. Thin (NN, TN; M <= 32, or all of B within half of L1; M <= kThinRows,
//    6 at AVX2 and 8 at AVX-512, when a K block of B's rows would crowd an
//    L1 set, see l1_strip_aliased): B is read in place, row k contiguous
//    along N. Register tiles of R <= kThinRows rows x V vectors of C
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
//   AVX2+FMA: double 6x8, float 6x16 (gemm_avx2.cc).
//   AVX-512: double 8x24, float 8x48 (gemm_avx512.cc: 24 zmm accumulators
//             of the 32 registers).
//   NEON (AArch64): double 6x8, float 6x16 (24 q-register accumulators + 4 B
//             vectors + A by element: 29 of the 32 registers), k ascending,
//             one FMA per step like AVX2; the same packing as portable.
//   portable: double 4x8, float 2x16 in plain C++ (the shapes the compiler
//             vectorises best for baseline x86-64 SSE2, by measurement).
//
// Threads: C is cut into one rectangle per thread, on the packed path over
// whichever of M and N divides into whole panels more evenly (gemm_packed;
// always N on the thin path), each a full task with its own buffers,
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
// bit-identical whatever the thread count (for a given SIMD level).
//
// Files: this one dispatches (and holds the portable and NEON micro-kernels);
// gemm_packed.h is the ISA-free machinery (problem, threads, packing, cache
// blocking); the x86 paths are written once for any vector width
// (gemm_x86_tiles.h, gemm_x86_paths.h, transpose_simd.h) and compiled
// per level by gemm_avx2.cc and gemm_avx512.cc.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "cpu.h"
#include "gemm.h"
#include "gemm_packed.h"
#include "gemm_x86.h"
#include "threads.h"

#if DEEPNET_HAS_NEON
#include <arm_neon.h>
#endif

namespace deepnet {

namespace {

using namespace gemm_internal;

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
  static constexpr double l1_share = 0.5;  // of L1 for a B micro-panel (gemm_packed.h)
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
  static constexpr double l1_share = 0.5;
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
// Dispatch.

// The paths of x86 vector level `level` (AVX2_FMA on an AVX-512 CPU, or
// simd_level()), or null (portable, NEON).
template <typename T>
const GemmLevel<T>* x86_level(SimdLevel level = simd_level()) {
#if DEEPNET_HAS_X86
  if (level == SimdLevel::AVX2_FMA && simd_avx2_or_better()) return &avx2::gemm_level<T>();
  if (simd_avx512()) return &avx512::gemm_level<T>();
  if (simd_avx2_or_better()) return &avx2::gemm_level<T>();
#else
  (void)level;
#endif
  return nullptr;
}

template <typename T>
void run(SimdLevel level, bool transA, bool transB, int M, int N, int K, T alpha, const T* A,
         int lda, const T* B, int ldb, T beta, T* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0 || alpha == T(0)) {
    scale_c(M, N, beta, C, ldc);
    return;
  }
  const Problem<T> p{transA, transB, M, N, K, alpha, beta, A, lda, B, ldb, C, ldc};
  if (const GemmLevel<T>* x86 = x86_level<T>(level))
    return x86->run(x86->path(transA, transB, M, N, K, ldb), p);
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
  run<T>(simd_level(), transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <typename T>
void gemm_builtin_at(SimdLevel level, bool transA, bool transB, int M, int N, int K, T alpha,
                     const T* A, int lda, const T* B, int ldb, T beta, T* C, int ldc) {
  run<T>(level, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

bool gemm_rows_alias(size_t row_bytes) { return l1_aliased(row_bytes); }

template <typename T>
GemmClass gemm_builtin_class(bool transA, bool transB, int M, int N, int K, int ldb) {
  return gemm_builtin_class_at<T>(simd_level(), transA, transB, M, N, K, ldb);
}

template <typename T>
GemmClass gemm_builtin_class_at(SimdLevel level, bool transA, bool transB, int M, int N, int K, int ldb) {
  const GemmLevel<T>* x86 = x86_level<T>(level);
  switch (x86 ? x86->path(transA, transB, M, N, K, ldb) : Path::Packed) {
    case Path::SmallK: return GemmClass::SmallK;
    case Path::Thin: return GemmClass::Thin;
    case Path::ThinNT: return GemmClass::ThinNT;
    case Path::Dot: return GemmClass::Dot;
    default: return K <= 64 ? GemmClass::PackedShallow : GemmClass::Packed;
  }
}

template <typename T>
bool gemm_builtin_streamable(SimdLevel level, int M, int N, int K, int ldx) {
  const GemmLevel<T>* x86 = x86_level<T>(level);
  return x86 && x86->streamable(M, N, K, ldx);
}

template <typename T>
void gemm_builtin_streamed(SimdLevel level, int M, int N, int K, const T* D, int ldd, const T* X,
                           int ldx, T* G, int ldg, const T* W, int ldw, T* Z, int ldz,
                           const std::function<void(int, int)>& between) {
  x86_level<T>(level)->streamed(M, N, K, D, ldd, X, ldx, G, ldg, W, ldw, Z, ldz, between);
}

template <typename T>
bool gemm_builtin_fusable(SimdLevel level, bool transA, int M, int N, int K, int ldb) {
  const GemmLevel<T>* x86 = x86_level<T>(level);
  return x86 && M >= 1 && N >= 1 && K >= 1 && x86->fusable(transA, M, N, K, ldb);
}

template <typename T>
void gemm_builtin_fused(SimdLevel level, Epilogue epilogue, const T* data, bool transA, int M, int N,
                        int K, const T* A, int lda, const T* B, int ldb, T* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  const Problem<T> p{transA, false, M, N, K, T(1), T(0), A, lda, B, ldb, C, ldc, data};
  x86_level<T>(level)->fused(epilogue, p);
}

template void gemm_builtin<float>(bool, bool, int, int, int, float, const float*, int,
                                  const float*, int, float, float*, int);
template void gemm_builtin<double>(bool, bool, int, int, int, double, const double*, int,
                                   const double*, int, double, double*, int);
template GemmClass gemm_builtin_class<float>(bool, bool, int, int, int, int);
template GemmClass gemm_builtin_class<double>(bool, bool, int, int, int, int);
template GemmClass gemm_builtin_class_at<float>(SimdLevel, bool, bool, int, int, int, int);
template GemmClass gemm_builtin_class_at<double>(SimdLevel, bool, bool, int, int, int, int);
template void gemm_builtin_at<float>(SimdLevel, bool, bool, int, int, int, float, const float*,
                                     int, const float*, int, float, float*, int);
template void gemm_builtin_at<double>(SimdLevel, bool, bool, int, int, int, double,
                                      const double*, int, const double*, int, double, double*,
                                      int);
template bool gemm_builtin_streamable<float>(SimdLevel, int, int, int, int);
template bool gemm_builtin_streamable<double>(SimdLevel, int, int, int, int);
template void gemm_builtin_streamed<float>(SimdLevel, int, int, int, const float*, int,
                                           const float*, int, float*, int, const float*, int,
                                           float*, int, const std::function<void(int, int)>&);
template void gemm_builtin_streamed<double>(SimdLevel, int, int, int, const double*, int,
                                            const double*, int, double*, int, const double*, int,
                                            double*, int, const std::function<void(int, int)>&);
template bool gemm_builtin_fusable<float>(SimdLevel, bool, int, int, int, int);
template bool gemm_builtin_fusable<double>(SimdLevel, bool, int, int, int, int);
template void gemm_builtin_fused<float>(SimdLevel, Epilogue, const float*, bool, int, int, int,
                                        const float*, int, const float*, int, float*, int);
template void gemm_builtin_fused<double>(SimdLevel, Epilogue, const double*, bool, int, int, int,
                                         const double*, int, const double*, int, double*, int);

}  // namespace deepnet
