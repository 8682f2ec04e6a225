#include "forward.h"

#include <cmath>

#include "gemm.h"
#include "simd.h"
#include "threads.h"
#include "vmath.h"

namespace deepnet {

// The reference sigmoid calls the C library's exp, element by element, as
// numpy does; the AVX2 one uses vmath's exp (within an ulp), computing in
// double for both dtypes.
template <typename T>
static inline T sigmoid1(T z) {
  return T(1) / (T(1) + std::exp(-z));
}

template <typename T>
static inline T relu1(T z) {
  return z <= T(0) ? T(0) : z;  // false for NaN: NaN propagates, as np.maximum
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
      long p = static_cast<long>(i) * m + j;
      Z[p] = Z[p] + b[i];
      A[p] = act == Activation::Relu ? relu1(Z[p]) : sigmoid1(Z[p]);
    }
  }
}

template <typename T>
void relu_forward(T* A, const T* Z, long size) {
  for (long i = 0; i < size; ++i) A[i] = relu1(Z[i]);
}

template <typename T>
void sigmoid_forward(T* A, const T* Z, long size) {
  for (long i = 0; i < size; ++i) A[i] = sigmoid1(Z[i]);
}

}  // namespace reference

namespace avx2 {

template <typename T>
DEEPNET_TARGET_AVX2 static void relu_row(T* A, const T* Z, long size) {
  using V = simd::vec<T>;
  const V zero = simd::splat<T>(0);
  long i = 0;
  for (; i + simd::lanes<T> <= size; i += simd::lanes<T>) {
    V z = simd::load(Z + i);
    simd::store(A + i, z <= zero ? zero : z);
  }
  for (; i < size; ++i) A[i] = relu1(Z[i]);
}

template <typename T>
DEEPNET_TARGET_AVX2 static void bias_relu(T* Z, T* A, const T* b, int n, int m) {
  using V = simd::vec<T>;
  const V zero = simd::splat<T>(0);
  const bool in_place = Z == A;  // the training arena: Z's buffer becomes A, one store suffices
  for (int r = 0; r < n; ++r) {
    T* z_row = Z + static_cast<long>(r) * m;
    T* a_row = A + static_cast<long>(r) * m;
    const V bias = simd::splat<T>(b[r]);
    int j = 0;
    for (; j + simd::lanes<T> <= m; j += simd::lanes<T>) {
      V z = simd::load(z_row + j) + bias;
      if (!in_place) simd::store(z_row + j, z);
      simd::store(a_row + j, z <= zero ? zero : z);
    }
    for (; j < m; ++j) {
      z_row[j] = z_row[j] + b[r];
      a_row[j] = relu1(z_row[j]);
    }
  }
}

#if DEEPNET_HAS_X86  // intrinsics: the other kernels here are generic vectors
template <typename T>
DEEPNET_TARGET_AVX2 static void sigmoid(T* A, const T* Z, long size) {
  const __m256d one = _mm256_set1_pd(1), minus = _mm256_set1_pd(-0.0);
  vmath::map4(A, Z, Z, size, [one, minus](__m256d z, __m256d) DEEPNET_TARGET_AVX2 {
    return _mm256_div_pd(one, _mm256_add_pd(one, vmath::exp_pd(_mm256_xor_pd(z, minus))));
  });
}
#endif

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

}  // namespace avx2

static bool use_avx2() { return simd_level() == SimdLevel::AVX2_FMA; }

// The public kernels split large arrays over the thread pool (threads.h);
// each chunk runs the AVX2 kernel or the reference one.

template <typename T>
void bias_activation_forward(T* Z, T* A, const T* b, int n, int m, Activation act) {
  parallel_rows(n, m, [&](long r0, long r1) {
    const long at = r0 * m;
    const int rows = static_cast<int>(r1 - r0);
    if (!use_avx2()) return reference::bias_activation_forward(Z + at, A + at, b + r0, rows, m, act);
#if DEEPNET_HAS_X86
    if (act == Activation::Relu) return avx2::bias_relu(Z + at, A + at, b + r0, rows, m);
    avx2::bias_add(Z + at, b + r0, rows, m);
    avx2::sigmoid(A + at, Z + at, static_cast<long>(rows) * m);
#endif
  });
}

template <typename T>
void bias_add(T* Z, const T* b, int n, int m) {
  parallel_rows(n, m, [&](long r0, long r1) {
    const long at = r0 * m;
    const int rows = static_cast<int>(r1 - r0);
    if (use_avx2()) return avx2::bias_add(Z + at, b + r0, rows, m);
    reference::bias_add(Z + at, b + r0, rows, m);
  });
}

template <typename T>
void relu_forward(T* A, const T* Z, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
    if (use_avx2()) return avx2::relu_row(A + i0, Z + i0, i1 - i0);
    reference::relu_forward(A + i0, Z + i0, i1 - i0);
  });
}

template <typename T>
void sigmoid_forward(T* A, const T* Z, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
#if DEEPNET_HAS_X86
    if (use_avx2()) return avx2::sigmoid(A + i0, Z + i0, i1 - i0);
#endif
    reference::sigmoid_forward(A + i0, Z + i0, i1 - i0);
  });
}

template <typename T>
void linear_forward(T* Z, const T* W, const T* A_prev, const T* b, int n, int k, int m) {
  gemm<T>(false, false, n, m, k, T(1), W, k, A_prev, m, T(0), Z, m);
  bias_add(Z, b, n, m);
}

#define DEEPNET_INSTANTIATE(T)                                                               \
  template void linear_forward<T>(T*, const T*, const T*, const T*, int, int, int);          \
  template void bias_activation_forward<T>(T*, T*, const T*, int, int, Activation);          \
  template void bias_add<T>(T*, const T*, int, int);                                         \
  template void relu_forward<T>(T*, const T*, long);                                         \
  template void sigmoid_forward<T>(T*, const T*, long);                                      \
  template void reference::bias_activation_forward<T>(T*, T*, const T*, int, int, Activation); \
  template void reference::bias_add<T>(T*, const T*, int, int);                              \
  template void reference::relu_forward<T>(T*, const T*, long);                              \
  template void reference::sigmoid_forward<T>(T*, const T*, long);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
