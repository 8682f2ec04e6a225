// Tests the optimizers' vector kernels (elementwise.h: gradient descent,
// momentum, RMSprop, Adam) level by level against their reference twins,
// above all on moments and gradients whose products are subnormal or nearly
// (optimizers_simd.h, subnormal_simd.h): every level's bits must be the
// reference's, on the subnormal-safe paths and on the hardware's, and with
// the path each kernel measures. Like test_elementwise, it runs once, at the best level, and
// exits 77 (skipped) where no vector level runs.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "elementwise_cases.h"
#include "optimizers.h"

namespace {

using namespace deepnet;
using namespace deepnet::testing;

// Overwrites most lanes of g, v and s with values that make the optimizers'
// products subnormal or nearly: subnormals, the smallest normals, the
// thresholds of optimizers_simd.h and either side of them, zeros; cycles of
// different lengths mix them, and every fourth lane stays normal. dead:
// only v is tiny, G is 0 there (a dead unit's weights), s stays normal.
template <typename T>
void tiny_moments(std::vector<T>& g, std::vector<T>& v, std::vector<T>& s, bool dead) {
  const T d = std::numeric_limits<T>::denorm_min(), lo = std::numeric_limits<T>::min();
  const T moments[] = {d, 3 * d, 4 * d, -5 * d, 77 * d, lo / 2, lo, T(1.01) * lo, T(0x1p-100) * T(0.99),
                       T(0x1p-100) * T(1.01), T(-0x1p-120), 0, T(0x1p-90)};
  const T gradients[] = {0, 3 * d, -lo, T(0x1p-56) * T(0.99), T(-0x1p-56) * T(1.01), T(0x1p-66), T(0x1p-70)};
  const T squares[] = {0, 2 * d, lo, T(0x1p-110), T(0x1p-100) * T(1.01)};
  for (size_t i = 0; i < g.size(); ++i) {
    if (i % 4 == 3) continue;
    v[i] = moments[i % 13];
    g[i] = dead ? 0 : gradients[i % 7];
    if (!dead) s[i] = squares[i % 5];
  }
}

template <typename T>
void test_optimizers() {
  const OptimizerKind kinds[] = {OptimizerKind::GD, OptimizerKind::Momentum, OptimizerKind::RMSprop, OptimizerKind::Adam};
  for (OptimizerKind kind : kinds) {
    OptimizerSettings o;
    o.kind = kind;
    // A normal step, with and without Adam's corrected moments; an Inf in the
    // last gradient (the tail) must be flagged; with epsilon 0, the zeros of
    // a partial vector's missing lanes (0 / 0) must not be; and moments and
    // gradients among and near the subnormal numbers (the float vectors
    // computed in double, optimizers_simd.h), mixed with normal lanes, or
    // tiny moments alone (Adam's split path); and steps late enough that
    // Adam's bias corrections are 1 (variants 5, 6, 7), then both (6).
    for (int variant = 0; variant < 8; ++variant) {
      const long t = variant == 5 || variant == 7 ? 500 : variant == 6 ? 40000 : 3;
      OptimizerSettings ov = o;
      if (variant == 2) ov.epsilon = 0;
      const std::string what = "optimizer_steps kind " + std::to_string(static_cast<int>(kind)) + " variant " + std::to_string(variant);
      check_kernel<T>(what, true, [=](auto k, long n, long offset) {
        std::vector<T> g = inputs<T>(n, 13 + n, false), s0 = inputs<T>(n, 14 + n, false);
        for (T& x : s0) x = x * x + T(0.01);
        if (variant == 1 && n > 0) g[n - 1] = std::numeric_limits<T>::infinity();
        std::vector<T> v0 = inputs<T>(n, 16 + n, false);
        if (variant >= 3) tiny_moments(g, v0, s0, variant == 4 || variant == 7);
        Buf<T> P(inputs<T>(n, 15 + n, false), offset), G(g, offset), v(v0, offset), s(s0, offset);
        Buf<T> P_new(n, offset), vh(n, offset), sh(n, offset);
        T* vh_p = variant == 0 || variant >= 4 ? vh.data() : nullptr;
        T* sh_p = variant == 0 || variant >= 4 ? sh.data() : nullptr;
        const bool finite =
            k ? k->optimizer_steps(kind, OptimizerScalars<T>(ov, 0.01, t), P_new.data(), P.data(), G.data(), v.data(),
                                   s.data(), n, vh_p, sh_p)
              : reference::optimizer_step(ov, P_new.data(), P.data(), G.data(), v.data(), s.data(), n, 0.01, t, vh_p, sh_p);
        Run r;
        r.add(P_new.all), r.add(v.all), r.add(s.all), r.add(vh.all), r.add(sh.all);
        r.add(std::vector<double>{finite ? 1.0 : 0.0});
        return r;
      });
    }
  }
}

// Momentum and Adam on random tiny moments (subnormals of every size, the
// least normals, values either side of 2^-1022 and of the thresholds) under
// random settings, with roundings on a half made on purpose (beta = 0.5 and
// lr = 0.75 on odd multiples of the least subnormal; epsilon 2 or 6 with G
// = 0 and s = 0 as the divisor) and by chance (large multiples over a random
// epsilon: the rounded quotient often lands on a half that the exact one
// is not on): every level's bits against the reference's, in P_new, v, s,
// v_hat and s_hat (optimizers_simd.h, subnormal_simd.h), on the path forced
// (the safe one or the hardware's).
template <typename T>
void test_tiny_moments_fuzz(TinyMomentPath path) {
  set_tiny_moment_path(path);
  const bool safe = path == TinyMomentPath::Checked;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0, 1);
  const int digits = std::numeric_limits<T>::digits - 1;  // a subnormal's mantissa bits
  const int least_exponent = std::numeric_limits<T>::min_exponent - 1;
  const int tiny_exponent = sizeof(T) == 8 ? -900 : -100;
  const long n = 203;  // vectors and a tail, inside one block
  for (const Level& level : levels()) {
    std::string fail;
    const long blocks = optimizer_checked_blocks.load();
    for (int trial = 0; trial < 600 && fail.empty(); ++trial) {
      OptimizerSettings o;
      o.kind = trial % 2 ? OptimizerKind::Adam : OptimizerKind::Momentum;
      double lr = 1;
      switch (trial / 2 % 4) {
        case 0: o.beta = o.beta1 = 0.5, o.epsilon = trial % 3 ? 2 : 6; break;
        case 1: o.beta = o.beta1 = 0.5 + 0.499 * unit(rng), lr = 0.75, o.epsilon = trial % 5 ? 1e-8 : 0; break;
        case 2: o.beta = o.beta1 = 0.9, lr = 1e-4 + 3 * unit(rng), o.epsilon = 1 + 7 * unit(rng); break;
        default: o.beta = o.beta1 = unit(rng), lr = std::ldexp(1.0, -20 + static_cast<int>(30 * unit(rng))), o.epsilon = 1e-8;
      }
      const long t = trial % 3 == 0 ? 1 : trial % 3 == 1 ? 4 : 1000;
      const bool dead = trial % 4 < 2;  // G = 0 and s = 0: the denominator is epsilon
      std::vector<T> P(n), G(n), v(n), s(n);
      for (long i = 0; i < n; ++i) {
        P[i] = T(unit(rng) * 2 - 1);
        G[i] = dead || unit(rng) < 0.7 ? T(0) : T(unit(rng) - 0.5);
        s[i] = dead ? T(0) : T(unit(rng) + 0.01);
        const double u = unit(rng), sign = unit(rng) < 0.5 ? -1 : 1;
        const T least = std::numeric_limits<T>::denorm_min();
        const auto multiple = [&](double k) { return T(sign * std::floor(k)) * least; };  // exact: k < 2^digits
        if (u < 0.15) v[i] = multiple(1 + 16 * unit(rng));
        else if (u < 0.45) v[i] = multiple(std::ldexp(1 + unit(rng), digits - 1 - static_cast<int>(4 * unit(rng))));
        else if (u < 0.6) v[i] = multiple(std::ldexp(1.0, digits) * unit(rng));
        else if (u < 0.8) v[i] = T(sign * std::ldexp(1 + unit(rng), least_exponent + static_cast<int>((tiny_exponent - least_exponent + 2) * unit(rng))));
        else if (u < 0.9) v[i] = 0;
        else v[i] = T(sign * unit(rng));
      }
      std::vector<T> P1 = P, v1 = v, s1 = s, vh1(n), sh1(n), P2 = P, v2 = v, s2 = s, vh2(n), sh2(n);
      const bool f1 = level.kernels->of<T>().optimizer_steps(o.kind, OptimizerScalars<T>(o, lr, t), P1.data(), P1.data(), G.data(),
                                                              v1.data(), s1.data(), n, vh1.data(), sh1.data());
      const bool f2 = reference::optimizer_step(o, P2.data(), P2.data(), G.data(), v2.data(), s2.data(), n, lr, t, vh2.data(), sh2.data());
      if (!(same(P1, P2) && same(v1, v2) && same(s1, s2) && same(vh1, vh2) && same(sh1, sh2) && f1 == f2))
        fail = "trial " + std::to_string(trial);
    }
    const std::string what = std::string("optimizer_steps tiny moments fuzz ") + tname<T>() + " " + level.name +
                             (safe ? " (safe path)" : " (hardware's path)");
    check(fail.empty(), what + " " + fail);
    check((optimizer_checked_blocks.load() > blocks) == safe, what + ": the path taken");
  }
}

