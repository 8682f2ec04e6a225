#include "init.h"

#include <cmath>

namespace deepnet {

template <typename T>
void init_weights(T* W, RandomState& rs, int n, int k, InitMethod method, double scale) {
  const long size = static_cast<long>(n) * k;
  if (method == InitMethod::Zeros) {
    for (long i = 0; i < size; ++i) W[i] = T(0);
    return;
  }
  const double kd = static_cast<double>(k);
  // The course's own operation for each method: randn / sqrt(n) is not randn * (1 / sqrt(n)).
  const double d = std::sqrt(kd), he = std::sqrt(2.0 / kd), xavier = std::sqrt(1.0 / kd);
  for (long i = 0; i < size; ++i) {
    const double r = rs.randn();
    double w = r;
    switch (method) {
      case InitMethod::Deep: w = r / d; break;
      case InitMethod::He: w = r * he; break;
      case InitMethod::Xavier: w = r * xavier; break;
      case InitMethod::Scaled: w = r * scale; break;
      case InitMethod::Zeros: break;
    }
    W[i] = static_cast<T>(w);
  }
}

template void init_weights<float>(float*, RandomState&, int, int, InitMethod, double);
template void init_weights<double>(double*, RandomState&, int, int, InitMethod, double);

}  // namespace deepnet
