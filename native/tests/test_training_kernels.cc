// Tests the kernels of the general network and of mini-batch training against
// their reference twins: every hidden activation's forward and backward
// (bit for bit where the vector form uses no exp, within a few ulp where it
// uses vmath's), the softmax head and its cost, the optimizers' steps (bit
// for bit), the batch gathers, and numpy's permutation.
//
// Runs the public kernels at the level this CPU has; ctest runs it again with
// DEEPNET_SIMD=avx2 and =portable. Exits non-zero on any failure.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "activation_cases.h"
#include "activations.h"
#include "batch.h"
#include "check.h"
#include "cpu.h"
#include "heads.h"
#include "optimizers.h"
#include "rng.h"
#include "threads.h"

namespace {

using namespace deepnet;
using namespace deepnet::testing;

template <typename T>
void test_activations() {
  for (auto& s : kShapes) {
    const int n = s[0], m = s[1];
    const size_t size = static_cast<size_t>(n) * m;
    const std::string where = std::string(tname<T>()) + " " + std::to_string(n) + "x" + std::to_string(m);
    const std::vector<T> Z = inputs<T>(size, 11), dA = inputs<T>(size, 12, false), b = inputs<T>(n, 13, false);
    for (Activation act : kActivations) {
      const std::string what = std::string(name(act)) + " " + where;
      std::vector<T> A1(size), A2(size);
      activation_forward(A1.data(), Z.data(), act, static_cast<long>(size));
      reference::activation_forward(A2.data(), Z.data(), act, static_cast<long>(size));
      check(uses_exp(act) ? close(A1, A2, 4) : same(A1, A2), "activation_forward " + what);
      // Fused with the bias add, out of place and in place (the training arena).
      std::vector<T> Z1 = Z, Z2 = Z, B1(size), B2(size), in_place = Z;
      bias_activation_forward(Z1.data(), B1.data(), b.data(), n, m, act);
      reference::bias_activation_forward(Z2.data(), B2.data(), b.data(), n, m, act);
      check(same(Z1, Z2), "bias_activation_forward Z " + what);
      check(uses_exp(act) ? close(B1, B2, 4) : same(B1, B2), "bias_activation_forward A " + what);
      bias_activation_forward(in_place.data(), in_place.data(), b.data(), n, m, act);
      check(same(in_place, B1), "bias_activation_forward in place " + what);
      // Backward from the output H = A1: exact arithmetic in T, the same bits.
      std::vector<T> d1(size), d2(size);
      activation_backward(d1.data(), dA.data(), A1.data(), act, static_cast<long>(size));
      reference::activation_backward(d2.data(), dA.data(), A1.data(), act, static_cast<long>(size));
      check(same(d1, d2), "activation_backward " + what);
      // From the input Z, as the notes' functions take it: the same derivative as from H.
      std::vector<T> dz(size);
      activation_backward_from_input(dz.data(), dA.data(), Z.data(), act, static_cast<long>(size));
      if (act == Activation::Tanh) {
        std::vector<T> ref(size);
        reference::tanh_backward(ref.data(), dA.data(), Z.data(), static_cast<long>(size));
        // 1 - t^2 cancels near |t| = 1: compare against |dA| (the derivative is in [0, 1]).
        bool near = true;
        for (size_t i = 0; i < size; ++i)
          near &= same_bits(dz[i], ref[i]) ||
                  std::fabs(dz[i] - ref[i]) <= 8 * std::numeric_limits<T>::epsilon() * std::fabs(dA[i]);
        check(near, "tanh_backward from Z vs reference " + what);
        check(same(dz, d1), "tanh derivative from Z == from H " + what);
      } else if (act != Activation::Sigmoid) {
        check(same(dz, d1), "derivative from Z == from H " + what);
      }
    }
  }
  // Edge values: relu and leaky relu derivatives at 0, leaky's slope, tanh's sign and saturation.
  const T z[] = {T(0), -T(0), T(-2), T(2), T(30), T(-30), T(1e-20)};
  T a[7], d[7];
  const T ones[7] = {1, 1, 1, 1, 1, 1, 1};
  activation_forward(a, z, Activation::LeakyRelu, 7);
  check(a[2] == T(kLeakySlope) * T(-2) && a[3] == T(2), std::string("leakyRelu values ") + tname<T>());
  activation_backward(d, ones, a, Activation::LeakyRelu, 7);
  check(d[0] == T(kLeakySlope) && d[3] == T(1), std::string("leakyRelu derivative 0.01 at 0 ") + tname<T>());
  activation_backward(d, ones, z, Activation::Relu, 7);
  check(d[0] == T(0) && d[1] == T(0) && d[3] == T(1), std::string("relu derivative 0 at 0 ") + tname<T>());
  activation_forward(a, z, Activation::Tanh, 7);
  check(!std::signbit(a[0]) && std::signbit(a[1]) && a[4] == T(1) && a[5] == T(-1) && a[6] == T(1e-20),
        std::string("tanh(+-0), saturation, tiny z ") + tname<T>());
}

// Softmax columns sum to 1 and match the reference; its cost from the logits
// matches the reference and stays finite for logits of 1e4.
template <typename T>
void test_softmax() {
  const int shapes[][2] = {{2, 1}, {3, 7}, {10, 33}, {4, 30001}, {1, 5}};
  for (auto& s : shapes) {
    const int K = s[0], m = s[1];
    const size_t size = static_cast<size_t>(K) * m;
    const std::string where = std::string(tname<T>()) + " " + std::to_string(K) + "x" + std::to_string(m);
    std::vector<T> Z = inputs<T>(size, 21, false), A1(size), A2(size), Y(size, T(0));
    for (int j = 0; j < m; ++j) Y[static_cast<size_t>((j * 7) % K) * m + j] = T(1);
    softmax_forward(A1.data(), Z.data(), K, m);
    reference::softmax_forward(A2.data(), Z.data(), K, m);
    check(close(A1, A2, 4), "softmax_forward " + where);
    bool sums = true;
    for (int j = 0; j < m; ++j) {
      double total = 0;
      for (int k = 0; k < K; ++k) total += A1[static_cast<size_t>(k) * m + j];
      sums &= std::fabs(total - 1.0) < 8 * std::numeric_limits<T>::epsilon() * K;
    }
    check(sums, "softmax columns sum to 1 " + where);
    const double c1 = softmax_cost_sum(Z.data(), Y.data(), K, m), c2 = reference::softmax_cost_sum(Z.data(), Y.data(), K, m);
    check(std::fabs(c1 - c2) <= 1e-14 * std::max(1.0, std::fabs(c2)), "softmax_cost_sum " + where);
    // The cost is the mean of -log p of the true class, p from the reference softmax.
    double direct = 0;
    for (int j = 0; j < m; ++j)
      for (int k = 0; k < K; ++k)
        if (Y[static_cast<size_t>(k) * m + j] == T(1)) direct -= std::log(static_cast<double>(A2[static_cast<size_t>(k) * m + j]));
    check(std::fabs(c1 - direct) <= (sizeof(T) == 8 ? 1e-10 : 1e-3) * std::max(1.0, std::fabs(direct)), "softmax cost = -sum log p " + where);
  }
  // Saturated logits: log-sum-exp keeps the cost finite and exact.
  const T Z[] = {T(1e4), T(-1e4), T(0), T(0)};  // K = 2, m = 2: column 0 (1e4, 0), column 1 (-1e4, 0)
  const T Y[] = {T(0), T(1), T(1), T(0)};       // true classes 1 and 0: each 1e4 below the other logit
  const double c = softmax_cost_sum(Z, Y, 2, 2);
  check(c == 2e4, std::string("softmax cost of saturated logits ") + tname<T>());
  T A[4];
  softmax_forward(A, Z, 2, 2);
  check(A[0] == T(1) && A[2] == T(0) && A[1] == T(0) && A[3] == T(1), std::string("softmax of saturated logits ") + tname<T>());
}

// Each optimizer's SIMD step against the reference, on sizes that split over
// threads, with and without Adam's corrected moments; the finite flag.
template <typename T>
void test_optimizers() {
  const long sizes[] = {1, 7, 33, 1000, 70001};
  const OptimizerKind kinds[] = {OptimizerKind::GD, OptimizerKind::Momentum, OptimizerKind::RMSprop, OptimizerKind::Adam};
  for (long n : sizes) {
    for (OptimizerKind kind : kinds) {
      OptimizerSettings o;
      o.kind = kind;
      const std::string where = std::string(tname<T>()) + " kind " + std::to_string(static_cast<int>(kind)) + " n " + std::to_string(n);
      std::vector<T> P = inputs<T>(n, 31, false), G = inputs<T>(n, 32, false), v0 = inputs<T>(n, 33, false), s0 = inputs<T>(n, 34, false);
      for (T& x : s0) x = x * x;  // s is a mean of squares
      std::vector<T> P1(n), P2(n), v1 = v0, v2 = v0, s1 = s0, s2 = s0, vh1(n), vh2(n), sh1(n), sh2(n);
      for (long t = 1; t <= 3; ++t) {
        const bool ok1 = optimizer_step(o, P1.data(), P.data(), G.data(), v1.data(), s1.data(), n, 0.01, t, vh1.data(), sh1.data());
        const bool ok2 = reference::optimizer_step(o, P2.data(), P.data(), G.data(), v2.data(), s2.data(), n, 0.01, t, vh2.data(), sh2.data());
        check(ok1 && ok2, "optimizer_step finite " + where);
      }
      check(same(P1, P2), "optimizer_step P " + where);
      if (o.has_v()) check(same(v1, v2), "optimizer_step v " + where);
      if (o.has_s()) check(same(s1, s2), "optimizer_step s " + where);
      if (kind == OptimizerKind::Adam) check(same(vh1, vh2) && same(sh1, sh2), "adam corrected moments " + where);
      // In place (P_new = P) gives the same as out of place.
      std::vector<T> Q = P, vq = v0, sq = s0, Pout(n), vo = v0, so = s0;
      optimizer_step(o, Q.data(), Q.data(), G.data(), vq.data(), sq.data(), n, 0.01, 1);
      optimizer_step(o, Pout.data(), P.data(), G.data(), vo.data(), so.data(), n, 0.01, 1);
      check(same(Q, Pout), "optimizer_step in place " + where);
      // A non-finite gradient anywhere makes the step report it.
      std::vector<T> bad = G;
      bad[n / 2] = std::numeric_limits<T>::infinity();
      std::vector<T> vb = v0, sb = s0;
      check(!optimizer_step(o, Pout.data(), P.data(), bad.data(), vb.data(), sb.data(), n, 0.01, 1), "optimizer_step flags Inf " + where);
    }
  }
  // Subnormal first moments with zero gradients (dead units' weights) in the
  // second half only: the balanced split's pieces meet tiny and normal blocks,
  // and give the reference's bits, on either path for the tiny ones.
  for (TinyMomentPath path : {TinyMomentPath::Checked, TinyMomentPath::Hardware}) {
    set_tiny_moment_path(path);
    const long n = 200001;
    OptimizerSettings o;
    o.kind = OptimizerKind::Adam;
    std::vector<T> P = inputs<T>(n, 41, false), G = inputs<T>(n, 42, false), v1 = inputs<T>(n, 43, false), s1(n);
    for (long i = 0; i < n; ++i) {
      s1[i] = v1[i] * v1[i];
      if (i >= n / 2) G[i] = T(0), v1[i] = std::numeric_limits<T>::min() * T(0.25);
    }
    std::vector<T> v2 = v1, s2 = s1, P1(n), P2(n);
    for (long t = 1; t <= 3; ++t) {
      optimizer_step(o, P1.data(), P.data(), G.data(), v1.data(), s1.data(), n, 0.01, t);
      reference::optimizer_step(o, P2.data(), P.data(), G.data(), v2.data(), s2.data(), n, 0.01, t);
    }
    check(same(P1, P2) && same(v1, v2) && same(s1, s2), std::string("adam with subnormal moments in half the range ") + tname<T>() +
                                                            (path == TinyMomentPath::Checked ? " (safe path)" : " (hardware's)"));
  }
  set_tiny_moment_path(TinyMomentPath::Measured);
  // The course's momentum and Adam arithmetic on one element, by hand.
  OptimizerSettings adam;
  adam.kind = OptimizerKind::Adam;
  T p = T(0.5), g = T(0.1), v = T(0), s = T(0), out;
  optimizer_step(adam, &out, &p, &g, &v, &s, 1, 0.01, 1);
  const T vh = (T(0.9) * T(0) + T(1.0 - 0.9) * g) / T(1.0 - std::pow(0.9, 1.0));
  const T sh = (T(0.999) * T(0) + T(1.0 - 0.999) * (g * g)) / T(1.0 - std::pow(0.999, 1.0));
  check(out == p - (T(0.01) * vh) / (std::sqrt(sh) + T(1e-8)), std::string("adam step by hand ") + tname<T>());
}

template <typename T>
void test_gathers() {
  const int rows = 5, m = 40, count = 17;
  std::vector<T> X(static_cast<size_t>(rows) * m), R(static_cast<size_t>(m) * rows);
  std::iota(X.begin(), X.end(), T(0));
  for (int j = 0; j < m; ++j)
    for (int i = 0; i < rows; ++i) R[static_cast<size_t>(j) * rows + i] = X[static_cast<size_t>(i) * m + j];
  std::vector<int32_t> idx(count);
  for (int j = 0; j < count; ++j) idx[j] = (j * 13 + 5) % m;
  std::vector<T> B1(static_cast<size_t>(rows) * count), B2(B1.size()), B3(B1.size()), B4(B1.size());
  gather_columns(B1.data(), X.data(), idx.data(), rows, m, count);
  gather_rows(B2.data(), R.data(), idx.data(), 0, rows, count);
  bool ok = true;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < count; ++j) ok &= B1[static_cast<size_t>(i) * count + j] == X[static_cast<size_t>(i) * m + idx[j]];
  check(ok && same(B1, B2), std::string("gather_columns and gather_rows pick the indexed examples ") + tname<T>());
  copy_columns(B3.data(), X.data(), rows, m, 9, count);
  gather_rows(B4.data(), R.data(), nullptr, 9, rows, count);
  ok = true;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < count; ++j) ok &= B3[static_cast<size_t>(i) * count + j] == X[static_cast<size_t>(i) * m + 9 + j];
  check(ok && same(B3, B4), std::string("copy_columns and gather_rows from j0 ") + tname<T>());
}

