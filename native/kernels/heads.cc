#include "heads.h"

#include <cmath>

#include "activations.h"
#include "cost.h"
#include "reduce.h"
#include "simd.h"
#include "threads.h"
#include "vmath.h"

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

// -sum_k y_k log p_k of column j.
template <typename T>
double softmax_term(const T* Z, const T* Y, int K, long m, long j) {
  const double max = column_max(Z, K, m, j);
  const double lse = std::log(column_sum_exp(Z, K, m, j, max));
  double term = 0.0;
  for (int k = 0; k < K; ++k) term += static_cast<double>(Y[k * m + j]) * ((Z[k * m + j] - max) - lse);
  return -term;
}

template <typename T>
double softmax_cost_sum(const T* Z, const T* Y, int K, int m) {
  return 0.0 + pairwise_sum<double>(m, [&](long j) { return softmax_term(Z, Y, K, m, j); });
}

}  // namespace reference

#if DEEPNET_HAS_X86
namespace avx2 {

// Four columns j .. j + 3 at once, one lane each, in double: the same
// operations per lane as the reference (vmath's exp and log for the C
// library's), so each column's result does not depend on its neighbours.
// Column j + lanes past the end read and write nothing (masked by `lanes`).
struct Columns {
  const long m;
  const int lanes;
  template <typename T>
  DEEPNET_TARGET_AVX2 __m256d load(const T* row, long j) const {
    if (lanes == 4) return vmath::load4(row + j);
    T tmp[4] = {0, 0, 0, 0};
    for (int i = 0; i < lanes; ++i) tmp[i] = row[j + i];
    return vmath::load4(tmp);
  }
  template <typename T>
  DEEPNET_TARGET_AVX2 void store(T* row, long j, __m256d v) const {
    if (lanes == 4) return vmath::store4(row + j, v);
    T tmp[4];
    vmath::store4(tmp, v);
    for (int i = 0; i < lanes; ++i) row[j + i] = tmp[i];
  }
};

template <typename T>
DEEPNET_TARGET_AVX2 __m256d column_max(const Columns& c, const T* Z, int K, long j) {
  __m256d max = c.load(Z, j);
  for (int k = 1; k < K; ++k) {
    const __m256d z = c.load(Z + k * c.m, j);
    // nan_max: z where z is NaN or larger, so a NaN anywhere stays.
    const __m256d take = _mm256_or_pd(_mm256_cmp_pd(z, z, _CMP_UNORD_Q), _mm256_cmp_pd(z, max, _CMP_GT_OQ));
    max = _mm256_blendv_pd(max, z, take);
  }
  return max;
}

template <typename T>
DEEPNET_TARGET_AVX2 __m256d column_sum_exp(const Columns& c, const T* Z, int K, long j, __m256d max) {
  __m256d sum = _mm256_setzero_pd();
  for (int k = 0; k < K; ++k) sum = _mm256_add_pd(sum, vmath::exp_pd(_mm256_sub_pd(c.load(Z + k * c.m, j), max)));
  return sum;
}

template <typename T>
DEEPNET_TARGET_AVX2 void softmax_forward(T* A, const T* Z, int K, int m, long j0, long j1) {
  for (long j = j0; j < j1; j += 4) {
    const Columns c{m, static_cast<int>(j1 - j < 4 ? j1 - j : 4)};
    const __m256d max = column_max(c, Z, K, j);
    const __m256d sum = column_sum_exp(c, Z, K, j, max);
    for (int k = 0; k < K; ++k)
      c.store(A + k * c.m, j, _mm256_div_pd(vmath::exp_pd(_mm256_sub_pd(c.load(Z + k * c.m, j), max)), sum));
  }
}

template <typename T>
DEEPNET_TARGET_AVX2 void softmax_terms(double* out, const T* Z, const T* Y, int K, int m, long j0, long n) {
  for (long j = j0; j < j0 + n; j += 4) {
    const Columns c{m, static_cast<int>(j0 + n - j < 4 ? j0 + n - j : 4)};
    const __m256d max = column_max(c, Z, K, j);
    const __m256d lse = vmath::log_pd(column_sum_exp(c, Z, K, j, max));
    __m256d term = _mm256_setzero_pd();
    for (int k = 0; k < K; ++k) {
      const __m256d logp = _mm256_sub_pd(_mm256_sub_pd(c.load(Z + k * c.m, j), max), lse);
      term = _mm256_add_pd(term, _mm256_mul_pd(c.load(Y + k * c.m, j), logp));
    }
    double t[4];
    _mm256_storeu_pd(t, _mm256_xor_pd(term, _mm256_set1_pd(-0.0)));
    for (int i = 0; i < c.lanes; ++i) out[j - j0 + i] = t[i];
  }
}

static bool use_avx2() { return simd_avx2_or_better(); }
}  // namespace avx2
#endif

template <typename T>
void softmax_forward(T* A, const T* Z, int K, int m) {
  parallel_rows(m, K, [&](long j0, long j1) {
#if DEEPNET_HAS_X86
    if (avx2::use_avx2()) return avx2::softmax_forward(A, Z, K, m, j0, j1);
#endif
    softmax_columns(A, Z, K, m, j0, j1);
  });
}

template <typename T>
double softmax_cost_sum(const T* Z, const T* Y, int K, int m) {
#if DEEPNET_HAS_X86
  if (avx2::use_avx2()) {
    return 0.0 + pairwise_sum_blocks<double>(m, [&](long offset, long n, double* out) {
             avx2::softmax_terms(out, Z, Y, K, m, offset, n);
           });
  }
#endif
  return reference::softmax_cost_sum(Z, Y, K, m);
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
  template double reference::softmax_cost_sum<T>(const T*, const T*, int, int);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
