#include "activations.h"

#include <cmath>
#include <type_traits>

#include "simd.h"
#include "threads.h"
#include "vmath.h"

namespace deepnet {

// The reference sigmoid and tanh call the C library's exp and tanh, element
// by element, as numpy does; the AVX2 ones use vmath's (within a few ulp),
// computing in double for both dtypes.
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

#if DEEPNET_HAS_X86  // the vector kernels use AVX2 intrinsics (vmath)
namespace avx2 {

// Activations whose vector form is exact in T's arithmetic (no exp): the
// same IEEE operations as the reference, so the same bits.
template <typename T, Activation act>
DEEPNET_TARGET_AVX2 __attribute__((always_inline)) inline simd::vec<T> exact(simd::vec<T> z) {
  using V = simd::vec<T>;
  const V zero = simd::splat<T>(0);
  if (act == Activation::Relu) return z <= zero ? zero : z;
  if (act == Activation::LeakyRelu) return z > zero ? z : simd::splat<T>(T(kLeakySlope)) * z;
  return z;  // Linear
}

template <typename T, Activation act>
DEEPNET_TARGET_AVX2 static void exact_forward(T* A, const T* Z, long size) {
  long i = 0;
  for (; i + simd::lanes<T> <= size; i += simd::lanes<T>) simd::store(A + i, exact<T, act>(simd::load(Z + i)));
  for (; i < size; ++i) A[i] = activate1(act, Z[i]);
}

// Bias add fused with an exact activation (in place: one store).
template <typename T, Activation act>
DEEPNET_TARGET_AVX2 static void bias_exact(T* Z, T* A, const T* b, int n, int m) {
  using V = simd::vec<T>;
  const bool in_place = Z == A;  // the training arena: Z's buffer becomes A, one store suffices
  for (int r = 0; r < n; ++r) {
    T* z_row = Z + static_cast<long>(r) * m;
    T* a_row = A + static_cast<long>(r) * m;
    const V bias = simd::splat<T>(b[r]);
    int j = 0;
    for (; j + simd::lanes<T> <= m; j += simd::lanes<T>) {
      const V z = simd::load(z_row + j) + bias;
      if (!in_place) simd::store(z_row + j, z);
      simd::store(a_row + j, exact<T, act>(z));
    }
    for (; j < m; ++j) {
      z_row[j] = z_row[j] + b[r];
      a_row[j] = activate1(act, z_row[j]);
    }
  }
}

template <typename T>
DEEPNET_TARGET_AVX2 static void bias_add(T* Z, const T* b, int n, int m) {
  using V = simd::vec<T>;
  for (int r = 0; r < n; ++r) {
    T* z_row = Z + static_cast<long>(r) * m;
    const V bias = simd::splat<T>(b[r]);
    int j = 0;
    for (; j + simd::lanes<T> <= m; j += simd::lanes<T>) simd::store(z_row + j, simd::load(z_row + j) + bias);
    for (; j < m; ++j) z_row[j] = z_row[j] + b[r];
  }
}

template <typename T, Activation act>
DEEPNET_TARGET_AVX2 static void backward(T* dZ, const T* dA, const T* H, long size) {
  using V = simd::vec<T>;
  const V zero = simd::splat<T>(0), one = simd::splat<T>(1), slope = simd::splat<T>(T(kLeakySlope));
  long i = 0;
  for (; i + simd::lanes<T> <= size; i += simd::lanes<T>) {
    const V da = simd::load(dA + i), h = simd::load(H + i);
    V dz = da;
    if (act == Activation::Relu) dz = h <= zero ? zero : da;
    if (act == Activation::Sigmoid) dz = da * h * (one - h);
    if (act == Activation::Tanh) dz = da * (one - h * h);
    if (act == Activation::LeakyRelu) dz = h > zero ? da : slope * da;
    simd::store(dZ + i, dz);
  }
  for (; i < size; ++i) dZ[i] = derivative1(act, dA[i], H[i]);
}

template <typename T>
DEEPNET_TARGET_AVX2 static void sigmoid(T* A, const T* Z, long size) {
  const __m256d one = _mm256_set1_pd(1), minus = _mm256_set1_pd(-0.0);
  vmath::map4(A, Z, Z, size, [one, minus](__m256d z, __m256d) DEEPNET_TARGET_AVX2 {
    return _mm256_div_pd(one, _mm256_add_pd(one, vmath::exp_pd(_mm256_xor_pd(z, minus))));
  });
}

// A functor rather than a captureless lambda, whose conversion to a function
// pointer returning __m256d GCC warns about (-Wpsabi).
struct Tanh {
  DEEPNET_TARGET_AVX2 __m256d operator()(__m256d z, __m256d) const { return vmath::tanh_pd(z); }
};

template <typename T>
DEEPNET_TARGET_AVX2 static void tanh(T* A, const T* Z, long size) {
  vmath::map4(A, Z, Z, size, Tanh());
}

template <typename T>
static void forward(T* A, const T* Z, Activation act, long size) {
  switch (act) {
    case Activation::Sigmoid: return sigmoid(A, Z, size);
    case Activation::Tanh: return tanh(A, Z, size);
    case Activation::Relu: return exact_forward<T, Activation::Relu>(A, Z, size);
    case Activation::LeakyRelu: return exact_forward<T, Activation::LeakyRelu>(A, Z, size);
    case Activation::Linear: return exact_forward<T, Activation::Linear>(A, Z, size);
  }
}

template <typename T>
static void bias_activation(T* Z, T* A, const T* b, int n, int m, Activation act) {
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

template <typename T>
static void backward(T* dZ, const T* dA, const T* H, Activation act, long size) {
  switch (act) {
    case Activation::Relu: return backward<T, Activation::Relu>(dZ, dA, H, size);
    case Activation::Sigmoid: return backward<T, Activation::Sigmoid>(dZ, dA, H, size);
    case Activation::Tanh: return backward<T, Activation::Tanh>(dZ, dA, H, size);
    case Activation::LeakyRelu: return backward<T, Activation::LeakyRelu>(dZ, dA, H, size);
    case Activation::Linear: return backward<T, Activation::Linear>(dZ, dA, H, size);
  }
}

// dA * s * (1 - s) in T's arithmetic: for float every step is rounded to
// float (exact in double first), as the reference computes it, since 1 - s
// cancels and the rounding of s decides the result.
template <typename T>
DEEPNET_TARGET_AVX2 __attribute__((always_inline)) inline __m256d round_to(__m256d x) {
  if (std::is_same<T, float>::value) return _mm256_cvtps_pd(_mm256_cvtpd_ps(x));
  return x;
}

template <typename T>
DEEPNET_TARGET_AVX2 static void sigmoid_backward(T* dZ, const T* dA, const T* Z, long size) {
  const __m256d one = _mm256_set1_pd(1), minus = _mm256_set1_pd(-0.0);
  vmath::map4(dZ, dA, Z, size, [one, minus](__m256d da, __m256d z) DEEPNET_TARGET_AVX2 {
    const __m256d s = round_to<T>(_mm256_div_pd(one, _mm256_add_pd(one, vmath::exp_pd(_mm256_xor_pd(z, minus)))));
    return _mm256_mul_pd(round_to<T>(_mm256_mul_pd(da, s)), round_to<T>(_mm256_sub_pd(one, s)));
  });
}

template <typename T>
DEEPNET_TARGET_AVX2 static void tanh_backward(T* dZ, const T* dA, const T* Z, long size) {
  const __m256d one = _mm256_set1_pd(1);
  vmath::map4(dZ, dA, Z, size, [one](__m256d da, __m256d z) DEEPNET_TARGET_AVX2 {
    const __m256d t = round_to<T>(vmath::tanh_pd(z));
    return _mm256_mul_pd(da, round_to<T>(_mm256_sub_pd(one, round_to<T>(_mm256_mul_pd(t, t)))));
  });
}

static bool use_avx2() { return simd_avx2_or_better(); }
}  // namespace avx2
#endif

// The public kernels split large arrays over the thread pool (threads.h);
// each chunk runs the AVX2 kernel or the reference one.

template <typename T>
void bias_activation_forward(T* Z, T* A, const T* b, int n, int m, Activation act) {
  parallel_rows(n, m, [&](long r0, long r1) {
    const long at = r0 * m;
    const int rows = static_cast<int>(r1 - r0);
#if DEEPNET_HAS_X86
    if (avx2::use_avx2()) return avx2::bias_activation(Z + at, A + at, b + r0, rows, m, act);
#endif
    reference::bias_activation_forward(Z + at, A + at, b + r0, rows, m, act);
  });
}

template <typename T>
void bias_add(T* Z, const T* b, int n, int m) {
  parallel_rows(n, m, [&](long r0, long r1) {
    const long at = r0 * m;
    const int rows = static_cast<int>(r1 - r0);
#if DEEPNET_HAS_X86
    if (avx2::use_avx2()) return avx2::bias_add(Z + at, b + r0, rows, m);
#endif
    reference::bias_add(Z + at, b + r0, rows, m);
  });
}

template <typename T>
void activation_forward(T* A, const T* Z, Activation act, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
#if DEEPNET_HAS_X86
    if (avx2::use_avx2()) return avx2::forward(A + i0, Z + i0, act, i1 - i0);
#endif
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
  parallel_range(size, 64, [&](long i0, long i1) {
#if DEEPNET_HAS_X86
    if (avx2::use_avx2()) return avx2::backward(dZ + i0, dA + i0, H + i0, act, i1 - i0);
#endif
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
  parallel_range(size, 64, [&](long i0, long i1) {
#if DEEPNET_HAS_X86
    if (avx2::use_avx2()) return avx2::tanh_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
#endif
    reference::tanh_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
  });
}

template <typename T>
void sigmoid_backward(T* dZ, const T* dA, const T* Z, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
#if DEEPNET_HAS_X86
    if (avx2::use_avx2()) return avx2::sigmoid_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
#endif
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
