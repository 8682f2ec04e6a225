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
#include "gemm.h"
#include "gemm_packed.h"
#include "openblas.h"
#include "threads.h"

namespace {

using namespace deepnet;

int g_failures = 0;
int g_checks = 0;

// Deterministic inputs in [-1, 1).
struct Lcg {
  uint64_t s;
  explicit Lcg(uint64_t seed) : s(seed * 6364136223846793005ull + 1442695040888963407ull) {}
  double next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(s >> 11) * (2.0 / 9007199254740992.0) - 1.0;
  }
};

template <typename T>
const char* type_name() {
  return sizeof(T) == 8 ? "double" : "float";
}

struct Case {
  bool tA, tB;
  int M, N, K;
  int padA, padB, padC;  // leading dimension = stored columns + pad
  double alpha, beta;
};

std::string describe(const char* what, const char* type, const Case& c) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s<%s> tA=%d tB=%d M=%d N=%d K=%d pads=%d,%d,%d alpha=%g beta=%g",
                what, type, c.tA, c.tB, c.M, c.N, c.K, c.padA, c.padB, c.padC, c.alpha, c.beta);
  return buf;
}

template <typename T>
struct Operands {
  int lda, ldb, ldc;
  std::vector<T> A, B, C0;  // C0: C before the call
};

// A, B filled with values, their padding with NaN (so reading it would show);
// C0 with values, or all NaN when beta == 0 (C must then not be read).
template <typename T>
Operands<T> make_operands(const Case& c, uint64_t seed) {
  Operands<T> o;
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const int a_rows = c.tA ? c.K : c.M, a_cols = c.tA ? c.M : c.K;
  const int b_rows = c.tB ? c.N : c.K, b_cols = c.tB ? c.K : c.N;
  o.lda = a_cols + c.padA;
  o.ldb = b_cols + c.padB;
  o.ldc = c.N + c.padC;
  Lcg rng(seed);
  auto fill = [&](std::vector<T>& v, int rows, int cols, int ld, bool all_nan) {
    v.assign(static_cast<size_t>(std::max(rows, 1)) * std::max(ld, 1), nan);
    if (all_nan) return;
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) v[static_cast<size_t>(i) * ld + j] = T(rng.next());
  };
  fill(o.A, a_rows, a_cols, o.lda, false);
  fill(o.B, b_rows, b_cols, o.ldb, false);
  fill(o.C0, c.M, c.N, o.ldc, c.beta == 0);
  return o;
}

// Error bound, per element. Both the reference and the kernel under test sum
// K products in some order; each such sum is off from the exact one by at most
// about K * eps * sum_k |a_ik b_kj| (the classic gamma_K bound), so their
// difference is within 2 * K * eps * S; we allow twice that, 4 * K * eps * S,
// scaled by |alpha|. beta * C and the final add contribute a few more
// roundings of |beta * c|, hence 4 * eps * |beta * c|. The small absolute term
// covers results that cancel to (near) zero or underflow.
template <typename T>
bool within(T got, T ref, int K, double S, double alpha, double beta_c) {
  if (std::isnan(got) || std::isnan(ref)) return false;
  const double eps = std::numeric_limits<T>::epsilon();
  const double tol = 4.0 * std::max(K, 1) * eps * S * std::fabs(alpha) +
                     4.0 * eps * std::fabs(beta_c) + 1e3 * std::numeric_limits<T>::min();
  return std::fabs(static_cast<double>(got) - static_cast<double>(ref)) <= tol;
}

template <typename T>
using GemmFn = void (*)(bool, bool, int, int, int, T, const T*, int, const T*, int, T, T*, int);

