// Tests gemm_builtin and gemm (the dispatcher) against gemm_reference, for
// float and double, over all transpose combinations, awkward shapes, padded
// leading dimensions and the alpha/beta special cases; and checks that the
// built-in kernel gives bit-identical results with 1 and 2 threads.
//
// Each of the built-in kernel's paths (see gemm_builtin.cc) gets shapes of its
// own: the thin path (B not transposed, M <= 32 or a small B), the thin NT
// and dot paths (A * B^T with min(M, N) <= 32), the packed path (the rest),
// and the tiny products of a small network, where per-call overhead is what
// matters.
//
// Runs whichever SIMD path this CPU has (AVX2, NEON on AArch64); run it again
// with DEEPNET_SIMD=portable to cover the portable path (ctest does both).
// Exits non-zero on any failure, printing each failing case.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "cpu.h"
#include "gemm_cases.h"
#include "gemm_packed.h"
#include "openblas.h"
#include "threads.h"

namespace {

using namespace deepnet;
using namespace deepnet::testing;

// Thin path: op(A) * B with B read in place. Every row count up to 33 (tiles
// of 1 to 6 rows, each tile width), N below, at and past a tile width (the
// copied and the shifted right edge), K across several K blocks, B blocks
// small enough to sweep and too large to; NN and TN, alpha/beta, pads.
template <typename T>
void run_thin_cases(uint64_t& seed) {
  const int Ns[] = {1, 5, 8, 16, 17, 24, 33, 56, 57, 211, 1000};
  const int Ks[] = {1, 2, 3, 8, 129, 300};
  int r = 0;
  for (int M = 1; M <= 33; ++M)
    for (int N : Ns)
      for (int K : Ks) {
        if (M > 12 && M != 20 && M != 32 && M != 33 && (N % 8 != 1 || K < 129)) continue;
        ++r;
        const Case c{r % 3 == 0, false, M, N, K, r % 4 == 1 ? 2 : 0, r % 5 == 2 ? 3 : 0,
                     r % 3 == 1 ? 1 : 0, r % 4 == 0 ? 1.0 : (r % 4 == 1 ? -2.0 : 0.5),
                     r % 5 == 0 ? 0.0 : (r % 5 == 1 ? 1.0 : (r % 5 == 2 ? 0.25 : 0.0))};
        run_case<T>(c, seed++);
      }
  // Power-of-two row lengths of B: one row tile stays on the thin path, more
  // go packed (the rows would alias in L1).
  for (int t = 0; t < 2; ++t)
    for (int M : {4, 6, 7, 20})
      run_case<T>(Case{t == 1, false, M, 1024, 300, 0, 0, t, 1.0, t ? 0.25 : 0.0}, seed++);
  // Larger M with a B small enough for the thin path.
  for (int t = 0; t < 2; ++t)
    for (double beta : {0.0, 1.0, 0.25}) {
      run_case<T>(Case{t == 1, false, 64, 64, 64, 1, 0, 2, 1.0, beta}, seed++);
      run_case<T>(Case{t == 1, false, 200, 16, 64, 0, 1, 0, 0.5, beta}, seed++);
      run_case<T>(Case{t == 1, false, 47, 53, 30, 3, 3, 3, -2.0, beta}, seed++);
    }
}

// A * B^T with a small side: the dot path (up to 6 rows in float, 3 in
// double) and the thin NT path (from 7 floats or 4 doubles to 32). K below,
// at and past the vector width (the masked tail), each tile shape and lane
// tile split, the small side as M and as N, sizes that switch the prefetch
// on, alpha/beta, pads.
template <typename T>
void run_nt_small_side_cases(uint64_t& seed) {
  const int Ks[] = {1, 3, 4, 7, 8, 9, 17, 64, 209, 211, 1000};
  const int smalls[] = {1, 2, 3, 4, 5, 7, 13, 20, 24, 27, 32};
  const int bigs[] = {1, 2, 5, 12, 13, 100};
  int r = 0;
  for (int s : smalls)
    for (int b : bigs)
      for (int K : Ks) {
        ++r;
        const double alpha = r % 3 == 0 ? 1.0 : (r % 3 == 1 ? 0.5 : -2.0);
        const double beta = r % 4 == 0 ? 0.0 : (r % 4 == 1 ? 1.0 : (r % 4 == 2 ? 0.25 : 0.0));
        const int pad = r % 2 ? 3 : 0;
        run_case<T>(Case{false, true, s, b, K, pad, pad, pad, alpha, beta}, seed++);
        run_case<T>(Case{false, true, b, s, K, pad, 0, 1, alpha, beta}, seed++);
      }
  // Streamed operand past L2: prefetched a tile ahead.
  run_case<T>(Case{false, true, 20, 3000, 211, 1, 2, 3, 1.0, 0.0}, seed++);
  run_case<T>(Case{false, true, 3000, 20, 211, 0, 0, 0, 0.5, 0.25}, seed++);
  run_case<T>(Case{false, true, 1, 300, 1000, 0, 5, 0, 1.0, 1.0}, seed++);
}

// The products of one training step of the small network [2, 20, 3, 1],
// m = 211 examples: forward W A, dW = dZ A^T, dA = W^T dZ; as the network
// calls them (alpha = 1, beta = 0 over garbage) and with alpha/beta.
template <typename T>
void run_tiny_network_cases(uint64_t& seed) {
  struct Shape {
    bool tA, tB;
    int M, N, K;
  };
  const Shape shapes[] = {{false, false, 20, 211, 2}, {false, false, 3, 211, 20},
                          {false, false, 1, 211, 3},  {false, true, 20, 2, 211},
                          {false, true, 3, 20, 211},  {false, true, 1, 3, 211},
                          {true, false, 20, 211, 3},  {true, false, 3, 211, 1}};
  for (const Shape& s : shapes)
    for (double beta : {0.0, 1.0, 0.25})
      for (double alpha : {1.0, 0.5})
        run_case<T>(Case{s.tA, s.tB, s.M, s.N, s.K, 0, 0, 0, alpha, beta}, seed++);
}

template <typename T>
void run_all_cases() {
  uint64_t seed = 1;
  const double alphas[] = {1.0, 0.5, -2.0};
  const double betas[] = {0.0, 1.0, 0.25};
  struct Shape {
    int M, N, K;
  };
  // Small and awkward shapes: the full grid of transposes x alpha x beta x pads.
  const Shape small[] = {{1, 1, 1},   {1, 37, 1},  {29, 1, 23}, {7, 13, 5},  {5, 3, 17},
                         {6, 8, 4},   {6, 16, 9},  {13, 17, 19}, {12, 24, 33}, {25, 31, 40},
                         {47, 53, 61}, {64, 64, 64}, {2, 300, 7}, {300, 2, 7}};
  for (const Shape& s : small)
    for (int t = 0; t < 4; ++t)
      for (double alpha : alphas)
        for (double beta : betas)
          for (int pad : {0, 3}) {
            Case c{(t & 1) != 0, (t & 2) != 0, s.M, s.N, s.K, pad, pad, pad, alpha, beta};
            run_case<T>(c, seed++);
          }
  // Larger shapes: every transpose combination, alpha/beta rotating over the cases.
  // (K > KC = 256; M > MC; N > NC = 2048 and > NC_SMALL = 1024 in both loop
  // orders; odd edges everywhere.)
  const Shape large[] = {{97, 131, 600},  {130, 70, 257},  {300, 257, 513}, {257, 1031, 33},
                         {1031, 29, 65},  {20, 209, 1000}, {150, 2100, 40}, {37, 1500, 70}};
  int r = 0;
  for (const Shape& s : large)
    for (int t = 0; t < 4; ++t, ++r) {
      Case c{(t & 1) != 0, (t & 2) != 0, s.M, s.N, s.K, r % 3, (r + 1) % 4, r % 2,
             alphas[r % 3], betas[(r / 3) % 3]};
      run_case<T>(c, seed++);
    }
  // The deep-learning shapes: forward Z = W X, dW = dZ X^T, dX = W^T dZ.
  run_case<T>(Case{false, false, 20, 209, 12288, 0, 0, 0, 1.0, 0.0}, seed++);
  run_case<T>(Case{false, true, 20, 12288, 209, 0, 0, 0, 1.0, 0.0}, seed++);
  run_case<T>(Case{true, false, 12288, 209, 20, 0, 0, 0, 1.0, 0.0}, seed++);
  run_case<T>(Case{false, true, 20, 12288, 209, 1, 2, 3, 0.5, 0.25}, seed++);
  run_thin_cases<T>(seed);
  run_nt_small_side_cases<T>(seed);
  run_tiny_network_cases<T>(seed);
}

// K == 0 and alpha == 0 leave C = beta * C (zeros when beta == 0, even over
// NaN); M == 0 or N == 0 touch nothing.
template <typename T>
void run_degenerate_cases() {
  const T nan = std::numeric_limits<T>::quiet_NaN();
  for (GemmFn<T> fn : {GemmFn<T>(gemm_builtin<T>), GemmFn<T>(gemm<T>)}) {
    const char* name = fn == GemmFn<T>(gemm<T>) ? "gemm" : "gemm_builtin";
    const T A[4] = {1, 2, 3, 4}, B[4] = {5, 6, 7, 8};
    for (double beta : {0.0, 1.0, 0.25}) {
      for (double alpha : {1.0, 0.0}) {
        const int K = alpha == 0 ? 2 : 0;
        T C[4] = {beta == 0 ? nan : T(1), beta == 0 ? nan : T(-2), beta == 0 ? nan : T(4),
                  beta == 0 ? nan : T(8)};
        T want[4];
        for (int i = 0; i < 4; ++i) want[i] = beta == 0 ? T(0) : T(beta) * C[i];
        fn(false, false, 2, 2, K, T(alpha), A, 2, B, 2, T(beta), C, 2);
        ++g_checks;
        if (std::memcmp(C, want, sizeof C) != 0) {
          ++g_failures;
          std::printf("FAIL %s<%s> K=%d alpha=%g beta=%g: C = %g %g %g %g, want %g %g %g %g\n",
                      name, type_name<T>(), K, alpha, beta, double(C[0]), double(C[1]),
                      double(C[2]), double(C[3]), double(want[0]), double(want[1]),
                      double(want[2]), double(want[3]));
        }
      }
    }
    T C[1] = {T(3)};
    fn(false, false, 0, 1, 3, T(1), A, 3, B, 1, T(0), C, 1);
    fn(false, false, 1, 0, 3, T(1), A, 3, B, 1, T(0), C, 1);
    ++g_checks;
    if (C[0] != T(3)) {
      ++g_failures;
      std::printf("FAIL %s<%s>: M == 0 or N == 0 wrote C\n", name, type_name<T>());
    }
  }
}

// gemm_builtin with 1 and with 2 threads must agree to the bit.
template <typename T>
void run_thread_determinism() {
  struct Shape {
    bool tA, tB;
    int M, N, K;
  };
  // Packed (split over N and over M), thin (NN and TN, one and several K
  // blocks, each tile shape), thin NT (small M and small N, one and two lane
  // tiles) and dot (masked tail, prefetched) shapes, all big enough to be
  // split between the two threads.
  const Shape shapes[] = {{false, false, 300, 257, 513}, {true, true, 300, 257, 513},
                          {false, false, 20, 209, 12288}, {false, true, 20, 12288, 209},
                          {true, false, 12288, 209, 20},  {false, false, 1031, 29, 700},
                          {true, false, 77, 1500, 300},   {false, true, 500, 500, 1000},
                          {false, false, 1, 8192, 128},   {false, false, 3, 4000, 300},
                          {true, false, 4, 3000, 257},    {false, false, 32, 1001, 129},
                          {false, true, 1, 128, 8192},    {false, true, 2, 3000, 211},
                          {false, true, 3000, 2, 211},    {false, true, 5000, 20, 209},
                          {false, true, 32, 3000, 211},   {false, true, 3000, 24, 300},
                          // W4's batch products, split over M
                          {false, false, 256, 128, 784},  {false, true, 256, 784, 128},
                          {true, false, 256, 128, 130},   {false, false, 300, 100, 700},
                          {false, true, 300, 100, 700}};  // the last two: K blocks of unequal depth
  const int saved = num_threads();
  uint64_t seed = 1000;
  for (const Shape& s : shapes) {
    const Case c{s.tA, s.tB, s.M, s.N, s.K, 1, 0, 2, 0.5, 0.25};
    const Operands<T> o = make_operands<T>(c, seed++);
    std::vector<T> C1 = o.C0, C2 = o.C0;
    set_num_threads(1);
    gemm_builtin<T>(c.tA, c.tB, c.M, c.N, c.K, T(c.alpha), o.A.data(), o.lda, o.B.data(), o.ldb,
                    T(c.beta), C1.data(), o.ldc);
    set_num_threads(2);
    gemm_builtin<T>(c.tA, c.tB, c.M, c.N, c.K, T(c.alpha), o.A.data(), o.lda, o.B.data(), o.ldb,
                    T(c.beta), C2.data(), o.ldc);
    ++g_checks;
    if (std::memcmp(C1.data(), C2.data(), C1.size() * sizeof(T)) != 0) {
      ++g_failures;
      std::printf("FAIL %s: 1-thread and 2-thread results differ\n",
                  describe("gemm_builtin", type_name<T>(), c).c_str());
    }
  }
  set_num_threads(saved);
}

// The packed path's micro-kernels (AVX2, NEON, portable) against their
// scalar twin, bit for bit: each C element is one k-ascending chain, an FMA
// per step on the SIMD kernels (std::fma) and a rounded multiply and add on
// the portable one (built with -ffp-contract=off), then alpha * acc + beta * C.
// Shapes the packed path takes on every CPU (A B^T with both sides past 32,
// or B wide and deep, M past 32), with K within one K block, and
// edges of every micro-panel size.
template <typename T>
void run_packed_twin_cases() {
  const bool fused = simd_level() != SimdLevel::Portable;
  struct Shape {
    bool tA, tB;
    int M, N, K;
  };
  // K within the smallest K block of any machine (64, gemm_packed.h).
  const Shape shapes[] = {{false, true, 40, 50, 64}, {true, true, 37, 71, 61},
                          {false, false, 45, 300, 64}, {true, false, 64, 257, 33}};
  uint64_t seed = 9000;
  for (const Shape& s : shapes)
    for (double beta : {0.0, 1.0, 0.25}) {
      const Case c{s.tA, s.tB, s.M, s.N, s.K, 1, 2, 3, beta == 1.0 ? 1.0 : -0.5, beta};
      const GemmClass cls = gemm_builtin_class<T>(c.tA, c.tB, c.M, c.N, c.K, c.tB ? c.K + c.padB : c.N + c.padB);
      if (cls != GemmClass::Packed && cls != GemmClass::PackedShallow) {
        ++g_failures;
        std::printf("FAIL %s: expected the packed path\n", describe("twin", type_name<T>(), c).c_str());
        continue;
      }
      const Operands<T> o = make_operands<T>(c, seed++);
      std::vector<T> want = o.C0, got = o.C0;
      for (int i = 0; i < c.M; ++i)
        for (int j = 0; j < c.N; ++j) {
          T acc = T(0);
          for (int k = 0; k < c.K; ++k) {
            const T a = c.tA ? o.A[size_t(k) * o.lda + i] : o.A[size_t(i) * o.lda + k];
            const T b = c.tB ? o.B[size_t(j) * o.ldb + k] : o.B[size_t(k) * o.ldb + j];
            if (fused) {
              acc = std::fma(a, b, acc);
            } else {
              const T ab = a * b;
              acc = acc + ab;
            }
          }
          T& w = want[size_t(i) * o.ldc + j];
          const T scaled = T(c.alpha) * acc;
          w = c.beta == 0 ? scaled : (c.beta == 1 ? scaled + w : scaled + T(c.beta) * w);
        }
      gemm_builtin<T>(c.tA, c.tB, c.M, c.N, c.K, T(c.alpha), o.A.data(), o.lda, o.B.data(), o.ldb,
                      T(c.beta), got.data(), o.ldc);
      ++g_checks;
      if (std::memcmp(want.data(), got.data(), want.size() * sizeof(T)) != 0) {
        ++g_failures;
        std::printf("FAIL %s: differs from the scalar %s chain\n",
                    describe("packed twin", type_name<T>(), c).c_str(), fused ? "FMA" : "multiply-add");
      }
    }
}

// The packed path's split choice: the busiest task's share over the ideal.
void run_split_balance() {
  const struct { int units, tasks; double load; } cases[] = {
      {1, 2, 2.0}, {2, 4, 2.0}, {4, 2, 1.0}, {3, 2, 4.0 / 3}, {13, 2, 14.0 / 13}, {5, 1, 1.0}};
  for (const auto& c : cases) {
    ++g_checks;
    const double got = gemm_internal::imbalance(c.units, c.tasks);
    if (std::fabs(got - c.load) > 1e-12) {
      ++g_failures;
      std::printf("FAIL imbalance(%d units, %d tasks) = %g, expected %g\n", c.units, c.tasks, got, c.load);
    }
  }
}

}  // namespace

int main() {
  const openblas::Library* blas = openblas::library();
  std::printf("test_gemm: simd=%s, gemm backend=%s%s%s, threads=%d\n", simd_level_name(),
              gemm_backend_name(), blas ? " " : "", blas ? blas->path : "", num_threads());
  run_split_balance();
  run_degenerate_cases<double>();
  run_degenerate_cases<float>();
  run_all_cases<double>();
  run_all_cases<float>();
  run_packed_twin_cases<double>();
  run_packed_twin_cases<float>();
  run_thread_determinism<double>();
  run_thread_determinism<float>();
  return report();
}
