// The vector bodies of the optimizers' steps (optimizers.h has the formulas,
// optimizers.cc the reference step1): the same IEEE operations in T, a
// vector at a time, so the reference's bits, with the divergence guard's
// finite check fused in.
//
// Level-generic: see elementwise_level.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {
namespace optimizers {

template <typename V, OptimizerKind kind, typename T = typename V::element>
bool steps(const OptimizerScalars<T>& c, T* P_new, const T* P, const T* G, T* v, T* s, long n, T* vh, T* sh) {
  using W = typename V::type;
  const W lr = V::splat(c.lr), eps = V::splat(c.eps);
  const W beta = V::splat(c.beta), omb = V::splat(c.one_minus_beta);
  const W beta1 = V::splat(c.beta1), omb1 = V::splat(c.one_minus_beta1);
  const W beta2 = V::splat(c.beta2), omb2 = V::splat(c.one_minus_beta2);
  const W bias1 = V::splat(c.bias1), bias2 = V::splat(c.bias2), zero = V::zero();
  typename V::mask finite = V::eq(zero, zero);  // all lanes
  for_each_vector<V>(n, [&](long i, auto io) {
    const W p = io.load(P + i), g = io.load(G + i);
    W out;
    if (kind == OptimizerKind::GD) {
      out = p - lr * g;
    } else if (kind == OptimizerKind::Momentum) {
      const W vi = beta * io.load(v + i) + omb * g;
      io.store(v + i, vi);
      out = p - lr * vi;
    } else if (kind == OptimizerKind::RMSprop) {
      const W si = beta2 * io.load(s + i) + omb2 * (g * g);
      io.store(s + i, si);
      out = p - (lr * g) / (V::sqrt(si) + eps);
    } else {
      const W vi = beta1 * io.load(v + i) + omb1 * g;
      const W si = beta2 * io.load(s + i) + omb2 * (g * g);
      io.store(v + i, vi);
      io.store(s + i, si);
      const W v_hat = vi / bias1, s_hat = si / bias2;
      if (vh) io.store(vh + i, v_hat), io.store(sh + i, s_hat);
      out = p - (lr * v_hat) / (V::sqrt(s_hat) + eps);
    }
    io.store(P_new + i, out);
    // x - x is 0 for finite x, NaN otherwise; lanes past the end count as finite.
    const W kept = io.pad(out, zero);
    finite = V::both(finite, V::eq(kept - kept, zero));
  });
  return V::all(finite);
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
  return steps<Vec256<T>, OptimizerKind::Adam>(c, P_new, P, G, v, s, n, vh, sh);
}

}  // namespace optimizers
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
