#include "forward.h"

#include "gemm.h"

namespace deepnet {

template <typename T>
void linear_forward(T* Z, const T* W, const T* A_prev, const T* b, int n, int k, int m) {
  gemm<T>(false, false, n, m, k, T(1), W, k, A_prev, m, T(0), Z, m);
  bias_add(Z, b, n, m);
}

template void linear_forward<float>(float*, const float*, const float*, const float*, int, int, int);
template void linear_forward<double>(double*, const double*, const double*, const double*, int, int, int);

}  // namespace deepnet