// Runs fn on a copy of C0 and compares with the reference result.
template <typename T>
void check_against(const char* name, GemmFn<T> fn, const Case& c, const Operands<T>& o,
                   const std::vector<T>& ref, const std::vector<double>& S) {
  ++g_checks;
  std::vector<T> C = o.C0;
  fn(c.tA, c.tB, c.M, c.N, c.K, T(c.alpha), o.A.data(), o.lda, o.B.data(), o.ldb, T(c.beta),
     C.data(), o.ldc);
  int bad = 0;
  for (int i = 0; i < c.M; ++i) {
    for (int j = 0; j < o.ldc; ++j) {
      const size_t p = static_cast<size_t>(i) * o.ldc + j;
      bool ok;
      if (j >= c.N) {  // padding of C: must be untouched (bitwise)
        ok = std::memcmp(&C[p], &o.C0[p], sizeof(T)) == 0;
      } else {
        const double beta_c = c.beta == 0 ? 0.0 : c.beta * static_cast<double>(o.C0[p]);
        ok = within<T>(C[p], ref[p], c.K, S[p], c.alpha, beta_c);
      }
      if (!ok && bad++ < 3) {
        std::printf("FAIL %s: C[%d][%d] = %.9g, reference %.9g%s\n",
                    describe(name, type_name<T>(), c).c_str(), i, j,
                    static_cast<double>(C[p]), j < c.N ? static_cast<double>(ref[p]) : 0.0,
                    j >= c.N ? " (padding overwritten)" : "");
      }
    }
  }
  if (bad) {
    ++g_failures;
    if (bad > 3) std::printf("     ... %d bad elements in all\n", bad);
  }
}

template <typename T>
void run_case(const Case& c, uint64_t seed) {
  const Operands<T> o = make_operands<T>(c, seed);
  std::vector<T> ref = o.C0;
  gemm_reference<T>(c.tA, c.tB, c.M, c.N, c.K, T(c.alpha), o.A.data(), o.lda, o.B.data(), o.ldb,
                    T(c.beta), ref.data(), o.ldc);
  // S[i][j] = sum_k |op(A)[i][k]| |op(B)[k][j]|, in double, for the bound.
  std::vector<double> absA(o.A.size()), absB(o.B.size()), S(ref.size(), 0.0);
  for (size_t i = 0; i < o.A.size(); ++i) absA[i] = std::isnan(o.A[i]) ? 0 : std::fabs(o.A[i]);
  for (size_t i = 0; i < o.B.size(); ++i) absB[i] = std::isnan(o.B[i]) ? 0 : std::fabs(o.B[i]);
  gemm_reference<double>(c.tA, c.tB, c.M, c.N, c.K, 1.0, absA.data(), o.lda, absB.data(), o.ldb,
                         0.0, S.data(), o.ldc);
  check_against<T>("gemm_builtin", gemm_builtin<T>, c, o, ref, S);
  check_against<T>("gemm", gemm<T>, c, o, ref, S);
}

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

// gemm_fused must equal gemm() followed by the epilogue (relu's mask applied
// as forward.cc and backward.cc do), bit for bit, with 1 and 2 threads: K =
// 1..4, A transposed or not, vector tails, negative values, NaN and in-place
// masks. The bias and mask have negative and NaN entries so every branch runs.
template <typename T>
void run_fused_cases() {
  if (!gemm_fusable(1)) {
    std::printf("gemm_fused<%s>: not available on this CPU (no AVX2): skipped\n", type_name<T>());
    return;
  }
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const int saved = num_threads();
  uint64_t seed = 5000;
  struct Shape {
    int M, N;
  };
  for (const Shape s : {Shape{1, 1}, Shape{20, 211}, Shape{3, 13}, Shape{7, 9}, Shape{64, 4099}})
    for (int K = 1; K <= 4; ++K)
      for (bool tA : {false, true})
        for (Epilogue e : {Epilogue::BiasRelu, Epilogue::ReluMask})
          for (bool in_place : {false, true}) {
            if (in_place && e == Epilogue::BiasRelu) continue;
            const Case c{tA, false, s.M, s.N, K, 0, 1, 2, 1.0, 0.0};
            const Operands<T> o = make_operands<T>(c, seed++);
            Lcg rng(seed++);
            std::vector<T> data(e == Epilogue::BiasRelu ? s.M : o.C0.size());
            for (size_t i = 0; i < data.size(); ++i) data[i] = i % 17 == 5 ? nan : T(rng.next());
            // Expected: the product, then the epilogue.
            std::vector<T> want = o.C0;
            gemm<T>(tA, false, c.M, c.N, K, T(1), o.A.data(), o.lda, o.B.data(), o.ldb, T(0),
                    want.data(), o.ldc);
            for (int i = 0; i < c.M; ++i)
              for (int j = 0; j < c.N; ++j) {
                T& w = want[static_cast<size_t>(i) * o.ldc + j];
                if (e == Epilogue::BiasRelu) w = w + data[i];
                const T z = e == Epilogue::BiasRelu ? w : data[static_cast<size_t>(i) * o.ldc + j];
                w = z <= T(0) ? T(0) : w;
              }
            for (int threads : {1, 2}) {
              set_num_threads(threads);
              std::vector<T> C = in_place ? data : o.C0;
              gemm_fused<T>(e, in_place ? C.data() : data.data(), tA, c.M, c.N, K, o.A.data(),
                            o.lda, o.B.data(), o.ldb, C.data(), o.ldc);
              ++g_checks;
              bool same = true;
              for (int i = 0; i < c.M; ++i)
                same = same && std::memcmp(&C[static_cast<size_t>(i) * o.ldc],
                                           &want[static_cast<size_t>(i) * o.ldc], c.N * sizeof(T)) == 0;
              if (!same) {
                ++g_failures;
                std::printf("FAIL %s %s%s, %d thread(s): differs from gemm + epilogue\n",
                            describe("gemm_fused", type_name<T>(), c).c_str(),
                            e == Epilogue::BiasRelu ? "bias+relu" : "relu mask", in_place ? " in place" : "",
                            threads);
              }
            }
          }
  set_num_threads(saved);
}

