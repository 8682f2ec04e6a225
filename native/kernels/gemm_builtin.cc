// The built-in GEMM: a BLIS/GotoBLAS-style packed, cache-blocked kernel.
//
//   C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C      (row-major)
//
// Blocking, outermost first (one task = one rectangle of C, see gemm_builtin):
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
// A task with at most MC rows (the deep-learning shapes: M = 20 units) swaps
// the two outer loops: its whole A block is packed once per KC step and B is
// streamed past it in NC_SMALL-column blocks, so nothing is packed twice.
//
// Threads: C is cut into one rectangle per thread (over N, or over M when
// M > N), each a full task as above with its own pack buffers, so no task
// waits for another. No unpacked path for tiny problems: measured, packing
// wins even at 8x8x8.
//
// Packed layouts (zero-padded to whole panels, so the micro-kernel never
// branches on edges):
//   Ap: ceil(m / MR) panels, each (kc, MR):  Ap[panel][k][r] = op(A)[i0 + panel*MR + r][p0 + k]
//   Bp: ceil(n / NR) panels, each (kc, NR):  Bp[panel][k][c] = op(B)[p0 + k][j0 + panel*NR + c]
// Packing reads A and B in whichever layout they are stored, so the transpose
// flags cost nothing beyond the packing every call does anyway.
//
// Micro-kernels (MR x NR register tile, k ascending, one accumulator per C
// element). A bottom-edge panel runs a variant with fewer rows; a right-edge
// tile is written back through a temp tile.
//   AVX2+FMA: double 6x8, float 6x16 (12 ymm accumulators + 2 B vectors + 1
//             broadcast of A: 15 of the 16 registers; 12 independent FMA
//             chains hide the FMA latency on 2 FMA pipes).
//   portable: double 4x8, float 2x16 in plain C++ (the shapes the compiler
//             vectorises best for baseline x86-64 SSE2, by measurement).
//
// Determinism: for each KC block in order, C[i][j] = alpha * (the block's
// k-ascending dot product) + (beta * C on the first block, C after). The KC
// cut depends only on K, tasks split only M and N, and edge tiles do the same
// arithmetic as full ones, so results are bit-identical whatever the thread
// count (for a given SIMD path).
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

#include "cpu.h"
#include "gemm.h"
#include "threads.h"

#if DEEPNET_HAS_X86
#include <immintrin.h>
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

// ---------------------------------------------------------------------------
// Write-back of an accumulator tile: C = alpha * acc + beta * C, where
// beta == 0 never reads C and beta == 1 skips the multiply (same bits).

template <typename T>
inline T combine(T alpha, T acc, T beta, T c) {
  if (beta == T(0)) return alpha * acc;
  if (beta == T(1)) return alpha * acc + c;
  return alpha * acc + beta * c;
}

// dst (kc, W) <- W rows src[w][0:kc], the transpose at the heart of packing
// (see pack_a / pack_b below): the portable version.
template <typename T, int W>
void interleave(const T* const* src, int kc, T* dst) {
  for (int k = 0; k < kc; ++k)
    for (int w = 0; w < W; ++w) dst[k * W + w] = src[w][k];
}

// ---------------------------------------------------------------------------
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
// AVX2 + FMA micro-kernel: MR = 6 rows, NR = two ymm vectors.

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
};

