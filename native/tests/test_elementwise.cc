// Tests the elementwise kernels' vector tables (elementwise.h) directly,
// level by level: every kernel of each x86 level this process runs (AVX2,
// AVX-512; the optimizers' in test_optimizer_kernels.cc) against its reference twin, on sizes that exercise every tail
// (0, 1, lanes - 1, lanes, lanes + 1 at 4, 8 and 16 lanes, odd large sizes),
// starts misaligned by one and three elements, guard elements around the
// arrays (which no kernel may write) and special values; then AVX-512's
// results against AVX2's, which must be the same bits for every kernel (each
// element, each softmax column, gets the same operations at both widths).
// And vmath's exp, expm1, tanh and log against glibc, and across the levels;
// and a batch's gather from rows (batch_simd.h) against its twin.
//
// The levels tested are those up to simd_level(), so ctest runs this once,
// at the best level. Exits non-zero on any failure, 77 (skipped) where no
// vector level runs.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "activation_cases.h"
#include "activations.h"
#include "backward.h"
#include "batch.h"
#include "cost.h"
#include "dropout.h"
#include "elementwise_cases.h"
#include "heads.h"
#include "l2.h"
#include "reduce.h"
#include "update.h"

namespace {

using namespace deepnet;
using namespace deepnet::testing;

template <typename T>
void test_activations() {
  for (Activation act : kActivations) {
    const double ulps = uses_exp(act) ? 4 : 0;
    check_kernel<T>(std::string("activation_forward ") + name(act), !uses_exp(act), [=](auto k, long n, long offset) {
      const std::vector<T> z = scaled(inputs<T>(n, 1 + n), T(5));
      Buf<T> Z(z, offset), A(n, offset), in_place(z, offset);
      const auto f = k ? k->activation_forward : reference::activation_forward<T>;
      f(A.data(), Z.data(), act, n);
      f(in_place.data(), in_place.data(), act, n);
      Run r;
      r.add(A.all, ulps), r.add(in_place.all, ulps), r.add(Z.all);
      return r;
    });
    // From H = the reference's g(Z): exact in T at every level; dZ may alias dA.
    check_kernel<T>(std::string("activation_backward ") + name(act), true, [=](auto k, long n, long offset) {
      const std::vector<T> z = scaled(inputs<T>(n, 2 + n), T(5)), da = inputs<T>(n, 3 + n);
      std::vector<T> h(n);
      reference::activation_forward(h.data(), z.data(), act, n);
      Buf<T> dA(da, offset), H(h, offset), dZ(n, offset), in_place(da, offset);
      const auto f = k ? k->activation_backward : reference::activation_backward<T>;
      f(dZ.data(), dA.data(), H.data(), act, n);
      f(in_place.data(), in_place.data(), H.data(), act, n);
      Run r;
      r.add(dZ.all), r.add(in_place.all);
      return r;
    });
    // (n, m) = (3, size): the bias add per row, out of place and in place.
    check_kernel<T>(std::string("bias_activation_forward ") + name(act), !uses_exp(act), [=](auto k, long m, long offset) {
      const int n = 3;
      const std::vector<T> z = scaled(inputs<T>(n * m, 4 + m), T(5)), b = inputs<T>(n, 5, false);
      Buf<T> Z(z, offset), A(n * m, offset), in_place(z, offset);
      const auto f = k ? k->bias_activation_forward : reference::bias_activation_forward<T>;
      f(Z.data(), A.data(), b.data(), n, static_cast<int>(m), act);
      f(in_place.data(), in_place.data(), b.data(), n, static_cast<int>(m), act);
      Run r;
      r.add(Z.all), r.add(A.all, ulps), r.add(in_place.all, ulps);
      return r;
    });
  }
  check_kernel<T>("bias_add", true, [](auto k, long m, long offset) {
    const int n = 3;
    Buf<T> Z(inputs<T>(n * m, 6 + m), offset);
    const std::vector<T> b = inputs<T>(n, 7, false);
    (k ? k->bias_add : reference::bias_add<T>)(Z.data(), b.data(), n, static_cast<int>(m));
    Run r;
    r.add(Z.all);
    return r;
  });
  // From Z, recomputing s or t: 1 - s and 1 - t^2 cancel near 1, so an ulp of
  // s or t (vmath's exp vs glibc's) moves dZ by up to an ulp of dA.
  for (bool sigmoid : {true, false}) {
    check_kernel<T>(sigmoid ? "sigmoid_backward" : "tanh_backward", false, [=](auto k, long n, long offset) {
      const std::vector<T> z = scaled(inputs<T>(n, 8 + n), T(5)), da = inputs<T>(n, 9 + n, false);
      Buf<T> dA(da, offset), Z(z, offset), dZ(n, offset);
      const auto f = sigmoid ? (k ? k->sigmoid_backward : reference::sigmoid_backward<T>)
                             : (k ? k->tanh_backward : reference::tanh_backward<T>);
      f(dZ.data(), dA.data(), Z.data(), n);
      std::vector<double> out(dZ.all.begin(), dZ.all.end()), tol(out.size(), 0.0);
      for (long i = 0; i < n; ++i) tol[offset + i] = (sigmoid ? 4 : 8) * std::numeric_limits<T>::epsilon() * std::fabs(da[i]);
      Run r;
      r.add_within(out, tol);
      return r;
    });
  }
}

// Z (K, m) with m = size; Y one-hot. Columns from j0 = offset: those before stay untouched.
template <typename T>
void test_softmax() {
  for (int K : {1, 3, 10}) {
    auto logits = [K](long m) {
      std::vector<T> z = scaled(inputs<T>(K * m, 10 + m, false), T(10));
      if (m > 4) z[2] = std::numeric_limits<T>::quiet_NaN(), z[3] = std::numeric_limits<T>::infinity(),
                 z[4] = -std::numeric_limits<T>::infinity();
      return z;
    };
    const std::string k_name = " K " + std::to_string(K);
    check_kernel<T>("softmax_columns" + k_name, false, [=](auto k, long m, long offset) {
      const long j0 = std::min(offset, m);
      const std::vector<T> z = logits(m);
      std::vector<T> a(K * m, T(-1234.5));
      if (k) {
        k->softmax_columns(a.data(), z.data(), K, m, j0, m);
      } else {
        std::vector<T> full(K * m);
        reference::softmax_forward(full.data(), z.data(), K, static_cast<int>(m));
        for (long i = 0; i < K * m; ++i)
          if (i % std::max(m, 1L) >= j0) a[i] = full[i];
      }
      Run r;
      r.add(a, 4);
      return r;
    });
    check_kernel<T>("softmax_terms" + k_name, false, [=](auto k, long m, long offset) {
      const long j0 = std::min(offset, m);
      const std::vector<T> z = logits(m);
      std::vector<T> y(K * m, T(0));
      for (long j = 0; j < m; ++j) y[((j * 7) % K) * m + j] = T(1);
      std::vector<double> out(m - j0 + kGuard, -1234.5), tol(out.size());
      (k ? k->softmax_terms : reference::softmax_terms<T>)(out.data(), z.data(), y.data(), K, m, j0, m - j0);
      // log-sum-exp and log p within a few ulps of their magnitude (vmath's exp and log).
      for (size_t i = 0; i < out.size(); ++i) tol[i] = 16 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(out[i]));
      Run r;
      r.add_within(out, tol);
      return r;
    });
  }
}