// gemm_streamed against its definition: the NT product, `between` over all
// columns, then the NN product, all bit for bit. `between` halves G's columns
// and writes W' = W - 0.1 G (elementwise, like the training update), and the
// NN product uses W'; once more with Z written over D. Shapes: the cat
// network's first layer, K not a multiple of the thin block or of a vector,
// M = 32 (whose NT product takes two K blocks in double), a small N.
template <typename T>
void run_streamed_cases() {
  const int saved = num_threads();
  set_num_threads(2);
  const bool two = gemm_streamable<T>(20, 209, 12288, 209);
  set_num_threads(1);
  ++g_checks;
  if (!gemm_fusable(1)) {
    std::printf("gemm_streamed<%s>: not available on this CPU (no AVX2): skipped\n", type_name<T>());
    set_num_threads(saved);
    return;
  }
  if (!gemm_streamable<T>(20, 209, 12288, 209) || two) {
    ++g_failures;
    std::printf("FAIL gemm_streamable<%s>(20, 209, 12288): want true with 1 thread, false with 2\n",
                type_name<T>());
  }
  if (openblas::library()) {
    // Streaming is the built-in kernel's: not when the dispatch sends the
    // thin products to OpenBLAS (training then follows the dispatch).
    const GemmDispatch saved = gemm_dispatch();
    GemmDispatch d = saved;
    d.openblas[sizeof(T) == 8][0][int(GemmClass::Thin)] = true;
    set_gemm_dispatch(d);
    ++g_checks;
    if (gemm_streamable<T>(20, 209, 12288, 209)) {
      ++g_failures;
      std::printf("FAIL gemm_streamable<%s>: true with the thin class on OpenBLAS\n", type_name<T>());
    }
    set_gemm_dispatch(saved);
  }
  struct Shape {
    int M, N, K;
  };
  uint64_t seed = 7000;
  // The smallest M whose dW takes the thin NT path at every level: 7/8 of
  // a vector, AVX-512's 16 floats or 8 doubles.
  const int small = sizeof(T) == 4 ? 14 : 7;
  for (const Shape s : {Shape{20, 209, 12288}, Shape{small, 61, 1001}, Shape{small + 1, 100, 300},
                        Shape{32, 209, 515}, Shape{small, 9, 129}}) {
    ++g_checks;
    if (!gemm_streamable<T>(s.M, s.N, s.K, s.N)) {
      ++g_failures;
      std::printf("FAIL gemm_streamable<%s>(%d, %d, %d): want true\n", type_name<T>(), s.M, s.N, s.K);
      continue;
    }
    Lcg rng(seed++);
    const auto fill = [&](size_t n) {
      std::vector<T> v(n);
      for (T& x : v) x = T(rng.next());
      return v;
    };
    const std::vector<T> D = fill(size_t(s.M) * s.N), X = fill(size_t(s.K) * s.N),
                         W = fill(size_t(s.M) * s.K);
    const auto between = [&](std::vector<T>& G, std::vector<T>& Wn, int k0, int k1) {
      for (int i = 0; i < s.M; ++i)
        for (int k = k0; k < k1; ++k) {
          T& g = G[size_t(i) * s.K + k];
          g = g * T(0.5);
          Wn[size_t(i) * s.K + k] = W[size_t(i) * s.K + k] - T(0.1) * g;
        }
    };
    std::vector<T> G1(W.size()), W1(W.size()), Z1(size_t(s.M) * s.N);
    gemm<T>(false, true, s.M, s.K, s.N, T(1), D.data(), s.N, X.data(), s.N, T(0), G1.data(), s.K);
    between(G1, W1, 0, s.K);
    gemm<T>(false, false, s.M, s.N, s.K, T(1), W1.data(), s.K, X.data(), s.N, T(0), Z1.data(), s.N);
    std::vector<T> G2(W.size()), W2(W.size()), Z2(Z1.size(), T(7));
    gemm_streamed<T>(s.M, s.N, s.K, D.data(), s.N, X.data(), s.N, G2.data(), s.K, W2.data(), s.K,
                     Z2.data(), s.N, [&](int k0, int k1) { between(G2, W2, k0, k1); });
    ++g_checks;
    if (G1 != G2 || W1 != W2 || std::memcmp(Z1.data(), Z2.data(), Z1.size() * sizeof(T)) != 0) {
      ++g_failures;
      std::printf("FAIL gemm_streamed<%s> %dx%dx%d: differs from gemm NT, between, gemm NN\n",
                  type_name<T>(), s.M, s.N, s.K);
    }
    // Z over D itself (training writes the next W1 X over dZ1).
    std::vector<T> G3(W.size()), W3(W.size()), DZ = D;
    gemm_streamed<T>(s.M, s.N, s.K, DZ.data(), s.N, X.data(), s.N, G3.data(), s.K, W3.data(), s.K,
                     DZ.data(), s.N, [&](int k0, int k1) { between(G3, W3, k0, k1); });
    ++g_checks;
    if (G1 != G3 || std::memcmp(Z1.data(), DZ.data(), Z1.size() * sizeof(T)) != 0) {
      ++g_failures;
      std::printf("FAIL gemm_streamed<%s> %dx%dx%d with Z = D: differs\n", type_name<T>(), s.M,
                  s.N, s.K);
    }
  }
  set_num_threads(saved);
}

