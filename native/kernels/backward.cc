#include "backward.h"

#include <cmath>
#include <type_traits>

#include "gemm.h"
#include "reduce.h"
#include "simd.h"
#include "threads.h"
#include "vmath.h"

namespace deepnet {

template <typename T>
static inline T dal1(T a, T y) {
  return -(y / a - (T(1) - y) / (T(1) - a));
}

namespace reference {

template <typename T>
void relu_backward(T* dZ, const T* dA, const T* Z, long size) {
  for (long i = 0; i < size; ++i) dZ[i] = Z[i] <= T(0) ? T(0) : dA[i];  // dZ[Z <= 0] = 0
}

template <typename T>
void sigmoid_backward(T* dZ, const T* dA, const T* Z, long size) {
  for (long i = 0; i < size; ++i) {
    T s = T(1) / (T(1) + std::exp(-Z[i]));
    dZ[i] = dA[i] * s * (T(1) - s);
  }
}

template <typename T>
void output_backward(T* dZL, const T* AL, const T* Y, long m) {
  for (long i = 0; i < m; ++i) dZL[i] = dal1(AL[i], Y[i]) * AL[i] * (T(1) - AL[i]);
}

template <typename T>
void divide_by(T* X, T d, long size) {
  for (long i = 0; i < size; ++i) X[i] = X[i] / d;
}

template <typename T>
void scale_by(T* X, T s, long size) {
  for (long i = 0; i < size; ++i) X[i] = s * X[i];
}

}  // namespace reference

namespace avx2 {

template <typename T>
DEEPNET_TARGET_AVX2 static void relu_backward(T* dZ, const T* dA, const T* Z, long size) {
  using V = simd::vec<T>;
  const V zero = simd::splat<T>(0);
  long i = 0;
  for (; i + simd::lanes<T> <= size; i += simd::lanes<T>) {
    V z = simd::load(Z + i);
    simd::store(dZ + i, z <= zero ? zero : simd::load(dA + i));
  }
  for (; i < size; ++i) dZ[i] = Z[i] <= T(0) ? T(0) : dA[i];
}

template <typename T>
DEEPNET_TARGET_AVX2 static void output_backward(T* dZL, const T* AL, const T* Y, long m) {
  using V = simd::vec<T>;
  const V one = simd::splat<T>(1);
  long i = 0;
  for (; i + simd::lanes<T> <= m; i += simd::lanes<T>) {
    V a = simd::load(AL + i), y = simd::load(Y + i);
    V dal = -(y / a - (one - y) / (one - a));
    simd::store(dZL + i, dal * a * (one - a));
  }
  for (; i < m; ++i) dZL[i] = dal1(AL[i], Y[i]) * AL[i] * (T(1) - AL[i]);
}

#if DEEPNET_HAS_X86  // intrinsics: the other kernels here are generic vectors
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
#endif

template <typename T>
DEEPNET_TARGET_AVX2 static void divide_by(T* X, T d, long size) {
  using V = simd::vec<T>;
  const V dv = simd::splat<T>(d);
  long i = 0;
  for (; i + simd::lanes<T> <= size; i += simd::lanes<T>) simd::store(X + i, simd::load(X + i) / dv);
  for (; i < size; ++i) X[i] = X[i] / d;
}

template <typename T>
DEEPNET_TARGET_AVX2 static void scale_by(T* X, T s, long size) {
  using V = simd::vec<T>;
  const V sv = simd::splat<T>(s);
  long i = 0;
  for (; i + simd::lanes<T> <= size; i += simd::lanes<T>) simd::store(X + i, sv * simd::load(X + i));
  for (; i < size; ++i) X[i] = s * X[i];
}

}  // namespace avx2

static bool use_avx2() { return simd_level() == SimdLevel::AVX2_FMA; }

// The public kernels split large arrays over the thread pool (threads.h);
// each chunk runs the AVX2 kernel or the reference one.

template <typename T>
void relu_backward(T* dZ, const T* dA, const T* Z, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
    if (use_avx2()) return avx2::relu_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
    reference::relu_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
  });
}