template <typename T>
void test_costs() {
  const CostTerm terms[] = {CostTerm::Notes, CostTerm::Course2, CostTerm::Logits, CostTerm::Squared};
  const char* names[] = {"notes", "course2", "logits", "squared"};
  for (int t = 0; t < 4; ++t) {
    const CostTerm term = terms[t];
    check_kernel<T>(std::string("cost_terms ") + names[t], false, [=](auto k, long n, long offset) {
      std::vector<T> x = term == CostTerm::Logits ? scaled(inputs<T>(n, 11 + n), T(10)) : probabilities<T>(n, 11 + n);
      std::vector<T> y = labels<T>(n, 12 + n);
      // Saturated and impossible outputs, and soft labels (the notes' two-log case).
      const T edges[] = {T(0), T(1), T(1e-30), T(1) - std::numeric_limits<T>::epsilon(), T(800), T(-800),
                         std::numeric_limits<T>::quiet_NaN()};
      for (long i = 5; i < n; i += 11) x[i] = edges[(i / 11) % 7];
      for (long i = 9; i < n; i += 13) y[i] = T(0.5);
      Buf<T> X(x, offset), Y(y, offset);
      std::vector<double> out(n + kGuard, -1234.5), tol(out.size());
      (k ? k->cost_terms : reference::cost_terms<T>)(term, out.data(), X.data(), Y.data(), n);
      for (size_t i = 0; i < out.size(); ++i) tol[i] = 8 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(out[i]));
      Run r;
      r.add_within(out, tol);
      return r;
    });
  }
}

