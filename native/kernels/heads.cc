#include "heads.h"

#include <cmath>

#include "activations.h"
#include "cost.h"
#include "elementwise.h"
#include "reduce.h"
#include "threads.h"

namespace deepnet {

namespace {

// np.max over a column: a NaN anywhere makes the maximum NaN.
inline double nan_max(double max, double z) { return std::isnan(z) || z > max ? z : max; }

template <typename T>
double column_max(const T* Z, int K, long m, long j) {
  double max = Z[j];
  for (int k = 1; k < K; ++k) max = nan_max(max, Z[k * m + j]);
  return max;
}

template <typename T>
double column_sum_exp(const T* Z, int K, long m, long j, double max) {
  double sum = 0.0;
  for (int k = 0; k < K; ++k) sum += std::exp(Z[k * m + j] - max);
  return sum;
}

// Columns j0 .. j1 - 1 of the softmax.
template <typename T>
void softmax_columns(T* A, const T* Z, int K, long m, long j0, long j1) {
  for (long j = j0; j < j1; ++j) {
    const double max = column_max(Z, K, m, j);
    const double sum = column_sum_exp(Z, K, m, j, max);
    for (int k = 0; k < K; ++k) A[k * m + j] = static_cast<T>(std::exp(Z[k * m + j] - max) / sum);
  }
}

}  // namespace

namespace reference {

template <typename T>
void softmax_forward(T* A, const T* Z, int K, int m) {
  softmax_columns(A, Z, K, m, 0, m);
}

template <typename T>
void softmax_terms(double* out, const T* Z, const T* Y, int K, long m, long j0, long n) {
  for (long j = j0; j < j0 + n; ++j) {
    const double max = column_max(Z, K, m, j);
    const double lse = std::log(column_sum_exp(Z, K, m, j, max));
    double term = 0.0;
    for (int k = 0; k < K; ++k) term += static_cast<double>(Y[k * m + j]) * ((Z[k * m + j] - max) - lse);
    out[j - j0] = -term;
  }
}

template <typename T>
double softmax_cost_sum(const T* Z, const T* Y, int K, int m) {
  return 0.0 + pairwise_sum_blocks<double>(m, [&](long offset, long n, double* out) {
           softmax_terms(out, Z, Y, K, m, offset, n);
         });
}

}  // namespace reference

// The vector kernels (heads_simd.h) give each column the reference's
// operations, with vmath's exp and log for the C library's.

template <typename T>
void softmax_forward(T* A, const T* Z, int K, int m) {
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  parallel_rows(m, K, [&](long j0, long j1) {
    if (simd) return simd->softmax_columns(A, Z, K, m, j0, j1);
    softmax_columns(A, Z, K, m, j0, j1);
  });
}

template <typename T>
double softmax_cost_sum(const T* Z, const T* Y, int K, int m) {
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  const auto terms = simd ? simd->softmax_terms : reference::softmax_terms<T>;
  return 0.0 + pairwise_sum_blocks<double>(m, [&](long offset, long n, double* out) {
           terms(out, Z, Y, K, m, offset, n);
         });
}

template <typename T>
void head_forward(T* A, const T* Z, Head head, int K, int m) {
  const long size = static_cast<long>(K) * m;
  switch (head) {
    case Head::Sigmoid: return activation_forward(A, Z, Activation::Sigmoid, size);
    case Head::Linear: return activation_forward(A, Z, Activation::Linear, size);
    case Head::Softmax: return softmax_forward(A, Z, K, m);
  }
}

template <typename T>
double head_cost_sum(Head head, const T* Z, const T* A, const T* Y, int K, int m) {
  const long size = static_cast<long>(K) * m;
  switch (head) {
    case Head::Sigmoid: return cross_entropy_sum_from_logits(Z, Y, size);
    case Head::Linear: return squared_error_sum(A, Y, size);
    case Head::Softmax: break;
  }
  return softmax_cost_sum(Z, Y, K, m);
}

template <typename T>
void head_backward(T* dZ, const T* A, const T* Y, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
    for (long i = i0; i < i1; ++i) dZ[i] = A[i] - Y[i];
  });
}

template <typename T>
long head_correct(Head head, const T* A, const T* Y, int K, int m) {
  long correct = 0;
  if (head == Head::Sigmoid) {
    const long size = static_cast<long>(K) * m;
    for (long i = 0; i < size; ++i) correct += (A[i] > T(0.5) ? T(1) : T(0)) == Y[i];
  } else if (head == Head::Softmax) {
    for (int j = 0; j < m; ++j) {
      int best_a = 0, best_y = 0;
      for (int k = 1; k < K; ++k) {
        const long p = static_cast<long>(k) * m + j;
        if (A[p] > A[static_cast<long>(best_a) * m + j]) best_a = k;
        if (Y[p] > Y[static_cast<long>(best_y) * m + j]) best_y = k;
      }
      correct += best_a == best_y;
    }
  }
  return correct;
}

#define DEEPNET_INSTANTIATE(T)                                                          \
  template void head_forward<T>(T*, const T*, Head, int, int);                         \
  template double head_cost_sum<T>(Head, const T*, const T*, const T*, int, int);      \
  template void head_backward<T>(T*, const T*, const T*, long);                        \
  template long head_correct<T>(Head, const T*, const T*, int, int);                   \
  template void softmax_forward<T>(T*, const T*, int, int);                            \
  template double softmax_cost_sum<T>(const T*, const T*, int, int);                   \
  template void reference::softmax_forward<T>(T*, const T*, int, int);                 \
  template double reference::softmax_cost_sum<T>(const T*, const T*, int, int);        \
  template void reference::softmax_terms<T>(double*, const T*, const T*, int, long, long, long);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