// The dispatch's per-class level (gemm.h): on an AVX-512 CPU, a class the
// dispatch names for AVX2 is computed by the AVX2 kernels, bit for bit as
// gemm_builtin_at(AVX2_FMA) and whatever the thread count; the others (and
// small-K, always) stay at AVX-512. Then the streamed pair with its two
// classes at AVX2 (both must share a level: one at AVX2 alone stops it).
template <typename T>
void run_level_dispatch_cases() {
  ++g_checks;
  if (!simd_avx512()) {
    std::printf("level dispatch<%s>: this CPU does not run AVX-512: skipped\n", type_name<T>());
    return;
  }
  // A class is its level's: 7 rows are one AVX-512 row tile (thin whatever
  // B's stride) but more than one AVX2 tile (thin only while B's rows, 512
  // apart, do not alias in L1). train.cc's chunk_in_place relies on it.
  for (const int ldb : {512, 509}) {
    const GemmClass at512 = gemm_builtin_class_at<T>(SimdLevel::AVX512, false, false, 7, 200, 30, ldb);
    const GemmClass at2 = gemm_builtin_class_at<T>(SimdLevel::AVX2_FMA, false, false, 7, 200, 30, ldb);
    const GemmClass want2 = ldb == 512 ? GemmClass::PackedShallow : GemmClass::Thin;
    ++g_checks;
    if (at512 != GemmClass::Thin || at2 != want2 || gemm_builtin_class<T>(false, false, 7, 200, 30, ldb) != at512) {
      ++g_failures;
      std::printf("FAIL level classes<%s>, ldb %d: AVX-512 %s, AVX2 %s (want thin, %s)\n", type_name<T>(), ldb,
                  gemm_class_name(at512), gemm_class_name(at2), gemm_class_name(want2));
    }
  }
  const GemmDispatch saved = gemm_dispatch();
  const int saved_threads = num_threads();
  const bool f64 = sizeof(T) == 8;
  struct Shape {
    GemmClass c;
    bool tA, tB;
    int M, N, K;
  };
  uint64_t seed = 9100;
  for (const Shape s : {Shape{GemmClass::Thin, false, false, 20, 209, 1200},
                        Shape{GemmClass::ThinNT, false, true, 20, 1200, 209},
                        Shape{GemmClass::Dot, false, true, 1, 3, 211},
                        Shape{GemmClass::PackedShallow, false, true, 256, 256, 64},
                        Shape{GemmClass::Packed, false, false, 200, 300, 150},
                        Shape{GemmClass::SmallK, false, false, 20, 209, 2}}) {
    const int lda = s.tA ? s.M : s.K, ldb = s.tB ? s.K : s.N;
    if (gemm_builtin_class<T>(s.tA, s.tB, s.M, s.N, s.K, ldb) != s.c) {
      ++g_failures;
      std::printf("FAIL level dispatch<%s>: %dx%dx%d is not of class %s\n", type_name<T>(), s.M, s.N,
                  s.K, gemm_class_name(s.c));
      continue;
    }
    Lcg rng(seed++);
    std::vector<T> A(size_t(s.M) * s.K), B(size_t(s.K) * s.N);
    for (T& x : A) x = T(rng.next());
    for (T& x : B) x = T(rng.next());
    const auto product = [&](auto&& f) {
      std::vector<T> C(size_t(s.M) * s.N);
      f(C.data());
      return C;
    };
    const std::vector<T> at_avx2 = product([&](T* C) {
      gemm_builtin_at<T>(SimdLevel::AVX2_FMA, s.tA, s.tB, s.M, s.N, s.K, T(1), A.data(), lda, B.data(), ldb, T(0), C, s.N);
    });
    const std::vector<T> at_avx512 = product([&](T* C) {
      gemm_builtin<T>(s.tA, s.tB, s.M, s.N, s.K, T(1), A.data(), lda, B.data(), ldb, T(0), C, s.N);
    });
    GemmDispatch d{};  // every class built-in; this one (and only it) at AVX2
    d.avx2[f64][int(s.c)] = true;
    set_gemm_dispatch(d);
    const bool moved = s.c != GemmClass::SmallK;
    const std::vector<T>& want = moved ? at_avx2 : at_avx512;
    for (int threads : {1, 2}) {
      set_num_threads(threads);
      const std::vector<T> got = product([&](T* C) {
        gemm<T>(s.tA, s.tB, s.M, s.N, s.K, T(1), A.data(), lda, B.data(), ldb, T(0), C, s.N);
      });
      const SimdLevel level = gemm_builtin_level_for<T>(s.tA, s.tB, s.M, s.N, s.K, ldb);
      ++g_checks;
      if (std::memcmp(got.data(), want.data(), got.size() * sizeof(T)) != 0 ||
          level != (moved ? SimdLevel::AVX2_FMA : SimdLevel::AVX512)) {
        ++g_failures;
        std::printf("FAIL level dispatch<%s> %s, %d thread(s): gemm() at %s, want %s's bits\n",
                    type_name<T>(), gemm_class_name(s.c), threads, simd_level_name(level),
                    moved ? "AVX2" : "AVX-512");
      }
    }
    GemmDispatch other{};  // the other dtype's entry leaves this one alone
    other.avx2[!f64][int(s.c)] = true;
    set_gemm_dispatch(other);
    ++g_checks;
    if (gemm_builtin_level_for<T>(s.tA, s.tB, s.M, s.N, s.K, ldb) != SimdLevel::AVX512) {
      ++g_failures;
      std::printf("FAIL level dispatch<%s> %s: the other dtype's entry moved it\n", type_name<T>(), gemm_class_name(s.c));
    }
  }
  set_num_threads(1);
  GemmDispatch thin_only{};
  thin_only.avx2[f64][int(GemmClass::Thin)] = true;
  set_gemm_dispatch(thin_only);
  ++g_checks;
  if (gemm_streamable<T>(20, 209, 12288, 209)) {
    ++g_failures;
    std::printf("FAIL level dispatch<%s>: streamable with its two products at different levels\n", type_name<T>());
  }
  GemmDispatch both{};
  both.avx2[f64][int(GemmClass::Thin)] = both.avx2[f64][int(GemmClass::ThinNT)] = true;
  set_gemm_dispatch(both);
  std::printf("level dispatch<%s>: the streamed pair with both classes at AVX2\n", type_name<T>());
  run_streamed_cases<T>();
  set_gemm_dispatch(saved);
  set_num_threads(saved_threads);
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
  run_fused_cases<double>();
  run_fused_cases<float>();
  run_streamed_cases<double>();
  run_streamed_cases<float>();
  run_level_dispatch_cases<double>();
  run_level_dispatch_cases<float>();
  if (g_failures) {
    std::printf("test_gemm: %d of %d checks FAILED\n", g_failures, g_checks);
    return 1;
  }
  std::printf("test_gemm: all %d checks passed\n", g_checks);
  return 0;
}
