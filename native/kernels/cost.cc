#include "cost.h"

#include <cmath>

#include "reduce.h"
#include "simd.h"
#include "vmath.h"

namespace deepnet {

namespace {

// Each form of the cost is (1 / m) times the pairwise sum of one term per
// example: a scalar version (the reference, glibc's log) and a four-lane one
// (vmath's log, within an ulp).
struct NotesTerm {
  static double scalar(double a, double y) { return std::log(a) * y + std::log(1.0 - a) * (1.0 - y); }
#if DEEPNET_HAS_X86
  DEEPNET_TARGET_AVX2 static __m256d vector(__m256d a, __m256d y) {
    const __m256d one = _mm256_set1_pd(1), zero = _mm256_setzero_pd();
    const __m256d b = _mm256_sub_pd(one, a);
    // Labels 0/1 and 0 < a < 1 (the usual case): both logs are finite and
    // <= 0, so the term whose factor is 0 is a signed zero that leaves the
    // other unchanged; one log, of a or of 1 - a, gives the same bits.
    const __m256d y_one = _mm256_cmp_pd(y, one, _CMP_EQ_OQ);
    const __m256d usual = _mm256_and_pd(
        _mm256_or_pd(y_one, _mm256_cmp_pd(y, zero, _CMP_EQ_OQ)),
        _mm256_and_pd(_mm256_cmp_pd(a, zero, _CMP_GT_OQ), _mm256_cmp_pd(a, one, _CMP_LT_OQ)));
    if (_mm256_movemask_pd(usual) == 0xF) return vmath::log_pd(_mm256_blendv_pd(b, a, y_one));
    return _mm256_add_pd(_mm256_mul_pd(vmath::log_pd(a), y), _mm256_mul_pd(vmath::log_pd(b), _mm256_sub_pd(one, y)));
  }
#endif
};

struct Course2Term {  // -log(a)*y + -log(1-a)*(1-y), NaN dropped (nansum)
  static double scalar(double a, double y) {
    const double t = -std::log(a) * y + -std::log(1.0 - a) * (1.0 - y);
    return std::isnan(t) ? 0.0 : t;
  }
#if DEEPNET_HAS_X86
  DEEPNET_TARGET_AVX2 static __m256d vector(__m256d a, __m256d y) {
    const __m256d one = _mm256_set1_pd(1), minus = _mm256_set1_pd(-0.0);
    const __m256d t = _mm256_add_pd(_mm256_mul_pd(_mm256_xor_pd(vmath::log_pd(a), minus), y),
                                    _mm256_mul_pd(_mm256_xor_pd(vmath::log_pd(_mm256_sub_pd(one, a)), minus),
                                                  _mm256_sub_pd(one, y)));
    return _mm256_andnot_pd(_mm256_cmp_pd(t, t, _CMP_UNORD_Q), t);
  }
#endif
};

struct LogitsTerm {  // y softplus(-z) + (1 - y) softplus(z), softplus(z) = max(z, 0) + log1p(exp(-|z|))
  static double softplus(double z) { return (z > 0 ? z : 0.0) + std::log1p(std::exp(-std::fabs(z))); }
  static double scalar(double z, double y) { return y * softplus(-z) + (1.0 - y) * softplus(z); }
#if DEEPNET_HAS_X86
  DEEPNET_TARGET_AVX2 static __m256d vector(__m256d z, __m256d y) {
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1), minus = _mm256_set1_pd(-0.0);
    // log(1 + u) for u = exp(-|z|) in (0, 1]: an absolute error below 1e-16, which is all a sum of costs needs.
    const __m256d tail = vmath::log_pd(_mm256_add_pd(one, vmath::exp_pd(_mm256_or_pd(z, minus))));
    const __m256d sp_pos = _mm256_add_pd(_mm256_max_pd(z, zero), tail);                        // softplus(z)
    const __m256d sp_neg = _mm256_add_pd(_mm256_max_pd(_mm256_xor_pd(z, minus), zero), tail);  // softplus(-z)
    return _mm256_add_pd(_mm256_mul_pd(y, sp_neg), _mm256_mul_pd(_mm256_sub_pd(one, y), sp_pos));
  }
#endif
};

struct SquaredTerm {  // (a - y)^2 / 2, in double
  static double scalar(double a, double y) { return 0.5 * ((a - y) * (a - y)); }
#if DEEPNET_HAS_X86
  DEEPNET_TARGET_AVX2 static __m256d vector(__m256d a, __m256d y) {
    const __m256d d = _mm256_sub_pd(a, y);
    return _mm256_mul_pd(_mm256_set1_pd(0.5), _mm256_mul_pd(d, d));
  }
#endif
};

#if DEEPNET_HAS_X86
// out (n) = Term(X[i], Y[i]); a last partial group is padded (X 0.5, Y 0:
// finite, unused), so each term gets the same arithmetic wherever it sits.
template <typename Term, typename T>
DEEPNET_TARGET_AVX2 void vector_terms(double* out, const T* X, const T* Y, long n) {
  long i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, Term::vector(vmath::load4(X + i), vmath::load4(Y + i)));
  if (i == n) return;
  T x[4] = {T(0.5), T(0.5), T(0.5), T(0.5)}, y[4] = {0, 0, 0, 0};
  double t[4];
  for (long j = i; j < n; ++j) x[j - i] = X[j], y[j - i] = Y[j];
  _mm256_storeu_pd(t, Term::vector(vmath::load4(x), vmath::load4(y)));
  for (long j = i; j < n; ++j) out[j] = t[j - i];
}
#endif

