#include "cost.h"

#include <cmath>

#include "reduce.h"

namespace deepnet {

template <typename T>
double cross_entropy_cost(const T* AL, const T* Y, long m) {
  auto term = [AL, Y](long i) {
    double a = AL[i], y = Y[i];
    return std::log(a) * y + std::log(1.0 - a) * (1.0 - y);
  };
  double sum = 0.0 + pairwise_sum<double>(m, term);
  return -sum / static_cast<double>(m);
}

template <typename T>
double cross_entropy_cost_course2(const T* AL, const T* Y, long m) {
  auto term = [AL, Y](long i) {
    double a = AL[i], y = Y[i];
    double t = -std::log(a) * y + -std::log(1.0 - a) * (1.0 - y);
    return std::isnan(t) ? 0.0 : t;  // nansum
  };
  double sum = 0.0 + pairwise_sum<double>(m, term);
  return 1.0 / static_cast<double>(m) * sum;
}

static inline double softplus(double z) { return (z > 0 ? z : 0.0) + std::log1p(std::exp(-std::fabs(z))); }

template <typename T>
double cross_entropy_cost_from_logits(const T* ZL, const T* Y, long m) {
  auto term = [ZL, Y](long i) {
    double z = ZL[i], y = Y[i];
    return y * softplus(-z) + (1.0 - y) * softplus(z);
  };
  double sum = 0.0 + pairwise_sum<double>(m, term);
  return 1.0 / static_cast<double>(m) * sum;
}

template double cross_entropy_cost<float>(const float*, const float*, long);
template double cross_entropy_cost<double>(const double*, const double*, long);
template double cross_entropy_cost_course2<float>(const float*, const float*, long);
template double cross_entropy_cost_course2<double>(const double*, const double*, long);
template double cross_entropy_cost_from_logits<float>(const float*, const float*, long);
template double cross_entropy_cost_from_logits<double>(const double*, const double*, long);

}  // namespace deepnet
