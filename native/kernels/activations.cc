#include "activations.h"

#include <cmath>

#include "elementwise.h"
#include "threads.h"

namespace deepnet {

// The reference sigmoid and tanh call the C library's exp and tanh, element
// by element, as numpy does; the vector ones (activations_simd.h) use vmath's
// (within a few ulp), computing in double for both dtypes.
template <typename T>
static inline T sigmoid1(T z) {
  return T(1) / (T(1) + std::exp(-z));
}

template <typename T>
static inline T relu1(T z) {
  return z <= T(0) ? T(0) : z;  // false for NaN: NaN propagates, as np.maximum
}

template <typename T>
static inline T leaky1(T z) {
  return z > T(0) ? z : T(kLeakySlope) * z;  // NaN: 0.01 * NaN = NaN
}

template <typename T>
static inline T activate1(Activation act, T z) {
  switch (act) {
    case Activation::Relu: return relu1(z);
    case Activation::Sigmoid: return sigmoid1(z);
    case Activation::Tanh: return std::tanh(z);
    case Activation::LeakyRelu: return leaky1(z);
    case Activation::Linear: break;
  }
  return z;
}

template <typename T>
static inline T derivative1(Activation act, T da, T h) {
  switch (act) {
    case Activation::Relu: return h <= T(0) ? T(0) : da;
    case Activation::Sigmoid: return da * h * (T(1) - h);
    case Activation::Tanh: return da * (T(1) - h * h);
    case Activation::LeakyRelu: return h > T(0) ? da : T(kLeakySlope) * da;
    case Activation::Linear: break;
  }
  return da;
}

namespace reference {

template <typename T>
void bias_add(T* Z, const T* b, int n, int m) {
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < m; ++j) Z[static_cast<long>(i) * m + j] += b[i];
}

template <typename T>
void bias_activation_forward(T* Z, T* A, const T* b, int n, int m, Activation act) {
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) {
      const long p = static_cast<long>(i) * m + j;
      Z[p] = Z[p] + b[i];
      A[p] = activate1(act, Z[p]);
    }
  }
}

template <typename T>
void activation_forward(T* A, const T* Z, Activation act, long size) {
  for (long i = 0; i < size; ++i) A[i] = activate1(act, Z[i]);
}

template <typename T>
void activation_backward(T* dZ, const T* dA, const T* H, Activation act, long size) {
  for (long i = 0; i < size; ++i) dZ[i] = derivative1(act, dA[i], H[i]);
}

template <typename T>
void relu_forward(T* A, const T* Z, long size) {
  reference::activation_forward(A, Z, Activation::Relu, size);
}

template <typename T>
void sigmoid_forward(T* A, const T* Z, long size) {
  reference::activation_forward(A, Z, Activation::Sigmoid, size);
}

template <typename T>
void relu_backward(T* dZ, const T* dA, const T* Z, long size) {
  for (long i = 0; i < size; ++i) dZ[i] = Z[i] <= T(0) ? T(0) : dA[i];  // dZ[Z <= 0] = 0
}

template <typename T>
void sigmoid_backward(T* dZ, const T* dA, const T* Z, long size) {
  for (long i = 0; i < size; ++i) {
    T s = sigmoid1(Z[i]);
    dZ[i] = dA[i] * s * (T(1) - s);
  }
}

template <typename T>
void tanh_backward(T* dZ, const T* dA, const T* Z, long size) {
  for (long i = 0; i < size; ++i) {
    const T t = std::tanh(Z[i]);
    dZ[i] = dA[i] * (T(1) - t * t);
  }
}

}  // namespace reference

// The public kernels split large arrays over the thread pool (threads.h);
// each chunk runs the level's vector kernel (elementwise.h) or the reference one.

template <typename T>
void bias_activation_forward(T* Z, T* A, const T* b, int n, int m, Activation act) {
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  parallel_rows(n, m, [&](long r0, long r1) {
    const long at = r0 * m;
    const int rows = static_cast<int>(r1 - r0);
    if (simd) return simd->bias_activation_forward(Z + at, A + at, b + r0, rows, m, act);
    reference::bias_activation_forward(Z + at, A + at, b + r0, rows, m, act);
  });
}