// sum over i of Term(X[i], Y[i]) with numpy's pairwise grouping, plus 0.0 as np.sum.
template <typename Term, typename T>
double sum_terms(const T* X, const T* Y, long m) {
#if DEEPNET_HAS_X86
  if (simd_avx2_or_better()) {
    return 0.0 + pairwise_sum_blocks<double>(m, [X, Y](long offset, long n, double* out) {
             vector_terms<Term>(out, X + offset, Y + offset, n);
           });
  }
#endif
  return 0.0 + pairwise_sum<double>(m, [X, Y](long i) { return Term::scalar(X[i], Y[i]); });
}

}  // namespace

template <typename T>
double cross_entropy_sum(const T* AL, const T* Y, long size) {
  return -sum_terms<NotesTerm>(AL, Y, size);
}

template <typename T>
double cross_entropy_sum_course2(const T* AL, const T* Y, long size) {
  return sum_terms<Course2Term>(AL, Y, size);
}

template <typename T>
double cross_entropy_cost(const T* AL, const T* Y, long m) {
  return cross_entropy_sum(AL, Y, m) / static_cast<double>(m);
}

template <typename T>
double cross_entropy_cost_course2(const T* AL, const T* Y, long m) {
  return 1.0 / static_cast<double>(m) * cross_entropy_sum_course2(AL, Y, m);
}

template <typename T>
double cross_entropy_sum_from_logits(const T* ZL, const T* Y, long size) {
  return sum_terms<LogitsTerm>(ZL, Y, size);
}

template <typename T>
double cross_entropy_cost_from_logits(const T* ZL, const T* Y, long m) {
  return 1.0 / static_cast<double>(m) * cross_entropy_sum_from_logits(ZL, Y, m);
}

template <typename T>
double squared_error_sum(const T* A, const T* Y, long size) {
  return sum_terms<SquaredTerm>(A, Y, size);
}

template double cross_entropy_sum<float>(const float*, const float*, long);
template double cross_entropy_sum<double>(const double*, const double*, long);
template double cross_entropy_sum_course2<float>(const float*, const float*, long);
template double cross_entropy_sum_course2<double>(const double*, const double*, long);
template double cross_entropy_cost<float>(const float*, const float*, long);
template double cross_entropy_cost<double>(const double*, const double*, long);
template double cross_entropy_cost_course2<float>(const float*, const float*, long);
template double cross_entropy_cost_course2<double>(const double*, const double*, long);
template double cross_entropy_cost_from_logits<float>(const float*, const float*, long);
template double cross_entropy_sum_from_logits<float>(const float*, const float*, long);
template double cross_entropy_sum_from_logits<double>(const double*, const double*, long);
template double squared_error_sum<float>(const float*, const float*, long);
template double squared_error_sum<double>(const double*, const double*, long);
template double cross_entropy_cost_from_logits<double>(const double*, const double*, long);

}  // namespace deepnet
