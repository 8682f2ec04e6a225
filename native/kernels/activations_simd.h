// The vector bodies of the activation kernels (activations.h has the shapes
// and the reference twins). Relu, leaky relu and linear, the bias add and
// every derivative taken from H are the reference's IEEE operations in T, so
// its bits; sigmoid and tanh use vmath's exp and expm1, computing in double
// for both dtypes (float results rounded once when stored).
//
// Level-generic: see elementwise_level.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {
namespace activations {

template <typename V, Activation act>
DEEPNET_SIMD_INLINE typename V::type exact(typename V::type z) {
  using T = typename V::element;
  if (act == Activation::Relu) return V::select(V::le(z, V::zero()), V::zero(), z);  // NaN propagates
  if (act == Activation::LeakyRelu) return V::select(V::gt(z, V::zero()), z, V::splat(T(kLeakySlope)) * z);
  return z;  // Linear
}

DEEPNET_SIMD_INLINE vmath::VD sigmoid(vmath::VD z) {
  const vmath::VD one = vmath::D::splat(1);
  return one / (one + vmath::exp(vmath::neg(z)));
}

// x rounded to T: the float backward passes round every step as the
// reference computes them in float, since 1 - s cancels and the rounding of
// s decides the result.
template <typename T>
DEEPNET_SIMD_INLINE vmath::VD round_to(vmath::VD x) {
  return sizeof(T) == 4 ? vmath::D::round_to_float(x) : x;
}

template <typename T, Activation act>
void exact_forward(T* A, const T* Z, long size) {
  map<Vec<T>>(A, Z, size, [](typename Vec<T>::type z) { return exact<Vec<T>, act>(z); });
}

template <typename T>
void forward(T* A, const T* Z, Activation act, long size) {
  switch (act) {
    case Activation::Sigmoid: return map<vmath::D>(A, Z, size, [](vmath::VD z) { return sigmoid(z); });
    case Activation::Tanh: return map<vmath::D>(A, Z, size, [](vmath::VD z) { return vmath::tanh(z); });
    case Activation::Relu: return exact_forward<T, Activation::Relu>(A, Z, size);
    case Activation::LeakyRelu: return exact_forward<T, Activation::LeakyRelu>(A, Z, size);
    case Activation::Linear: return exact_forward<T, Activation::Linear>(A, Z, size);
  }
}

// The bias add and its fusions with the exact activations run 256-bit
// vectors at the AVX-512 level too: they measured 2-17% slower on 512 bits
// when their rows stream from L2 (docs/performance.md; faster only when
// they fit L1).
template <typename T>
void bias_add(T* Z, const T* b, int n, int m) {
  using V = Vec256<T>;
  for (int r = 0; r < n; ++r) {
    T* z_row = Z + static_cast<long>(r) * m;
    const typename V::type bias = V::splat(b[r]);
    map<V>(z_row, z_row, m, [bias](typename V::type z) { return z + bias; });
  }
}

// The bias add fused with an exact activation: one pass (in place, the
// training arena's Z buffer becomes A: one store).
template <typename T, Activation act>
void bias_exact(T* Z, T* A, const T* b, int n, int m) {
  using V = Vec256<T>;
  const bool in_place = Z == A;
  for (int r = 0; r < n; ++r) {
    T* z_row = Z + static_cast<long>(r) * m;
    T* a_row = A + static_cast<long>(r) * m;
    const typename V::type bias = V::splat(b[r]);
    for_each_vector<V>(m, [&](long j, auto io) {
      const typename V::type z = io.load(z_row + j) + bias;
      if (!in_place) io.store(z_row + j, z);
      io.store(a_row + j, exact<V, act>(z));
    });
  }
}

template <typename T>
void bias_activation_forward(T* Z, T* A, const T* b, int n, int m, Activation act) {
  switch (act) {
    case Activation::Relu: return bias_exact<T, Activation::Relu>(Z, A, b, n, m);
    case Activation::LeakyRelu: return bias_exact<T, Activation::LeakyRelu>(Z, A, b, n, m);
    case Activation::Linear: return bias_exact<T, Activation::Linear>(Z, A, b, n, m);
    case Activation::Sigmoid:
    case Activation::Tanh: break;
  }
  bias_add(Z, b, n, m);
  forward(A, Z, act, static_cast<long>(n) * m);
}

// dZ from dA and H = g(Z), in T (see derivative1 in activations.cc).
template <typename T, Activation act>
DEEPNET_SIMD_INLINE typename Vec<T>::type derivative(typename Vec<T>::type da, typename Vec<T>::type h) {
  using V = Vec<T>;
  const typename V::type zero = V::zero(), one = V::splat(1);
  if (act == Activation::Relu) return V::select(V::le(h, zero), zero, da);
  if (act == Activation::Sigmoid) return da * h * (one - h);
  if (act == Activation::Tanh) return da * (one - h * h);
  if (act == Activation::LeakyRelu) return V::select(V::gt(h, zero), da, V::splat(T(kLeakySlope)) * da);
  return da;  // Linear
}

template <typename T, Activation act>
void backward(T* dZ, const T* dA, const T* H, long size) {
  using V = typename Vec<T>::type;
  map<Vec<T>>(dZ, dA, H, size, [](V da, V h) { return derivative<T, act>(da, h); });
}

template <typename T>
void activation_backward(T* dZ, const T* dA, const T* H, Activation act, long size) {
  switch (act) {
    case Activation::Relu: return backward<T, Activation::Relu>(dZ, dA, H, size);
    case Activation::Sigmoid: return backward<T, Activation::Sigmoid>(dZ, dA, H, size);
    case Activation::Tanh: return backward<T, Activation::Tanh>(dZ, dA, H, size);
    case Activation::LeakyRelu: return backward<T, Activation::LeakyRelu>(dZ, dA, H, size);
    case Activation::Linear: return backward<T, Activation::Linear>(dZ, dA, H, size);
  }
}

// dA * s * (1 - s) with s recomputed from Z.
template <typename T>
void sigmoid_backward(T* dZ, const T* dA, const T* Z, long size) {
  map<vmath::D>(dZ, dA, Z, size, [](vmath::VD da, vmath::VD z) {
    const vmath::VD s = round_to<T>(sigmoid(z));
    return round_to<T>(da * s) * round_to<T>(vmath::D::splat(1) - s);
  });
}

// dA * (1 - t^2) with t recomputed from Z.
template <typename T>
void tanh_backward(T* dZ, const T* dA, const T* Z, long size) {
  map<vmath::D>(dZ, dA, Z, size, [](vmath::VD da, vmath::VD z) {
    const vmath::VD t = round_to<T>(vmath::tanh(z));
    return da * round_to<T>(vmath::D::splat(1) - round_to<T>(t * t));
  });
}

}  // namespace activations
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