// One step of 8 equal values, G = 0 and s = 0 (the denominator is epsilon):
// the level's bits against the reference's, and whether the subnormal-safe
// paths ran (optimizer_checked_blocks counted a block).
template <typename T>
void check_tiny_case(const std::string& what, OptimizerSettings o, double lr, long t, T v0, T p0, bool safe_path) {
  const long n = 8;
  for (const Level& level : levels()) {
    std::vector<T> P(n, p0), G(n, 0), v(n, v0), s(n, 0), P2 = P, v2 = v, s2 = s;
    const long before = optimizer_checked_blocks.load();
    level.kernels->of<T>().optimizer_steps(o.kind, OptimizerScalars<T>(o, lr, t), P.data(), P.data(), G.data(), v.data(),
                                           s.data(), n, nullptr, nullptr);
    const bool counted = optimizer_checked_blocks.load() > before;
    reference::optimizer_step(o, P2.data(), P2.data(), G.data(), v2.data(), s2.data(), n, lr, t);
    check(same(P, P2) && same(v, v2) && same(s, s2) && counted == safe_path,
          "optimizer_steps " + what + " " + tname<T>() + " " + level.name + (counted == safe_path ? "" : ": the path"));
  }
}

// The edges of subnormal_simd.h's ranges, each a wrong result if its check
// were missing (found by a review's mutation runs), and the paths' counter.
void test_tiny_moment_edges() {
  OptimizerSettings adam;
  adam.kind = OptimizerKind::Adam;
  OptimizerSettings o = adam;
  o.beta1 = 0.5, o.epsilon = 2;  // 2^-1021 / 2 rounds to 2^-1022: the boundary of unscale
  check_tiny_case<double>("a quotient of 2^52 scaled", o, 1, 1000, 0x1p-1020, 0.0, true);
  o = adam, o.epsilon = 1e-300;  // a denominator below Scaled's range
  check_tiny_case<double>("a denominator of 1e-300", o, 0.01, 1000, 0x1p-1000, 0.5, true);
  o = adam;                      // lr * v_hat rounds to -0, and -0 - (-0) is +0
  check_tiny_case<double>("-0 minus a zero quotient", o, 1e-8, 1000, -0x1p-1074, -0.0, true);
  check_tiny_case<float>("-0 minus a zero quotient", o, 1e-8, 1000, -0x1p-149f, -0.0f, true);
  o = adam, o.beta1 = 1.5;       // bias1 = -0.5: out of range, the hardware's path
  check_tiny_case<double>("a negative bias correction", o, 0.01, 1, 0x1p-1050, 0.5, false);
  o = adam;                      // normal moments: no block checked
  check_tiny_case<double>("normal moments", o, 0.01, 3, 0.25, 0.5, false);
  check_tiny_case<float>("normal moments", o, 0.01, 3, 0.25f, 0.5f, false);
}

