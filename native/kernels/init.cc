#include "init.h"

#include <cmath>

namespace deepnet {

void init_weights(double* W, RandomState& rs, int n, int k, InitMethod method, double scale) {
  const long size = static_cast<long>(n) * k;
  if (method == InitMethod::Zeros) {
    for (long i = 0; i < size; ++i) W[i] = 0.0;
    return;
  }
  rs.fill_randn(W, size);
  const double kd = static_cast<double>(k);
  switch (method) {
    case InitMethod::Deep: {
      const double d = std::sqrt(kd);
      for (long i = 0; i < size; ++i) W[i] = W[i] / d;
      break;
    }
    case InitMethod::He: {
      const double f = std::sqrt(2.0 / kd);
      for (long i = 0; i < size; ++i) W[i] = W[i] * f;
      break;
    }
    case InitMethod::Xavier: {
      const double f = std::sqrt(1.0 / kd);
      for (long i = 0; i < size; ++i) W[i] = W[i] * f;
      break;
    }
    case InitMethod::Scaled:
      for (long i = 0; i < size; ++i) W[i] = W[i] * scale;
      break;
    case InitMethod::Zeros:
      break;
  }
}

}  // namespace deepnet
