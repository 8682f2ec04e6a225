#include "backward.h"

#include <cmath>

#include "gemm.h"
#include "reduce.h"
#include "simd.h"
#include "threads.h"

namespace deepnet {

template <typename T>
static inline T dal1(T a, T y) {
  return -(y / a - (T(1) - y) / (T(1) - a));
}

namespace reference {

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

static bool use_avx2() { return simd_avx2_or_better(); }

// The public kernels split large arrays over the thread pool (threads.h);
// each chunk runs the AVX2 kernel or the reference one.

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
      db[r] = form == BackwardForm::Notes ? sum / T(m) : form == BackwardForm::Course2 ? inv_m * sum : sum;
    }
  });
}

template <typename T>
void linear_backward(T* dA_prev, T* dW, T* db, const T* dZ, const T* A_prev, const T* W, int n,
                     int k, int m, BackwardForm form) {
  gemm<T>(false, true, n, k, m, T(1), dZ, m, A_prev, m, T(0), dW, k);
  if (form == BackwardForm::Notes) divide_by(dW, T(m), static_cast<long>(n) * k);
  else if (form == BackwardForm::Course2) scale_by(dW, T(1) / T(m), static_cast<long>(n) * k);
  bias_backward(db, dZ, n, m, form);
  if (dA_prev) gemm<T>(true, false, k, m, n, T(1), W, k, dZ, m, T(0), dA_prev, m);
}

#define DEEPNET_INSTANTIATE(T)                                                                   \
  template void cost_backward<T>(T*, const T*, const T*, long);                                  \
  template void output_backward<T>(T*, const T*, const T*, long);                                \
  template void output_backward_course2<T>(T*, const T*, const T*, long);                        \
  template void linear_backward<T>(T*, T*, T*, const T*, const T*, const T*, int, int, int,      \
                                   BackwardForm);                                                \
  template void bias_backward<T>(T*, const T*, int, int, BackwardForm);                          \
  template void divide_by<T>(T*, T, long);                                                       \
  template void scale_by<T>(T*, T, long);                                                        \
  template void reference::scale_by<T>(T*, T, long);                                            \
  template void reference::output_backward<T>(T*, const T*, const T*, long);                     \
  template void reference::divide_by<T>(T*, T, long);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
