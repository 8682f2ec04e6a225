// What the gemm tests share: deterministic operands (NaN in every padding
// and, when beta == 0, in C), the per-element error bound against
// gemm_reference, and one case checked through gemm_builtin and gemm().
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "gemm.h"

namespace deepnet {
namespace testing {

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

inline std::string describe(const char* what, const char* type, const Case& c) {
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

}  // namespace testing
}  // namespace deepnet