template <typename T>
void bias_add(T* Z, const T* b, int n, int m) {
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  parallel_rows(n, m, [&](long r0, long r1) {
    const long at = r0 * m;
    const int rows = static_cast<int>(r1 - r0);
    if (simd) return simd->bias_add(Z + at, b + r0, rows, m);
    reference::bias_add(Z + at, b + r0, rows, m);
  });
}

template <typename T>
void activation_forward(T* A, const T* Z, Activation act, long size) {
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  parallel_range(size, 64, [&](long i0, long i1) {
    if (simd) return simd->activation_forward(A + i0, Z + i0, act, i1 - i0);
    reference::activation_forward(A + i0, Z + i0, act, i1 - i0);
  });
}

template <typename T>
void relu_forward(T* A, const T* Z, long size) {
  activation_forward(A, Z, Activation::Relu, size);
}

template <typename T>
void sigmoid_forward(T* A, const T* Z, long size) {
  activation_forward(A, Z, Activation::Sigmoid, size);
}

template <typename T>
void activation_backward(T* dZ, const T* dA, const T* H, Activation act, long size) {
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  parallel_range(size, 64, [&](long i0, long i1) {
    if (simd) return simd->activation_backward(dZ + i0, dA + i0, H + i0, act, i1 - i0);
    reference::activation_backward(dZ + i0, dA + i0, H + i0, act, i1 - i0);
  });
}

template <typename T>
void relu_backward(T* dZ, const T* dA, const T* Z, long size) {
  activation_backward(dZ, dA, Z, Activation::Relu, size);
}

template <typename T>
void activation_backward_from_input(T* dZ, const T* dA, const T* Z, Activation act, long size) {
  if (act == Activation::Sigmoid) return sigmoid_backward(dZ, dA, Z, size);
  if (act != Activation::Tanh) return activation_backward(dZ, dA, Z, act, size);
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  parallel_range(size, 64, [&](long i0, long i1) {
    if (simd) return simd->tanh_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
    reference::tanh_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
  });
}

template <typename T>
void sigmoid_backward(T* dZ, const T* dA, const T* Z, long size) {
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  parallel_range(size, 64, [&](long i0, long i1) {
    if (simd) return simd->sigmoid_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
    reference::sigmoid_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
  });
}

#define DEEPNET_INSTANTIATE(T)                                                                   \
  template void bias_add<T>(T*, const T*, int, int);                                            \
  template void reference::bias_add<T>(T*, const T*, int, int);                                 \
  template void bias_activation_forward<T>(T*, T*, const T*, int, int, Activation);             \
  template void activation_forward<T>(T*, const T*, Activation, long);                          \
  template void activation_backward<T>(T*, const T*, const T*, Activation, long);               \
  template void relu_forward<T>(T*, const T*, long);                                            \
  template void sigmoid_forward<T>(T*, const T*, long);                                         \
  template void relu_backward<T>(T*, const T*, const T*, long);                                 \
  template void sigmoid_backward<T>(T*, const T*, const T*, long);                              \
  template void reference::bias_activation_forward<T>(T*, T*, const T*, int, int, Activation);  \
  template void reference::activation_forward<T>(T*, const T*, Activation, long);               \
  template void reference::activation_backward<T>(T*, const T*, const T*, Activation, long);    \
  template void reference::relu_forward<T>(T*, const T*, long);                                 \
  template void reference::sigmoid_forward<T>(T*, const T*, long);                              \
  template void reference::relu_backward<T>(T*, const T*, const T*, long);                      \
  template void reference::sigmoid_backward<T>(T*, const T*, const T*, long);                   \
  template void reference::tanh_backward<T>(T*, const T*, const T*, long);                      \
  template void activation_backward_from_input<T>(T*, const T*, const T*, Activation, long);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