void test_permutation() {
  // np.random.seed(0); np.random.permutation(10) (numpy 2.4, legacy generator).
  RandomState rs(0);
  int32_t p[10];
  rs.permutation(p, 10);
  const int32_t expected[10] = {2, 8, 4, 9, 1, 6, 7, 3, 0, 5};
  check(std::equal(p, p + 10, expected), "permutation(10) after seed(0) is numpy's");
  // A permutation of every size up to 300 holds each index once.
  bool ok = true;
  for (int n = 0; n <= 300; ++n) {
    std::vector<int32_t> q(n);
    rs.permutation(q.data(), n);
    std::vector<int> seen(n, 0);
    for (int32_t i : q) ok &= i >= 0 && i < n && ++seen[i] == 1;
  }
  check(ok, "permutation holds every index once");
  // ... and is Fisher-Yates over random_interval, draw for draw: the same
  // order and the same state after, over sizes that cross the state's refills.
  RandomState fast(5), plain(5);
  ok = true;
  for (int n : {2, 3, 4, 5, 17, 64, 300, 301, 623, 624, 625, 1000, 5000, 2, 1, 0, 300}) {
    std::vector<int32_t> q(n), r(n);
    fast.permutation(q.data(), n);
    for (int i = 0; i < n; ++i) r[i] = i;
    for (int i = n - 1; i >= 1; --i) std::swap(r[i], r[plain.random_interval(static_cast<uint32_t>(i))]);
    ok &= q == r && fast.next_uint32() == plain.next_uint32();
  }
  check(ok, "permutation == Fisher-Yates over random_interval, with the same draws");
  check(rs.random_interval(0) == 0, "random_interval(0) draws nothing and is 0");
}

}  // namespace

// split_range in pieces: every index once, each piece starting on the alignment.
void test_split_range() {
  const long n = 100003;
  for (int pieces : {1, 8}) {
    std::vector<int> seen(n, 0);
    std::vector<long> begins(64, -1);
    std::atomic<int> calls{0};
    split_range(n, 64, [&](long b, long e) {
      begins[calls.fetch_add(1)] = b;
      for (long i = b; i < e; ++i) ++seen[i];
    }, pieces);
    check(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }), "split_range covers every index once, " + std::to_string(pieces) + " pieces a thread");
    check(calls.load() == 2 * pieces, "split_range makes " + std::to_string(2 * pieces) + " pieces on two threads");
    check(std::all_of(begins.begin(), begins.begin() + calls.load(), [](long b) { return b % 64 == 0; }), "split_range pieces start aligned");
  }
}

int main() {
  set_num_threads(2);  // the large shapes run split over two threads, against serial twins
  std::printf("simd: %s\n", simd_level_name());
  test_activations<double>();
  test_activations<float>();
  test_softmax<double>();
  test_softmax<float>();
  test_optimizers<double>();
  test_optimizers<float>();
  test_gathers<double>();
  test_gathers<float>();
  test_permutation();
  test_split_range();
  return report();
}
