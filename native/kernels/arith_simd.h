// The vector bodies of the exact elementwise arithmetic: the L2 gradient term
// (l2.h), dropout's mask (dropout.h), the gradient-descent update (update.h),
// the output layer's gradient and the scalings of dW (backward.h). Each is
// the reference's IEEE operations in T in the same order, so its bits.
//
// All but scale_by run 256-bit vectors at the AVX-512 level too, as they
// measured slower on 512 bits (docs/performance.md): those with a division
// by 5-9% at every size (the 512-bit divider does no more divisions per
// cycle than two 256-bit ones, and takes longer for each), the update by
// 4-8% when its arrays stream from L2 (it gained only when they fit L1).
//
// Level-generic: see elementwise_level.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {
namespace arith {

template <typename T>
void l2_gradient(T* dW, const T* W, T lambd, T m, long size) {
  using V = typename Vec256<T>::type;
  const V lv = Vec256<T>::splat(lambd), mv = Vec256<T>::splat(m);
  map<Vec256<T>>(dW, dW, W, size, [lv, mv](V dw, V w) { return dw + (lv * w) / mv; });
}

template <typename T>
void dropout_apply(T* A, const T* D, T keep_prob, long size) {
  using V = typename Vec256<T>::type;
  const V kp = Vec256<T>::splat(keep_prob);
  map<Vec256<T>>(A, A, D, size, [kp](V a, V d) { return (a * d) / kp; });  // two roundings, as numpy
}

template <typename T>
void update(T* P_new, const T* P, const T* dP, T learning_rate, long size) {
  using V = typename Vec256<T>::type;
  const V lr = Vec256<T>::splat(learning_rate);
  map<Vec256<T>>(P_new, P, dP, size, [lr](V p, V dp) { return p - lr * dp; });
}

template <typename T>
void output_backward(T* dZL, const T* AL, const T* Y, long m) {
  using V = typename Vec256<T>::type;
  const V one = Vec256<T>::splat(1);
  map<Vec256<T>>(dZL, AL, Y, m, [one](V a, V y) {
    const V dal = -(y / a - (one - y) / (one - a));
    return dal * a * (one - a);
  });
}

template <typename T>
void divide_by(T* X, T d, long size) {
  using V = typename Vec256<T>::type;
  const V dv = Vec256<T>::splat(d);
  map<Vec256<T>>(X, X, size, [dv](V x) { return x / dv; });
}

template <typename T>
void scale_by(T* X, T s, long size) {
  using V = typename Vec<T>::type;
  const V sv = Vec<T>::splat(s);
  map<Vec<T>>(X, X, size, [sv](V x) { return sv * x; });
}

}  // namespace arith
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