// Measured (the default): a kernel times both paths at its first tiny block,
// records its choice once, takes it (the safe path's blocks are counted, the
// hardware's not) and gives the reference's bits either way.
template <typename T>
void test_measured_path() {
  set_tiny_moment_path(TinyMomentPath::Measured);
  const long n = 1000;
  const T least = std::numeric_limits<T>::denorm_min();
  for (const Level& level : levels())
    for (OptimizerKind kind : {OptimizerKind::Momentum, OptimizerKind::RMSprop, OptimizerKind::Adam}) {
      if (kind == OptimizerKind::RMSprop && sizeof(T) == 8) continue;  // left to the hardware in double
      OptimizerSettings o;
      o.kind = kind;
      const std::string what = std::string("measured path ") + tname<T>() + " " + level.name + " kind " +
                               std::to_string(static_cast<int>(kind));
      const size_t recorded = tiny_moment_choices().size();
      for (int call = 0; call < 2; ++call) {
        std::vector<T> P(n), G(n, T(0)), v(n), s(n, T(1e-12));
        for (long i = 0; i < n; ++i) P[i] = T(0.001 * (i % 997)), v[i] = T(1 + i % 7) * least;
        if (kind == OptimizerKind::RMSprop) s = v;  // its decaying moment
        std::vector<T> P2 = P, v2 = v, s2 = s;
        const long blocks = optimizer_checked_blocks.load();
        level.kernels->of<T>().optimizer_steps(kind, OptimizerScalars<T>(o, 0.01, 3), P.data(), P.data(), G.data(),
                                               v.data(), s.data(), n, nullptr, nullptr);
        const bool counted = optimizer_checked_blocks.load() > blocks;
        reference::optimizer_step(o, P2.data(), P2.data(), G.data(), v2.data(), s2.data(), n, 0.01, 3);
        check(same(P, P2) && same(v, v2) && same(s, s2), what + " call " + std::to_string(call) + ": the reference's bits");
        const std::vector<std::string> choices = tiny_moment_choices();
        check(choices.size() == recorded + 1, what + " call " + std::to_string(call) + ": one choice recorded");
        if (choices.size() != recorded + 1) continue;
        const std::string& choice = choices.back();
        const bool safe = choice.find(": the safe path, the hardware's ") != std::string::npos;
        check(choice.find(std::string(" (") + level.name + "): ") != std::string::npos &&
                  (safe || choice.find(": the hardware's, the safe path ") != std::string::npos) && counted == safe,
              what + " call " + std::to_string(call) + ": took its choice, " + choice);
        if (call == 0) std::printf("%s\n", choice.c_str());
      }
    }
}

}  // namespace

int main() {
  std::printf("simd: %s\n", simd_level_name());
  if (levels().empty()) {
    std::printf("no vector level runs here (%s): nothing to test\n", simd_level_name());
    return 77;
  }
  // The safe paths, forced whatever this CPU measures faster, then the
  // hardware's, then the choice measured.
  for (TinyMomentPath path : {TinyMomentPath::Checked, TinyMomentPath::Hardware}) {
    set_tiny_moment_path(path);  // test_tiny_moments_fuzz sets it too
    test_optimizers<double>();
    test_optimizers<float>();
    test_tiny_moments_fuzz<double>(path);
    test_tiny_moments_fuzz<float>(path);
  }
  set_tiny_moment_path(TinyMomentPath::Checked);
  test_tiny_moment_edges();
  test_measured_path<double>();
  test_measured_path<float>();
  return report();
}