// C[0:R, 0:n] (+)= alpha * A (kc, 6) * B (kc, NR), R <= 6, n <= NR = 2 * lanes.
// A and B are packed panels (B 64-byte aligned); C is the caller's matrix.
template <typename T, int R>
DEEPNET_TARGET_AVX2 void micro_avx2(int n, int kc, const T* A, const T* B, T* C, idx ldc,
                                    T alpha, T beta) {
  using Y = Ymm<T>;
  using V = typename Y::V;
  constexpr int MR = 6, L = Y::lanes, NR = 2 * L;
  V c0[R], c1[R];
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) c0[r] = c1[r] = Y::zero();
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
      c0[r] = Y::fmadd(a, b0, c0[r]);
      c1[r] = Y::fmadd(a, b1, c1[r]);
    }
    A += MR;
    B += NR;
  }

  // Edge columns go through a temp tile so the vector write-back below is
  // the only arithmetic, whatever the tile's position.
  alignas(64) T tmp[R * NR];
  T* dst = C;
  idx ld = ldc;
  if (n < NR) {
    dst = tmp;
    ld = NR;
    if (beta != T(0)) {
      std::memset(tmp, 0, sizeof tmp);
      for (int r = 0; r < R; ++r) std::memcpy(tmp + r * NR, C + r * ldc, n * sizeof(T));
    }
  }
  const V va = Y::set1(alpha);
  if (beta == T(0)) {
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      Y::storeu(dst + r * ld, Y::mul(va, c0[r]));
      Y::storeu(dst + r * ld + L, Y::mul(va, c1[r]));
    }
  } else if (beta == T(1)) {
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      Y::storeu(dst + r * ld, Y::fmadd(va, c0[r], Y::loadu(dst + r * ld)));
      Y::storeu(dst + r * ld + L, Y::fmadd(va, c1[r], Y::loadu(dst + r * ld + L)));
    }
  } else {
    const V vb = Y::set1(beta);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      Y::storeu(dst + r * ld, Y::fmadd(va, c0[r], Y::mul(vb, Y::loadu(dst + r * ld))));
      Y::storeu(dst + r * ld + L, Y::fmadd(va, c1[r], Y::mul(vb, Y::loadu(dst + r * ld + L))));
    }
  }
  if (n < NR)
    for (int r = 0; r < R; ++r) std::memcpy(C + r * ldc, tmp + r * NR, n * sizeof(T));
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

// Block size for cutting n into equal blocks of at most max (no thin last
// block), rounded up to a multiple of unit. The KC cut, even_block(K, KC, 1), is
// a function of K alone, which is what makes results independent of the
// thread count.
inline int even_block(int n, int max, int unit) {
  const int blocks = (n + max - 1) / max;
  return round_up((n + blocks - 1) / blocks, unit);
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

// A task should be worth waking a thread for: measured, two threads start to
// win at about 2 MFLOP (e.g. 64x64x256).
constexpr double kMinFlopsPerTask = 1e6;

// Splits C into one rectangle per thread and runs them. The split is over N
// when M <= N (each task then re-packs A, the smaller operand), over M
// otherwise, on whole micro-panel boundaries.
template <typename T, typename Kern>
void gemm_packed(const Problem<T>& p) {
  constexpr int MR = Kern::MR, NR = Kern::NR;
  const double flops = 2.0 * p.M * p.N * p.K;
  int tasks = static_cast<int>(std::min<double>(num_threads(), flops / kMinFlopsPerTask));
  const int n_units = (p.N + NR - 1) / NR, m_units = (p.M + MR - 1) / MR;
  const bool split_n = p.M <= p.N ? n_units >= 2 || m_units < 2 : m_units < 2;
  const int units = split_n ? n_units : m_units;
  tasks = std::max(1, std::min(tasks, units));
  if (tasks == 1) {
    gemm_block<T, Kern>(p, 0, p.M, 0, p.N);
    return;
  }
  parallel_for(tasks, [&](int t) {
    const int u0 = static_cast<int>(static_cast<long>(units) * t / tasks);
    const int u1 = static_cast<int>(static_cast<long>(units) * (t + 1) / tasks);
    if (split_n)
      gemm_block<T, Kern>(p, 0, p.M, u0 * NR, std::min(p.N, u1 * NR));
    else
      gemm_block<T, Kern>(p, u0 * MR, std::min(p.M, u1 * MR), 0, p.N);
  });
}

// C = beta * C (K == 0 or alpha == 0: BLAS leaves A and B untouched).
template <typename T>
void scale_c(int M, int N, T beta, T* C, idx ldc) {
  if (beta == T(1)) return;
  for (int i = 0; i < M; ++i) {
    T* c = C + i * ldc;
    for (int j = 0; j < N; ++j) c[j] = beta == T(0) ? T(0) : beta * c[j];
  }
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
#if DEEPNET_HAS_X86
  if (simd_level() == SimdLevel::AVX2_FMA) {
    gemm_packed<T, Avx2Kernel<T>>(p);
    return;
  }
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

template void gemm_builtin<float>(bool, bool, int, int, int, float, const float*, int,
                                  const float*, int, float, float*, int);
template void gemm_builtin<double>(bool, bool, int, int, int, double, const double*, int,
                                   const double*, int, double, double*, int);

}  // namespace deepnet
