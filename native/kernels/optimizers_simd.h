// The vector bodies of the optimizers' steps (optimizers.h has the formulas,
// optimizers.cc the reference step1): the same IEEE operations in T, a
// vector at a time, so the reference's bits, with the divergence guard's
// finite check fused in.
//
// Subnormal moments: a weight whose gradient stays 0 (a dead ReLU unit) sees
// its momentum v shrink by beta each step until it sits among the subnormal
// numbers (after some 700 steps in float, 6600 in double), where Intel's
// x86 cores take a microcode assist of about 100 cycles for each multiply,
// divide and square root (adds, compares and conversions take none): W4 ran
// 3x slower per epoch after its tenth epoch. A vector with such a lane can be
// computed by other means that give the same bits without the assists:
//   float: in double, each operation rounded to float; a +, -, *, / or sqrt
//     of floats computed in double and rounded to float is the float
//     operation's correctly rounded result (53 >= 2 * 24 + 2 bits, Figueroa
//     1995), subnormal results included, and such doubles are normal;
//   double: the products and quotients of v's chain by subnormal_simd.h's
//     scaled integer rounding (momentum, and Adam when its denominator is
//     in range; RMSprop's s takes some 700000 steps to get there and is
//     left to the hardware).
// The arithmetic is a policy (Exact, ToFloat, Scaled) of one formula. Other
// CPUs take no such assist (AMD's Zen 3: none for multiplies, a few cycles
// for divisions), and there the hardware's path is the faster: each optimizer
// measures both once per dtype and level, at its first tiny block (checked_pays).
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

// The arithmetic: V's own (Exact); a float array's in double, rounded to
// float after each operation (ToFloat); a double array's with subnormal_simd.h's
// products c * x and quotients x / d for tiny x (Scaled: the constant or the
// denominator first).
// zero_quotients: whether Adam's last quotient is left out where its numerator
// is 0 in every lane (a dead unit's moment once lr * v_hat rounds to 0: 0 / d
// is 0, of the numerator's sign, for d > 0); not worth a compare in Exact.
template <typename V>
struct Exact {
  using W = typename V::type;
  static constexpr bool zero_quotients = false;
  DEEPNET_SIMD_INLINE W mul(W a, W b) const { return a * b; }
  DEEPNET_SIMD_INLINE W div(W a, W b) const { return a / b; }
  DEEPNET_SIMD_INLINE W add(W a, W b) const { return a + b; }
  DEEPNET_SIMD_INLINE W sub(W a, W b) const { return a - b; }
  DEEPNET_SIMD_INLINE W sqrt(W a) const { return V::sqrt(a); }
};
template <typename V>
struct ToFloat {
  using W = typename V::type;
  static constexpr bool zero_quotients = true;
  static DEEPNET_SIMD_INLINE W r(W x) { return V::round_to_float(x); }
  DEEPNET_SIMD_INLINE W mul(W a, W b) const { return r(a * b); }
  DEEPNET_SIMD_INLINE W div(W a, W b) const { return r(a / b); }
  DEEPNET_SIMD_INLINE W add(W a, W b) const { return r(a + b); }
  DEEPNET_SIMD_INLINE W sub(W a, W b) const { return r(a - b); }
  DEEPNET_SIMD_INLINE W sqrt(W a) const { return r(V::sqrt(a)); }
};
template <typename V>
struct Scaled : Exact<V> {
  using W = typename V::type;
  static constexpr bool zero_quotients = true;
  DEEPNET_SIMD_INLINE W mul(W c, W x) const { return subnormal::mul<V>(c, x); }
  DEEPNET_SIMD_INLINE W div(W x, W d) const { return subnormal::div<V>(x, d); }
};

