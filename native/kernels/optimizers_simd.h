// The vector bodies of the optimizers' steps (optimizers.h has the formulas,
// optimizers.cc the reference step1): the same IEEE operations in T, a
// vector at a time, so the reference's bits, with the divergence guard's
// finite check fused in.
//
// Subnormal floats: a weight whose gradient stays 0 (a dead ReLU unit) sees
// its momentum v shrink by beta each step until it sits among the subnormal
// numbers, where x86 multiplies, divides and square roots take a microcode
// assist of about 100 cycles each (adds, compares and conversions do not):
// W4 ran 3x slower per epoch after its tenth epoch. A float vector with such
// a lane (v, s or G tiny: see `kTiny`) is computed in double instead, each
// operation rounded to float: a +, -, *, / or sqrt of floats computed in
// double and rounded to float is the float operation's correctly rounded
// result (53 >= 2 * 24 + 2 bits, Figueroa 1995), subnormal results included,
// and doubles of that size are normal: the same bits, without the assists.
// Doubles have no wider type here and keep the hardware's slow path.
//
// Level-generic: see elementwise_level.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {
namespace optimizers {

// The step's scalars splatted into V's lanes (float scalars widen exactly).
template <typename V>
struct Splats {
  using W = typename V::type;
  W lr, eps, beta, omb, beta1, omb1, beta2, omb2, bias1, bias2;
  template <typename T>
  explicit Splats(const OptimizerScalars<T>& c)
      : lr(V::splat(c.lr)), eps(V::splat(c.eps)), beta(V::splat(c.beta)), omb(V::splat(c.one_minus_beta)),
        beta1(V::splat(c.beta1)), omb1(V::splat(c.one_minus_beta1)), beta2(V::splat(c.beta2)),
        omb2(V::splat(c.one_minus_beta2)), bias1(V::splat(c.bias1)), bias2(V::splat(c.bias2)) {}
};

// Rounding after each operation: none when V's lanes are the arrays' type,
// to float when V computes a float array in double.
struct Exact {
  template <typename W>
  DEEPNET_SIMD_INLINE W operator()(W x) const { return x; }
};
template <typename V>
struct ToFloat {
  DEEPNET_SIMD_INLINE typename V::type operator()(typename V::type x) const { return V::round_to_float(x); }
};

// Adam in two halves, so that a vector whose only tiny lanes are in v can
// compute the first in float and the second in double: the second moment s
// (stored, with s_hat) and the denominator sqrt(s_hat) + eps; then the first
// moment v (stored, with v_hat) and the new parameters.
// unit1, unit2: Adam's bias corrections are 1 (after some 160 steps in float,
// 350 in double, for beta1 = 0.9): x / 1 is x, bit for bit, so the division
// (a quarter of the step's time) is left out.
template <typename V, bool unit2, typename T, typename Io, typename R>
DEEPNET_SIMD_INLINE typename V::type adam_denominator(const Splats<V>& c, typename V::type g, T* s, T* sh, long i,
                                                      Io io, R r) {
  using W = typename V::type;
  const W si = r(r(c.beta2 * io.load(s + i)) + r(c.omb2 * r(g * g)));
  io.store(s + i, si);
  const W s_hat = unit2 ? si : r(si / c.bias2);
  if (sh) io.store(sh + i, s_hat);
  return r(r(V::sqrt(s_hat)) + c.eps);
}
template <typename V, bool unit1, typename T, typename Io, typename R>
DEEPNET_SIMD_INLINE typename V::type adam_update(const Splats<V>& c, typename V::type p, typename V::type g, T* v,
                                                 T* vh, typename V::type denominator, long i, Io io, R r) {
  using W = typename V::type;
  const W vi = r(r(c.beta1 * io.load(v + i)) + r(c.omb1 * g));
  io.store(v + i, vi);
  const W v_hat = unit1 ? vi : r(vi / c.bias1);
  if (vh) io.store(vh + i, v_hat);
  return r(p - r(r(c.lr * v_hat) / denominator));
}

// Stores a vector's new parameters; returns the lanes where they are finite.
template <typename V, typename T, typename Io>
DEEPNET_SIMD_INLINE typename V::mask store_checked(T* P_new, typename V::type out, long i, Io io) {
  io.store(P_new + i, out);
  // x - x is 0 for finite x, NaN otherwise; lanes past the end count as finite.
  const typename V::type kept = io.pad(out, V::zero());
  return V::eq(kept - kept, V::zero());
}

// One vector of the step at element i; returns the lanes where P_new is finite.
template <typename V, OptimizerKind kind, bool unit1, bool unit2, typename T, typename Io, typename R>
DEEPNET_SIMD_INLINE typename V::mask step(const Splats<V>& c, T* P_new, const T* P, const T* G, T* v, T* s,
                                          T* vh, T* sh, long i, Io io, R r) {
  using W = typename V::type;
  const W p = io.load(P + i), g = io.load(G + i);
  W out;
  if (kind == OptimizerKind::GD) {
    out = r(p - r(c.lr * g));
  } else if (kind == OptimizerKind::Momentum) {
    const W vi = r(r(c.beta * io.load(v + i)) + r(c.omb * g));
    io.store(v + i, vi);
    out = r(p - r(c.lr * vi));
  } else if (kind == OptimizerKind::RMSprop) {
    const W si = r(r(c.beta2 * io.load(s + i)) + r(c.omb2 * r(g * g)));
    io.store(s + i, si);
    out = r(p - r(r(c.lr * g) / r(r(V::sqrt(si)) + c.eps)));
  } else {
    out = adam_update<V, unit1>(c, p, g, v, vh, adam_denominator<V, unit2>(c, g, s, sh, i, io, r), i, io, r);
  }
  return store_checked<V>(P_new, out, i, io);
}

// Below these, a float lane's products may be subnormal: v or s times a beta
// or a bias correction, lr times v_hat for lr down to 1e-8, G * G.
constexpr float kTiny = 0x1p-100f, kTinyGradient = 0x1p-56f;

// The lanes of a float vector at i that are tiny in G, v or s.
template <typename V, typename Io>
DEEPNET_SIMD_INLINE typename V::mask tiny_lanes(const float* G, const float* v, const float* s, long i, Io io) {
  typename V::mask m = V::tiny(io.load(G + i), kTinyGradient);
  if (v) m = V::either(m, V::tiny(io.load(v + i), kTiny));
  if (s) m = V::either(m, V::tiny(io.load(s + i), kTiny));
  return m;
}

// One vector of float arrays with tiny lanes, at element i, count elements:
// in double, rounded to float at each operation (or Adam's split, above).
template <typename V, OptimizerKind kind, bool unit1, bool unit2, typename Io>
DEEPNET_SIMD_INLINE bool widened_step(const OptimizerScalars<float>& c, float* P_new, const float* P,
                                      const float* G, float* v, float* s, float* vh, float* sh, long i, long count,
                                      Io io) {
  using D = Vec<double>;
  const Splats<D> kd(c);
  const bool split = kind == OptimizerKind::Adam && !V::any(tiny_lanes<V>(G, nullptr, s, i, io));
  float denominator[V::lanes];
  if (split) V::store(denominator, adam_denominator<V, unit2>(Splats<V>(c), io.load(G + i), s, sh, i, io, Exact{}));
  bool finite = true;
  for_each_vector<D>(count, [&](long j, auto jo) {
    const long at = i + j;
    finite &= D::all(split ? store_checked<D>(P_new, adam_update<D, unit1>(kd, jo.load(P + at), jo.load(G + at), v, vh,
                                                                          jo.load(denominator + j), at, jo,
                                                                          ToFloat<D>{}),
                                              at, jo)
                           : step<D, kind, unit1, unit2>(kd, P_new, P, G, v, s, vh, sh, at, jo, ToFloat<D>{}));
  });
  return finite;
}

// The n steps in T's arithmetic (the hardware's, also for any subnormals).
template <typename V, OptimizerKind kind, bool unit1, bool unit2, typename T>
bool plain_steps(const Splats<V>& k, T* P_new, const T* P, const T* G, T* v, T* s, long n, T* vh, T* sh) {
  typename V::mask finite = V::eq(V::zero(), V::zero());  // all lanes
  for_each_vector<V>(n, [&](long i, auto io) {
    finite = V::both(finite, step<V, kind, unit1, unit2>(k, P_new, P, G, v, s, vh, sh, i, io, Exact{}));
  });
  return V::all(finite);
}

// The n steps of float arrays, each vector with a tiny lane widened.
template <typename V, OptimizerKind kind, bool unit1, bool unit2>
bool checked_steps(const OptimizerScalars<float>& c, float* P_new, const float* P, const float* G, float* v, float* s,
                   long n, float* vh, float* sh) {
  const Splats<V> k(c);
  bool finite = true;
  for_each_vector<V>(n, [&](long i, auto io) {
    if (V::any(tiny_lanes<V>(G, v, s, i, io))) {
      finite &= widened_step<V, kind, unit1, unit2>(c, P_new, P, G, v, s, vh, sh, i, n - i < V::lanes ? n - i : V::lanes, io);
    } else {
      finite &= V::all(step<V, kind, unit1, unit2>(k, P_new, P, G, v, s, vh, sh, i, io, Exact{}));
    }
  });
  return finite;
}

// Float arrays go by blocks of 256; a block whose decaying moment (v, or s
// for RMSprop: where G stays 0 it shrinks by beta each step) has a tiny
// value goes vector by vector, checking G, v and s. Other tiny values (a G
// or s below 1e-17 next to normal moments) are left to the hardware, as is
// gradient descent, whose one product lr * G is subnormal only for
// gradients below 1e-38 / lr.
template <typename V, OptimizerKind kind, bool unit1 = false, bool unit2 = false, typename T = typename V::element>
bool steps(const OptimizerScalars<T>& c, T* P_new, const T* P, const T* G, T* v, T* s, long n, T* vh, T* sh) {
  const Splats<V> k(c);
  if constexpr (sizeof(T) == 8 || kind == OptimizerKind::GD) {
    return plain_steps<V, kind, unit1, unit2>(k, P_new, P, G, v, s, n, vh, sh);
  } else {
    constexpr long kBlock = 256;
    const float* watch = kind == OptimizerKind::RMSprop ? s : v;
    bool finite = true;
    auto at = [](T* x, long b) { return x ? x + b : x; };
    for (long b = 0; b < n; b += kBlock) {
      const long len = n - b < kBlock ? n - b : kBlock;
      auto acc = V::tiny_scan_start();
      for_each_vector<V>(len, [&](long i, auto io) { acc = V::tiny_scan(acc, io.load(watch + b + i)); });
      finite &= V::any_tiny(acc, kTiny)
                    ? checked_steps<V, kind, unit1, unit2>(c, P_new + b, P + b, G + b, at(v, b), at(s, b), len,
                                                           at(vh, b), at(sh, b))
                    : plain_steps<V, kind, unit1, unit2>(k, P_new + b, P + b, G + b, at(v, b), at(s, b), len,
                                                         at(vh, b), at(sh, b));
    }
    return finite;
  }
}

// RMSprop and Adam run 256-bit vectors at the AVX-512 level too: their
// divisions and square roots bound them, the 512-bit divider does no more
// per cycle than two 256-bit ones, and they measured 3-8% slower on 512 bits
// (docs/performance.md). Gradient descent and momentum gain from 512 bits.
template <typename T>
bool optimizer_steps(OptimizerKind kind, const OptimizerScalars<T>& c, T* P_new, const T* P, const T* G, T* v,
                     T* s, long n, T* vh, T* sh) {
  switch (kind) {
    case OptimizerKind::GD: return steps<Vec<T>, OptimizerKind::GD>(c, P_new, P, G, v, s, n, vh, sh);
    case OptimizerKind::Momentum: return steps<Vec<T>, OptimizerKind::Momentum>(c, P_new, P, G, v, s, n, vh, sh);
    case OptimizerKind::RMSprop: return steps<Vec256<T>, OptimizerKind::RMSprop>(c, P_new, P, G, v, s, n, vh, sh);
    case OptimizerKind::Adam: break;
  }
  constexpr OptimizerKind A = OptimizerKind::Adam;
  if (c.bias1 != T(1)) return steps<Vec256<T>, A>(c, P_new, P, G, v, s, n, vh, sh);
  if (c.bias2 != T(1)) return steps<Vec256<T>, A, true>(c, P_new, P, G, v, s, n, vh, sh);
  return steps<Vec256<T>, A, true, true>(c, P_new, P, G, v, s, n, vh, sh);
}

}  // namespace optimizers
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
