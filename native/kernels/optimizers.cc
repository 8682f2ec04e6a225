#include "optimizers.h"

#include <atomic>
#include <cmath>

#include "simd.h"
#include "threads.h"

#if DEEPNET_HAS_X86
#include <immintrin.h>
#endif

namespace deepnet {

namespace {

// The step's scalars, in T, computed once in double as numpy does.
template <typename T>
struct Coefficients {
  T lr, beta, one_minus_beta, beta1, one_minus_beta1, beta2, one_minus_beta2, eps, bias1, bias2;
  Coefficients(const OptimizerSettings& o, double learning_rate, long t)
      : lr(T(learning_rate)),
        beta(T(o.beta)), one_minus_beta(T(1.0 - o.beta)),
        beta1(T(o.beta1)), one_minus_beta1(T(1.0 - o.beta1)),
        beta2(T(o.beta2)), one_minus_beta2(T(1.0 - o.beta2)),
        eps(T(o.epsilon)),
        bias1(T(1.0 - std::pow(o.beta1, static_cast<double>(t)))),
        bias2(T(1.0 - std::pow(o.beta2, static_cast<double>(t)))) {}
};

inline bool finite(double x) { return x - x == 0.0; }

// One element of each optimizer: the reference arithmetic, also the SIMD
// paths' tails.
template <typename T>
inline T step1(OptimizerKind kind, const Coefficients<T>& c, T p, T g, T* v, T* s, T* vh, T* sh) {
  switch (kind) {
    case OptimizerKind::GD: return p - c.lr * g;
    case OptimizerKind::Momentum:
      *v = c.beta * *v + c.one_minus_beta * g;
      return p - c.lr * *v;
    case OptimizerKind::RMSprop:
      *s = c.beta2 * *s + c.one_minus_beta2 * (g * g);
      return p - (c.lr * g) / (std::sqrt(*s) + c.eps);
    case OptimizerKind::Adam: break;
  }
  *v = c.beta1 * *v + c.one_minus_beta1 * g;
  const T v_hat = *v / c.bias1;
  *s = c.beta2 * *s + c.one_minus_beta2 * (g * g);
  const T s_hat = *s / c.bias2;
  if (vh) *vh = v_hat, *sh = s_hat;
  return p - (c.lr * v_hat) / (std::sqrt(s_hat) + c.eps);
}

template <typename T>
bool steps(OptimizerKind kind, const Coefficients<T>& c, T* P_new, const T* P, const T* G, T* v,
           T* s, long n, T* vh, T* sh) {
  bool ok = true;
  for (long i = 0; i < n; ++i) {
    P_new[i] = step1(kind, c, P[i], G[i], v ? v + i : nullptr, s ? s + i : nullptr,
                     vh ? vh + i : nullptr, sh ? sh + i : nullptr);
    ok &= finite(P_new[i]);
  }
  return ok;
}

#if DEEPNET_HAS_X86
DEEPNET_TARGET_AVX2 inline simd::vec<double> vsqrt(simd::vec<double> x) {
  return (simd::vec<double>)_mm256_sqrt_pd((__m256d)x);
}
DEEPNET_TARGET_AVX2 inline simd::vec<float> vsqrt(simd::vec<float> x) {
  return (simd::vec<float>)_mm256_sqrt_ps((__m256)x);
}

// The same operations as step1, a vector at a time.
template <typename T, OptimizerKind kind>
DEEPNET_TARGET_AVX2 bool steps_avx2(const Coefficients<T>& c, T* P_new, const T* P, const T* G, T* v,
                                    T* s, long n, T* vh, T* sh) {
  using V = simd::vec<T>;
  constexpr int L = simd::lanes<T>;
  const V lr = simd::splat<T>(c.lr), eps = simd::splat<T>(c.eps);
  const V beta = simd::splat<T>(c.beta), omb = simd::splat<T>(c.one_minus_beta);
  const V beta1 = simd::splat<T>(c.beta1), omb1 = simd::splat<T>(c.one_minus_beta1);
  const V beta2 = simd::splat<T>(c.beta2), omb2 = simd::splat<T>(c.one_minus_beta2);
  const V bias1 = simd::splat<T>(c.bias1), bias2 = simd::splat<T>(c.bias2), zero = simd::splat<T>(0);
  auto finite_lanes = zero == zero;  // all lanes true
  long i = 0;
  for (; i + L <= n; i += L) {
    const V p = simd::load(P + i), g = simd::load(G + i);
    V out;
    if (kind == OptimizerKind::GD) {
      out = p - lr * g;
    } else if (kind == OptimizerKind::Momentum) {
      const V vi = beta * simd::load(v + i) + omb * g;
      simd::store(v + i, vi);
      out = p - lr * vi;
    } else if (kind == OptimizerKind::RMSprop) {
      const V si = beta2 * simd::load(s + i) + omb2 * (g * g);
      simd::store(s + i, si);
      out = p - (lr * g) / (vsqrt(si) + eps);
    } else {
      const V vi = beta1 * simd::load(v + i) + omb1 * g;
      const V si = beta2 * simd::load(s + i) + omb2 * (g * g);
      simd::store(v + i, vi);
      simd::store(s + i, si);
      const V v_hat = vi / bias1, s_hat = si / bias2;
      if (vh) simd::store(vh + i, v_hat), simd::store(sh + i, s_hat);
      out = p - (lr * v_hat) / (vsqrt(s_hat) + eps);
    }
    simd::store(P_new + i, out);
    finite_lanes &= (out - out) == zero;
  }
  bool ok = true;
  for (int j = 0; j < L; ++j) ok &= finite_lanes[j] != 0;
  return steps(kind, c, P_new + i, P + i, G + i, v ? v + i : nullptr, s ? s + i : nullptr, n - i,
               vh ? vh + i : nullptr, sh ? sh + i : nullptr) && ok;
}

template <typename T>
bool steps_avx2(OptimizerKind kind, const Coefficients<T>& c, T* P_new, const T* P, const T* G, T* v,
                T* s, long n, T* vh, T* sh) {
  switch (kind) {
    case OptimizerKind::GD: return steps_avx2<T, OptimizerKind::GD>(c, P_new, P, G, v, s, n, vh, sh);
    case OptimizerKind::Momentum: return steps_avx2<T, OptimizerKind::Momentum>(c, P_new, P, G, v, s, n, vh, sh);
    case OptimizerKind::RMSprop: return steps_avx2<T, OptimizerKind::RMSprop>(c, P_new, P, G, v, s, n, vh, sh);
    case OptimizerKind::Adam: break;
  }
  return steps_avx2<T, OptimizerKind::Adam>(c, P_new, P, G, v, s, n, vh, sh);
}
#endif

}  // namespace

namespace reference {
template <typename T>
bool optimizer_step(const OptimizerSettings& o, T* P_new, const T* P, const T* G, T* v, T* s,
                    long size, double learning_rate, long t, T* v_hat, T* s_hat) {
  return steps(o.kind, Coefficients<T>(o, learning_rate, t), P_new, P, G, v, s, size, v_hat, s_hat);
}
}  // namespace reference

template <typename T>
bool optimizer_step(const OptimizerSettings& o, T* P_new, const T* P, const T* G, T* v, T* s,
                    long size, double learning_rate, long t, T* v_hat, T* s_hat) {
  const Coefficients<T> c(o, learning_rate, t);
  std::atomic<bool> ok{true};
  auto at = [](T* x, long i) { return x ? x + i : nullptr; };
  parallel_range(size, 64, [&](long i0, long i1) {
    bool chunk;
#if DEEPNET_HAS_X86
    if (simd_avx2_or_better())
      chunk = steps_avx2(o.kind, c, P_new + i0, P + i0, G + i0, at(v, i0), at(s, i0), i1 - i0,
                         at(v_hat, i0), at(s_hat, i0));
    else
#endif
      chunk = steps(o.kind, c, P_new + i0, P + i0, G + i0, at(v, i0), at(s, i0), i1 - i0,
                    at(v_hat, i0), at(s_hat, i0));
    if (!chunk) ok.store(false, std::memory_order_relaxed);
  });
  return ok.load();
}

#define DEEPNET_INSTANTIATE(T)                                                                \
  template bool optimizer_step<T>(const OptimizerSettings&, T*, const T*, const T*, T*, T*, long, \
                                  double, long, T*, T*);                                       \
  template bool reference::optimizer_step<T>(const OptimizerSettings&, T*, const T*, const T*, T*, \
                                             T*, long, double, long, T*, T*);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