template <typename T>
void test_arith() {
  check_kernel<T>("l2_gradient", true, [](auto k, long n, long offset) {
    Buf<T> dW(inputs<T>(n, 17 + n), offset), W(inputs<T>(n, 18 + n), offset);
    (k ? k->l2_gradient : reference::l2_gradient<T>)(dW.data(), W.data(), T(0.7), T(13), n);
    Run r;
    r.add(dW.all);
    return r;
  });
  check_kernel<T>("dropout_apply", true, [](auto k, long n, long offset) {
    Buf<T> A(inputs<T>(n, 19 + n), offset), D(labels<T>(n, 20 + n), offset);
    (k ? k->dropout_apply : reference::dropout_apply<T>)(A.data(), D.data(), T(0.86), n);
    Run r;
    r.add(A.all);
    return r;
  });
  check_kernel<T>("update", true, [](auto k, long n, long offset) {
    Buf<T> P(inputs<T>(n, 21 + n), offset), dP(inputs<T>(n, 22 + n), offset), P_new(n, offset);
    const auto f = k ? k->update : reference::update<T>;
    f(P_new.data(), P.data(), dP.data(), T(0.0075), n);
    f(P.data(), P.data(), dP.data(), T(0.0075), n);
    Run r;
    r.add(P_new.all), r.add(P.all);
    return r;
  });
  check_kernel<T>("output_backward", true, [](auto k, long n, long offset) {
    std::vector<T> al = probabilities<T>(n, 23 + n);
    for (long i = 3; i < n; i += 17) al[i] = i % 2 ? T(0) : T(1);  // saturated: Inf and NaN
    Buf<T> AL(al, offset), Y(labels<T>(n, 24 + n), offset), dZ(n, offset);
    (k ? k->output_backward : reference::output_backward<T>)(dZ.data(), AL.data(), Y.data(), n);
    Run r;
    r.add(dZ.all);
    return r;
  });
  for (bool divide : {true, false}) {
    check_kernel<T>(divide ? "divide_by" : "scale_by", true, [=](auto k, long n, long offset) {
      Buf<T> X(inputs<T>(n, 25 + n), offset);
      if (divide) (k ? k->divide_by : reference::divide_by<T>)(X.data(), T(7), n);
      else (k ? k->scale_by : reference::scale_by<T>)(X.data(), T(1) / T(7), n);
      Run r;
      r.add(X.all);
      return r;
    });
  }
  // The index of the first NaN or Inf: none, or one at the start, the end,
  // and around the 16-vector blocks at both widths (64, 128, 256 elements).
  check_kernel<T>("first_non_finite", true, [](auto k, long n, long offset) {
    const auto f = k ? k->first_non_finite : reference::first_non_finite<T>;
    const T specials[] = {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(),
                          -std::numeric_limits<T>::infinity()};
    std::vector<double> found;
    Buf<T> a(inputs<T>(n, 26 + n, false), offset);
    found.push_back(f(a.data(), n));
    int s = 0;
    for (long at : {0L, n - 1, n / 2, 63L, 64L, 127L, 128L, 129L, 255L, 256L, 257L, 1000L}) {
      if (at < 0 || at >= n) continue;
      Buf<T> b = a;
      b.data()[at] = specials[s++ % 3];
      if (at + 3 < n) b.data()[at + 3] = specials[s % 3];
      found.push_back(f(b.data(), n));
    }
    Run r;
    r.add(found);
    return r;
  });
}