// Adam in two halves, so that a vector whose only tiny lanes are in v can
// compute the first in T and the second by other means: the second moment s
// (stored, with s_hat) and the denominator sqrt(s_hat) + eps; then the first
// moment v (stored, with v_hat) and the new parameters.
// unit1, unit2: Adam's bias corrections are 1 (after some 160 steps in float,
// 350 in double, for beta1 = 0.9): x / 1 is x, bit for bit, so the division
// (a quarter of the step's time) is left out.
template <typename V, bool unit2, typename T, typename Io, typename A>
DEEPNET_SIMD_INLINE typename V::type adam_denominator(const Splats<V>& c, typename V::type g, T* s, T* sh, long i,
                                                      Io io, A a) {
  using W = typename V::type;
  const W si = a.add(a.mul(c.beta2, io.load(s + i)), a.mul(c.omb2, a.mul(g, g)));
  io.store(s + i, si);
  const W s_hat = unit2 ? si : a.div(si, c.bias2);
  if (sh) io.store(sh + i, s_hat);
  return a.add(a.sqrt(s_hat), c.eps);
}
template <typename V, bool unit1, typename T, typename Io, typename A>
DEEPNET_SIMD_INLINE typename V::type adam_update(const Splats<V>& c, typename V::type p, typename V::type g, T* v,
                                                 T* vh, typename V::type denominator, long i, Io io, A a) {
  using W = typename V::type;
  const W vi = a.add(a.mul(c.beta1, io.load(v + i)), a.mul(c.omb1, g));
  io.store(v + i, vi);
  const W v_hat = unit1 ? vi : a.div(vi, c.bias1);
  if (vh) io.store(vh + i, v_hat);
  const W numerator = a.mul(c.lr, v_hat);
  if (A::zero_quotients && V::all(V::both(V::eq(numerator, V::zero()), V::gt(denominator, V::zero()))))
    return a.sub(p, numerator);
  return a.sub(p, a.div(numerator, denominator));
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
template <typename V, OptimizerKind kind, bool unit1, bool unit2, typename T, typename Io, typename A>
DEEPNET_SIMD_INLINE typename V::mask step(const Splats<V>& c, T* P_new, const T* P, const T* G, T* v, T* s,
                                          T* vh, T* sh, long i, Io io, A a) {
  using W = typename V::type;
  const W p = io.load(P + i), g = io.load(G + i);
  W out;
  if (kind == OptimizerKind::GD) {
    out = a.sub(p, a.mul(c.lr, g));
  } else if (kind == OptimizerKind::Momentum) {
    const W vi = a.add(a.mul(c.beta, io.load(v + i)), a.mul(c.omb, g));
    io.store(v + i, vi);
    out = a.sub(p, a.mul(c.lr, vi));
  } else if (kind == OptimizerKind::RMSprop) {
    const W si = a.add(a.mul(c.beta2, io.load(s + i)), a.mul(c.omb2, a.mul(g, g)));
    io.store(s + i, si);
    out = a.sub(p, a.div(a.mul(c.lr, g), a.add(a.sqrt(si), c.eps)));
  } else {
    out = adam_update<V, unit1>(c, p, g, v, vh, adam_denominator<V, unit2>(c, g, s, sh, i, io, a), i, io, a);
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
// in double, rounded to float at each operation (Adam's first half in float
// when only v has tiny lanes).
template <typename V, OptimizerKind kind, bool unit1, bool unit2, typename Io>
DEEPNET_SIMD_INLINE bool widened_step(const Splats<V>& k, const Splats<Vec<double>>& kd, float* P_new, const float* P,
                                      const float* G, float* v, float* s, float* vh, float* sh, long i, long count,
                                      Io io) {
  using D = Vec<double>;
  const bool split = kind == OptimizerKind::Adam && !V::any(tiny_lanes<V>(G, nullptr, s, i, io));
  float denominator[V::lanes];
  if (split) V::store(denominator, adam_denominator<V, unit2>(k, io.load(G + i), s, sh, i, io, Exact<V>{}));
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

// Whether Scaled's products by the step's constants, and Adam's quotient by
// its bias correction, are in subnormal_simd.h's ranges.
template <OptimizerKind kind>
bool scalable(const OptimizerScalars<double>& c) {
  const auto factor = [](double x) { return x == 0 || (std::fabs(x) >= 0x1p-100 && std::fabs(x) <= 0x1p100); };
  if (kind == OptimizerKind::Momentum) return factor(c.lr) && factor(c.beta) && factor(c.one_minus_beta);
  return factor(c.lr) && factor(c.beta1) && factor(c.one_minus_beta1) && c.bias1 >= 0x1p-500 && c.bias1 <= 0x1p500;
}

// One vector of double arrays with tiny lanes in v: momentum scaled, Adam's
// second half scaled where its denominator is in range; else as T computes it.
template <typename V, OptimizerKind kind, bool unit1, bool unit2, typename Io>
DEEPNET_SIMD_INLINE typename V::mask scaled_step(const Splats<V>& k, double* P_new, const double* P, const double* G,
                                                 double* v, double* s, double* vh, double* sh, long i, Io io) {
  if (kind == OptimizerKind::Momentum) return step<V, kind, unit1, unit2>(k, P_new, P, G, v, s, vh, sh, i, io, Scaled<V>{});
  const typename V::type g = io.load(G + i);
  const typename V::type d = adam_denominator<V, unit2>(k, g, s, sh, i, io, Exact<V>{});
  const auto update = [&](auto a) {
    return store_checked<V>(P_new, adam_update<V, unit1>(k, io.load(P + i), g, v, vh, d, i, io, a), i, io);
  };
  const bool in_range = V::all(V::both(V::le(V::splat(0x1p-500), d), V::le(d, V::splat(0x1p500))));
  return in_range ? update(Scaled<V>{}) : update(Exact<V>{});
}

// The n steps in T's arithmetic (the hardware's, also for any subnormals).
template <typename V, OptimizerKind kind, bool unit1, bool unit2, typename T>
bool plain_steps(const Splats<V>& k, T* P_new, const T* P, const T* G, T* v, T* s, long n, T* vh, T* sh) {
  typename V::mask finite = V::eq(V::zero(), V::zero());  // all lanes
  for_each_vector<V>(n, [&](long i, auto io) {
    finite = V::both(finite, step<V, kind, unit1, unit2>(k, P_new, P, G, v, s, vh, sh, i, io, Exact<V>{}));
  });
  return V::all(finite);
}

// The n steps, each vector with a tiny lane computed by the means above.
template <typename V, OptimizerKind kind, bool unit1, bool unit2, typename T>
bool checked_steps(const OptimizerScalars<T>& c, T* P_new, const T* P, const T* G, T* v, T* s, long n, T* vh, T* sh) {
  const Splats<V> k(c);
  [[maybe_unused]] const Splats<Vec<double>> kd(c);  // float arrays' widened vectors
  bool finite = true;
  for_each_vector<V>(n, [&](long i, auto io) {
    if constexpr (sizeof(T) == 4) {
      if (V::any(tiny_lanes<V>(G, v, s, i, io))) {
        finite &= widened_step<V, kind, unit1, unit2>(k, kd, P_new, P, G, v, s, vh, sh, i, n - i < V::lanes ? n - i : V::lanes, io);
        return;
      }
    } else {
      if (V::any(V::tiny(io.load(v + i), subnormal::kTinyDouble))) {
        finite &= V::all(scaled_step<V, kind, unit1, unit2>(k, P_new, P, G, v, s, vh, sh, i, io));
        return;
      }
    }
    finite &= V::all(step<V, kind, unit1, unit2>(k, P_new, P, G, v, s, vh, sh, i, io, Exact<V>{}));
  });
  return finite;
}

#define DEEPNET_LEVEL_NAME_(level) #level
#define DEEPNET_LEVEL_NAME(level) DEEPNET_LEVEL_NAME_(level)

// One optimizer's choice for its tiny blocks, per dtype at this level (its
// variants without Adam's bias divisions share it): measured once, by the
// first variant to meet a tiny block.
template <typename V, OptimizerKind kind, typename T>
struct TinyChoice {
  static inline std::once_flag measured;
  static inline bool safe_path = true;               // written once, under `measured`
  static inline std::atomic<bool> on_hardware{false};  // lets later steps skip the scan too
};

// Times checked_steps against the hardware's arithmetic on a dead unit's
// values (G = 0, the decaying moment among the subnormals, 2048 of them, on
// a cache line's boundary like the model's arrays) with the caller's scalars:
// the best of 7 runs of each, in alternating order (the two differ 2-8x
// either way where measured: Intel's assists, Zen 3's slower safe path).
// Whether the safe path is faster; the choice is recorded.
template <typename V, OptimizerKind kind, bool unit1, bool unit2, typename T>
bool measure_safe_path(const OptimizerScalars<T>& c) {
  constexpr long n = 2048, line = 64 / sizeof(T);
  const T least = std::numeric_limits<T>::denorm_min();
  const Splats<V> k(c);
  std::vector<T> buffer(5 * n + line);
  T* const P = buffer.data() + (line - reinterpret_cast<uintptr_t>(buffer.data()) / sizeof(T) % line) % line;
  T *const G = P + n, *const out = G + n, *const v = out + n, *const s = v + n;
  std::fill(P, P + n, T(0.5));
  std::fill(G, G + n, T(0));
  T* const vp = kind == OptimizerKind::RMSprop ? nullptr : v;
  T* const sp = kind == OptimizerKind::Momentum ? nullptr : s;
  const auto seconds = [&](bool safe) {
    for (long i = 0; i < n; ++i) {
      v[i] = T(1 + i % 7) * least * T(i % 2 ? -1 : 1);
      s[i] = kind == OptimizerKind::RMSprop ? T(1 + i % 5) * least : T(1e-12);  // Adam's s decays slowly: normal
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (safe) checked_steps<V, kind, unit1, unit2, T>(c, out, P, G, vp, sp, n, nullptr, nullptr);
    else plain_steps<V, kind, unit1, unit2, T>(k, out, P, G, vp, sp, n, nullptr, nullptr);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  double safe = 1e30, hardware = 1e30;
  for (int r = 0; r < 14; ++r) {
    const bool take_safe = (r % 2 == 0) == (r / 2 % 2 == 0);  // pairs safe-hardware, then hardware-safe
    double& best = take_safe ? safe : hardware;
    best = std::min(best, seconds(take_safe));
  }
  const bool faster = safe < hardware;
  static const char* const kinds[] = {"gd", "momentum", "rmsprop", "adam"};
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.2fx", faster ? hardware / safe : safe / hardware);
  record_tiny_moment_choice(std::string(sizeof(T) == 4 ? "float32 " : "float64 ") + kinds[int(kind)] + " (" +
                            DEEPNET_LEVEL_NAME(DEEPNET_LEVEL) + "): " +
                            (faster ? "the safe path, the hardware's " : "the hardware's, the safe path ") + ratio +
                            " its time");
  return faster;
}

// Whether this optimizer's tiny blocks take checked_steps (measuring that once).
template <typename V, OptimizerKind kind, bool unit1, bool unit2, typename T>
bool checked_pays(const OptimizerScalars<T>& c) {
  using Choice = TinyChoice<V, kind, T>;
  std::call_once(Choice::measured, [&] {
    Choice::safe_path = measure_safe_path<V, kind, unit1, unit2>(c);
    if (!Choice::safe_path) Choice::on_hardware.store(true);
  });
  return Choice::safe_path;
}

#undef DEEPNET_LEVEL_NAME
#undef DEEPNET_LEVEL_NAME_

// Blocks of 256 whose decaying moment (v, or s for RMSprop in float: where
// G stays 0 it shrinks by beta each step) has a tiny value in one of every
// four vectors (a dead unit's weights are a row: whole vectors of them; a
// full scan costs momentum 7-9% on AVX2) go vector by vector through
// checked_steps, unless the kernel measured the hardware's path faster (or
// the path is forced: tiny_moment_path()). Other tiny values (a G or s below
// 1e-17 next to normal moments) are left to the hardware, as is gradient
// descent, whose one product lr * G is subnormal only for gradients below
// 1e-38 / lr.
template <typename V, OptimizerKind kind, bool unit1 = false, bool unit2 = false, typename T = typename V::element>
bool steps(const OptimizerScalars<T>& c, T* P_new, const T* P, const T* G, T* v, T* s, long n, T* vh, T* sh) {
  const Splats<V> k(c);
  constexpr bool check = sizeof(T) == 4 ? kind != OptimizerKind::GD
                                        : kind == OptimizerKind::Momentum || kind == OptimizerKind::Adam;
  if constexpr (check) {
    if constexpr (sizeof(T) == 8) {
      if (!scalable<kind>(c)) return plain_steps<V, kind, unit1, unit2>(k, P_new, P, G, v, s, n, vh, sh);
    }
    const TinyMomentPath path = tiny_moment_path();
    if (path == TinyMomentPath::Hardware ||
        (path == TinyMomentPath::Measured && TinyChoice<V, kind, T>::on_hardware.load(std::memory_order_relaxed)))
      return plain_steps<V, kind, unit1, unit2>(k, P_new, P, G, v, s, n, vh, sh);
    constexpr long kBlock = 256;
    const T* watch = kind == OptimizerKind::RMSprop ? s : v;
    const T bound = sizeof(T) == 4 ? T(kTiny) : T(subnormal::kTinyDouble);
    bool finite = true;
    long tiny_blocks = 0;
    auto at = [](T* x, long b) { return x ? x + b : x; };
    for (long b = 0; b < n; b += kBlock) {
      const long len = n - b < kBlock ? n - b : kBlock;
      auto acc = V::tiny_scan_start();
      for (long i = 0; i + V::lanes <= len; i += 4 * V::lanes) acc = V::tiny_scan(acc, V::load(watch + b + i), bound);
      const bool tiny = V::any_tiny(acc, bound);
      if (tiny && path == TinyMomentPath::Measured && !checked_pays<V, kind, unit1, unit2>(c)) {
        finite &= plain_steps<V, kind, unit1, unit2>(k, P_new + b, P + b, G + b, at(v, b), at(s, b), n - b, at(vh, b), at(sh, b));
        break;
      }
      tiny_blocks += tiny;
      finite &= tiny ? checked_steps<V, kind, unit1, unit2>(c, P_new + b, P + b, G + b, at(v, b), at(s, b), len,
                                                          at(vh, b), at(sh, b))
                     : plain_steps<V, kind, unit1, unit2>(k, P_new + b, P + b, G + b, at(v, b), at(s, b), len,
                                                        at(vh, b), at(sh, b));
    }
    if (tiny_blocks) optimizer_checked_blocks.fetch_add(tiny_blocks, std::memory_order_relaxed);  // once a call
    return finite;
  }
  return plain_steps<V, kind, unit1, unit2>(k, P_new, P, G, v, s, n, vh, sh);
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