template <typename T>
void sigmoid_backward(T* dZ, const T* dA, const T* Z, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
#if DEEPNET_HAS_X86
    if (use_avx2()) return avx2::sigmoid_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
#endif
    reference::sigmoid_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
  });
}

template <typename T>
void cost_backward(T* dAL, const T* AL, const T* Y, long m) {
  for (long i = 0; i < m; ++i) dAL[i] = dal1(AL[i], Y[i]);
}

template <typename T>
void output_backward(T* dZL, const T* AL, const T* Y, long m) {
  parallel_range(m, 64, [&](long i0, long i1) {
    if (use_avx2()) return avx2::output_backward(dZL + i0, AL + i0, Y + i0, i1 - i0);
    reference::output_backward(dZL + i0, AL + i0, Y + i0, i1 - i0);
  });
}

template <typename T>
void divide_by(T* X, T d, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
    if (use_avx2()) return avx2::divide_by(X + i0, d, i1 - i0);
    reference::divide_by(X + i0, d, i1 - i0);
  });
}

template <typename T>
void scale_by(T* X, T s, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
    if (use_avx2()) return avx2::scale_by(X + i0, s, i1 - i0);
    reference::scale_by(X + i0, s, i1 - i0);
  });
}

template <typename T>
void output_backward_course2(T* dZL, const T* AL, const T* Y, long m) {
  for (long i = 0; i < m; ++i) dZL[i] = AL[i] - Y[i];
}

template <typename T>
void bias_backward(T* db, const T* dZ, int n, int m, BackwardForm form) {
  const T inv_m = T(1) / T(m);
  parallel_rows(n, m, [&](long r0, long r1) {
    for (long r = r0; r < r1; ++r) {
      const T* row = dZ + r * m;
      const T sum = T(0) + (use_avx2() ? pairwise_sum_avx2(row, m) : pairwise_sum<T>(m, [row](long j) { return row[j]; }));
      db[r] = form == BackwardForm::Notes ? sum / T(m) : inv_m * sum;
    }
  });
}

template <typename T>
void linear_backward(T* dA_prev, T* dW, T* db, const T* dZ, const T* A_prev, const T* W, int n,
                     int k, int m, BackwardForm form) {
  gemm<T>(false, true, n, k, m, T(1), dZ, m, A_prev, m, T(0), dW, k);
  if (form == BackwardForm::Notes) divide_by(dW, T(m), static_cast<long>(n) * k);
  else scale_by(dW, T(1) / T(m), static_cast<long>(n) * k);
  bias_backward(db, dZ, n, m, form);
  if (dA_prev) gemm<T>(true, false, k, m, n, T(1), W, k, dZ, m, T(0), dA_prev, m);
}

#define DEEPNET_INSTANTIATE(T)                                                                   \
  template void relu_backward<T>(T*, const T*, const T*, long);                                  \
  template void sigmoid_backward<T>(T*, const T*, const T*, long);                               \
  template void cost_backward<T>(T*, const T*, const T*, long);                                  \
  template void output_backward<T>(T*, const T*, const T*, long);                                \
  template void output_backward_course2<T>(T*, const T*, const T*, long);                        \
  template void linear_backward<T>(T*, T*, T*, const T*, const T*, const T*, int, int, int,      \
                                   BackwardForm);                                                \
  template void bias_backward<T>(T*, const T*, int, int, BackwardForm);                          \
  template void divide_by<T>(T*, T, long);                                                       \
  template void scale_by<T>(T*, T, long);                                                        \
  template void reference::scale_by<T>(T*, T, long);                                            \
  template void reference::relu_backward<T>(T*, const T*, const T*, long);                       \
  template void reference::sigmoid_backward<T>(T*, const T*, const T*, long);                    \
  template void reference::output_backward<T>(T*, const T*, const T*, long);                     \
  template void reference::divide_by<T>(T*, T, long);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