// Units in the last place from a to b (the largest for opposite signs).
int64_t ulps(double a, double b) {
  if (same_bits(a, b)) return 0;
  int64_t x, y;
  std::memcpy(&x, &a, 8);
  std::memcpy(&y, &b, 8);
  return (x < 0) != (y < 0) ? INT64_MAX : (x > y ? x - y : y - x);
}

using VmathFn = void (*)(double*, const double*, long);

// A vmath function at each level: within `max_ulps` of glibc's on x, and
// AVX-512's the same bits as AVX2's (x's odd count, into an odd start).
void test_vmath_function(const char* name, VmathFn VmathKernels::*fn, double (*libm)(double), const std::vector<double>& x,
                         int64_t max_ulps) {
  const std::vector<Level> ls = levels();
  std::vector<double> first;
  for (const Level& level : ls) {
    std::vector<double> y(x.size() + 1, -1234.5);
    (level.kernels->vmath.*fn)(y.data() + 1, x.data(), static_cast<long>(x.size()));
    int64_t worst = 0;
    for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, ulps(y[i + 1], libm(x[i])));
    check(worst <= max_ulps && y[0] == -1234.5, std::string("vmath ") + name + " " + level.name + " within " +
                                                    std::to_string(max_ulps) + " ulp of glibc (worst " + std::to_string(worst) + ")");
    if (first.empty()) first = y;
    else check(same(y, first), std::string("vmath ") + name + " " + level.name + " == " + ls[0].name + " bit for bit");
  }
}

void test_vmath() {
  std::mt19937_64 gen(7);
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  auto uniform = [&gen](double lo, double hi, size_t n) {
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<double> v(n);
    for (double& x : v) x = u(gen);
    return v;
  };
  const size_t n = 200003;
  // exp: the whole range, into overflow and underflow (subnormal results included).
  std::vector<double> ex = uniform(-750, 715, n);
  const double ex_special[] = {0.0, -0.0, -800.0, 800.0, -inf, inf, nan, 709.78, -745.13, -708.4, 1e-300, -1e-300};
  ex.insert(ex.end(), std::begin(ex_special), std::end(ex_special));
  test_vmath_function("exp", &VmathKernels::exp, [](double v) { return std::exp(v); }, ex, 1);
  // log: positive arguments over the whole range, subnormals, and the special values.
  std::vector<double> lx = uniform(-745, 709, n);
  for (double& v : lx) v = std::exp(v);
  const double lx_special[] = {0.0, -0.0, -1.0, inf, -inf, nan, 4.9e-324, 1e-310, 2.2e-308, 1e-300, 1.0, 0.9999999999999999};
  lx.insert(lx.end(), std::begin(lx_special), std::end(lx_special));
  test_vmath_function("log", &VmathKernels::log, [](double v) { return std::log(v); }, lx, 1);
  // expm1 near 0 (no cancellation) and over its range, up to overflow; tanh,
  // its saturation and tiny arguments. Their worst cases measured 2 and 4 ulp
  // (tanh's division of two rounded values; the sigmoid and tanh layers'
  // tolerances allow for 4).
  std::vector<double> mx = uniform(-1, 1, n / 2), wide = uniform(-60, 710, n / 2);
  mx.insert(mx.end(), wide.begin(), wide.end());
  const double mx_special[] = {0.0, 1e-300, -1e-20, 709.5, 709.78, 800.0, -800.0, inf, -inf, nan};
  mx.insert(mx.end(), std::begin(mx_special), std::end(mx_special));
  test_vmath_function("expm1", &VmathKernels::expm1, [](double v) { return std::expm1(v); }, mx, 2);
  std::vector<double> tx = uniform(-20, 20, n / 2), small = uniform(-1e-3, 1e-3, n / 2);
  tx.insert(tx.end(), small.begin(), small.end());
  const double tx_special[] = {0.0, -0.0, 1e-300, -1e-20, 25.0, -30.0, inf, -inf, nan};
  tx.insert(tx.end(), std::begin(tx_special), std::end(tx_special));
  test_vmath_function("tanh", &VmathKernels::tanh, [](double v) { return std::tanh(v); }, tx, 4);

  // The notes' cost takes one log per example when the labels are 0/1 and
  // 0 < AL < 1: the same bits as the two-log term log(a) y + log(1 - a) (1 - y).
  const double edges[] = {4.9e-324, 1e-300, 1e-20, 1e-9, 0.25, 0.5, 0.75, 1 - 1e-9, 1 - 0x1p-53};
  std::uniform_real_distribution<double> unit(0, 1);
  for (const Level& level : levels()) {
    bool ok = true;
    for (int i = 0; i < 2000; ++i) {
      const double a = i < 9 ? edges[i] : (i < 18 ? edges[i - 9] : unit(gen)), y = i < 9 ? 1.0 : (i % 2);
      const double b = 1.0 - a;
      double log_a, log_b, term;
      level.kernels->vmath.log(&log_a, &a, 1);
      level.kernels->vmath.log(&log_b, &b, 1);
      level.kernels->f64.cost_terms(CostTerm::Notes, &term, &a, &y, 1);
      ok &= same_bits(term, log_a * y + log_b * (1.0 - y));
    }
    check(ok, std::string("cost with labels 0/1: one log per example, the two-log term's bits, ") + level.name);
  }
}

}  // namespace

