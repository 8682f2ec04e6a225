#include "cost.h"

#include <cmath>

#include "elementwise.h"
#include "reduce.h"

namespace deepnet {

namespace {

// The scalar terms (glibc's log and exp); cost_simd.h has the vector ones
// (vmath's, within an ulp).
double notes_term(double a, double y) { return std::log(a) * y + std::log(1.0 - a) * (1.0 - y); }

double course2_term(double a, double y) {  // nansum: a NaN term counts 0
  const double t = -std::log(a) * y + -std::log(1.0 - a) * (1.0 - y);
  return std::isnan(t) ? 0.0 : t;
}

double softplus(double z) { return (z > 0 ? z : 0.0) + std::log1p(std::exp(-std::fabs(z))); }
double logits_term(double z, double y) { return y * softplus(-z) + (1.0 - y) * softplus(z); }

double squared_term(double a, double y) { return 0.5 * ((a - y) * (a - y)); }

template <typename T, typename Term>
void scalar_terms(double* out, const T* X, const T* Y, long n, Term term) {
  for (long i = 0; i < n; ++i) out[i] = term(X[i], Y[i]);
}

// sum over i of term(X[i], Y[i]) with numpy's pairwise grouping, plus 0.0 as np.sum.
template <typename T>
double sum_terms(CostTerm term, const T* X, const T* Y, long m) {
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  const auto terms = simd ? simd->cost_terms : reference::cost_terms<T>;
  return 0.0 + pairwise_sum_blocks<double>(m, [&](long offset, long n, double* out) {
           terms(term, out, X + offset, Y + offset, n);
         });
}

}  // namespace

namespace reference {
template <typename T>
void cost_terms(CostTerm term, double* out, const T* X, const T* Y, long n) {
  switch (term) {
    case CostTerm::Notes: return scalar_terms(out, X, Y, n, [](double x, double y) { return notes_term(x, y); });
    case CostTerm::Course2: return scalar_terms(out, X, Y, n, [](double x, double y) { return course2_term(x, y); });
    case CostTerm::Logits: return scalar_terms(out, X, Y, n, [](double x, double y) { return logits_term(x, y); });
    case CostTerm::Squared: return scalar_terms(out, X, Y, n, [](double x, double y) { return squared_term(x, y); });
  }
}
}  // namespace reference

template <typename T>
double cross_entropy_sum(const T* AL, const T* Y, long size) {
  return -sum_terms(CostTerm::Notes, AL, Y, size);
}

template <typename T>
double cross_entropy_sum_course2(const T* AL, const T* Y, long size) {
  return sum_terms(CostTerm::Course2, AL, Y, size);
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
  return sum_terms(CostTerm::Logits, ZL, Y, size);
}

template <typename T>
double cross_entropy_cost_from_logits(const T* ZL, const T* Y, long m) {
  return 1.0 / static_cast<double>(m) * cross_entropy_sum_from_logits(ZL, Y, m);
}

template <typename T>
double squared_error_sum(const T* A, const T* Y, long size) {
  return sum_terms(CostTerm::Squared, A, Y, size);
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
template void reference::cost_terms<float>(CostTerm, double*, const float*, const float*, long);
template void reference::cost_terms<double>(CostTerm, double*, const double*, const double*, long);

}  // namespace deepnet
