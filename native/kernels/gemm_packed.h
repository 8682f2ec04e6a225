// The built-in gemm's shared, ISA-free machinery (internal to gemm_builtin.cc
// and the per-level kernel files gemm_avx2.cc / gemm_avx512.cc): the problem,
// thread splitting, pack buffers, the packed path's packing and cache
// blocking around any micro-kernel. Everything here is baseline code, so the
// per-level files include it before their target pragma (target_avx2.h).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

#include "cache.h"
#include "gemm.h"
#include "threads.h"

namespace deepnet {
namespace gemm_internal {

using idx = std::ptrdiff_t;

// C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C, row-major.
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
  const T* epilogue_data = nullptr;  // gemm_fused's bias or mask (null: no epilogue)
  Epilogue epilogue = Epilogue::BiasRelu;
};

// The paths of the built-in gemm (see gemm_builtin.cc); all but Packed exist
// only at the x86 vector levels.
enum class Path { SmallK, Thin, ThinNT, Dot, Packed };

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

// One pair per thread, shared by every level's kernels (inline: one definition
// across the translation units).
inline thread_local PackBuffer tls_pack_a, tls_pack_b;

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

// The tasks a product of p's size is worth, before the units cap them.
template <typename T>
int tasks_for(const Problem<T>& p) {
  if (in_parallel_task()) return 1;  // its thread alone: cutting it would only re-pack
  const double flops = 2.0 * p.M * p.N * p.K;
  return std::max(1, static_cast<int>(std::min<double>(num_threads(), flops / kMinFlopsPerTask)));
}

// The share of the work the busiest of `tasks` tasks does when `units` equal
// units are cut into ranges of whole units, over the ideal 1 / tasks (1 when
// they split evenly; fewer units than tasks leave tasks idle: 1 unit for 2
// tasks scores 2).
inline double imbalance(int units, int tasks) {
  const int used = std::min(tasks, units);
  return static_cast<double>((units + used - 1) / used) * tasks / units;
}

// Runs body(u0, u1) over [0, units) cut into one range per task, as many
// tasks as there are threads and work to share (just the call when one).
template <typename T, typename Body>
void split_tasks(const Problem<T>& p, int units, const Body& body) {
  const int tasks = std::min(tasks_for(p), units);
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

// Half of this core's L1d and L2 (cache.h): what a block may take.
inline size_t half_l1() { return cache_sizes().l1d / 2; }
inline size_t half_l2() { return cache_sizes().l2 / 2; }
// ---------------------------------------------------------------------------
// Packing. Kern supplies interleave_a / interleave_b: W source rows, each
// contiguous over k, written as dst[k][w] (W = MR or NR). That transpose is
// the expensive part of packing (A as stored, B transposed), so the x86 paths
// do it with in-register transposes; everything else is plain copies.

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
// Cache blocking, from this core's caches (cache.h) and the micro-kernel's
// panel widths; the rules reproduce what measured best on a Zen 3 (32K L1d,
// 512K L2) against OpenBLAS 0.3.21 with the AVX2 kernel (KC 256, MC 72
// doubles or 144 floats):
//   KC: a B micro-panel (KC, NR) takes the kernel's share of L1 (Kern::l1_share:
//       half for the AVX2, NEON and portable kernels; all of it for AVX-512's
//       8 x 24, whose A micro-panel then streams from L2: 5-12% faster than
//       half on a Sapphire Rapids-class Xeon); the A micro-panel (MR, KC)
//       streams beside it. Between 64 and 512, a multiple of 8.
//   MC: the A block (MC, KC) takes under a third of L2 (1/3.5), leaving room
//       for the B panels passing through; a multiple of MR.
//   NC = 2048: the B block (KC, NC) stays in L3 next to the other core's
//       block. Larger (BLIS's 4080) measured slower on the Zen 3, whose
//       shared L3 behaves smaller than its 32M.
//   NC_SMALL = 1024: the few-rows order's B block. Wide, so that packing B
//       as stored reads long runs of each row (the prefetcher streams them).
// KC decides the K blocks, so results depend on it: bit-identical whatever
// the thread count on one machine, not across cache sizes.

struct Blocking {
  int KC, MC, NC, NC_SMALL;
};

template <typename T, typename Kern>
Blocking packed_blocking() {
  const CacheSizes& c = cache_sizes();
  const int kc = static_cast<int>(c.l1d * Kern::l1_share / (Kern::NR * sizeof(T))) / 8 * 8;
  const int KC = std::min(512, std::max(64, kc));
  const int mc = static_cast<int>(c.l2 / 3.5 / (static_cast<double>(KC) * sizeof(T))) / Kern::MR * Kern::MR;
  return {KC, std::max(Kern::MR, mc), 2048, 1024};
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
  static const Blocking bk = packed_blocking<T, Kern>();
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

// Splits C into one rectangle per thread and runs them, on whole micro-panel
// boundaries: over N when M <= N (each task then re-packs A, the smaller
// operand), over M otherwise, unless the other side splits more evenly (N =
// 128 is under three 48-column panels of AVX-512's float kernel: over N the
// busier task would do two thirds).
template <typename T, typename Kern>
void gemm_packed(const Problem<T>& p) {
  constexpr int MR = Kern::MR, NR = Kern::NR;
  const int n_units = (p.N + NR - 1) / NR, m_units = (p.M + MR - 1) / MR;
  const int tasks = tasks_for(p);
  const double n_load = imbalance(n_units, tasks), m_load = imbalance(m_units, tasks);
  const bool split_n = n_load == m_load ? (p.M <= p.N ? n_units >= 2 || m_units < 2 : m_units < 2) : n_load < m_load;
  if (split_n)
    split_tasks(p, n_units, [&](int u0, int u1) {
      gemm_block<T, Kern>(p, 0, p.M, u0 * NR, std::min(p.N, u1 * NR));
    });
  else
    split_tasks(p, m_units, [&](int u0, int u1) {
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

// True when rows `stride` bytes apart fall in fewer than all 64 sets of L1
// (stride mod 4K has a power-of-two factor above 64, as any power-of-two
// row length from 1K up has): a column strip of them then thrashes a few
// sets' 8 ways instead of staying in L1.
inline bool l1_aliased(size_t stride) {
  const size_t r = stride % 4096;
  return r == 0 || (r & (~r + 1)) > 64;
}

// True when a strip of `rows` such rows, a line or two of each, puts more
// than half of 8 ways' worth in one of the sets they fall in (4096 /
// the power of two, 16 at I1's stride of 100000 doubles): a short strip of
// aliased rows still fits (30 rows: 2 per set).
inline bool l1_strip_aliased(size_t stride, int rows) {
  if (!l1_aliased(stride)) return false;
  const size_t r = stride % 4096;
  const size_t sets = r == 0 ? 1 : 4096 / (r & (~r + 1));
  return 2 * ((static_cast<size_t>(rows) + sets - 1) / sets) > 4;
}


}  // namespace gemm_internal
}  // namespace deepnet