// gather_rows: a batch of `count` examples (rows of R, by idx or from j0)
// into B (rows, count), for position ranges with every tail (e0 and e1 on and
// off a lanes boundary, feature counts below, at and past a block of lanes),
// against the reference, bit for bit, with guards after B.
template <typename T>
void test_gather_rows() {
  std::mt19937 gen(7);
  for (const Level& level : levels()) {
    for (int rows : {1, 3, 4, 7, 8, 9, 16, 17, 30, 784}) {
      for (int count : {1, 5, 8, 13, 16, 33}) {
        const int examples = 3 * count + 5;
        std::vector<T> R(static_cast<size_t>(examples) * rows);
        for (T& x : R) x = T(std::uniform_real_distribution<double>(-1, 1)(gen));
        std::vector<int32_t> idx(count);
        for (int32_t& i : idx) i = static_cast<int32_t>(gen() % examples);
        for (const bool indexed : {true, false}) {
          for (const std::pair<int, int> range : {std::pair<int, int>{0, count}, {1, count}, {0, count - 1}, {count / 2, count}}) {
            if (range.first >= range.second) continue;
            std::vector<T> want(static_cast<size_t>(rows) * count + kGuard, T(-7)), got = want;
            const int32_t* ix = indexed ? idx.data() : nullptr;
            reference::gather_rows(want.data(), R.data(), ix, 2, rows, count, range.first, range.second);
            level.kernels->of<T>().gather_rows(got.data(), R.data(), ix, 2, rows, count, range.first, range.second);
            ++g_checks;
            if (std::memcmp(want.data(), got.data(), want.size() * sizeof(T)) != 0) {
              ++g_failures;
              std::printf("FAIL %s gather_rows<%s> rows %d count %d [%d, %d) %s: differs from the reference\n", level.name,
                          sizeof(T) == 8 ? "double" : "float", rows, count, range.first, range.second, indexed ? "indexed" : "from j0");
            }
          }
        }
      }
    }
  }
}

int main() {
  std::printf("simd: %s\n", simd_level_name());
  if (levels().empty()) {
    std::printf("no vector level runs here (%s): nothing to test\n", simd_level_name());
    return 77;
  }
  test_activations<double>();
  test_activations<float>();
  test_softmax<double>();
  test_softmax<float>();
  test_costs<double>();
  test_costs<float>();
  test_arith<double>();
  test_arith<float>();
  test_vmath();
  test_gather_rows<double>();
  test_gather_rows<float>();
  return report();
}
