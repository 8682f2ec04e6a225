#include "l2.h"

#include "elementwise.h"
#include "reduce.h"
#include "threads.h"

namespace deepnet {

template <typename T>
double sum_of_squares(const T* W, long size) {
  return 0.0 + pairwise_sum<double>(size, [W](long i) {
           double w = W[i];
           return w * w;
         });
}

namespace reference {
template <typename T>
void l2_gradient(T* dW, const T* W, T lambd, T m, long size) {
  for (long i = 0; i < size; ++i) dW[i] = dW[i] + (lambd * W[i]) / m;
}
}  // namespace reference

template <typename T>
void l2_gradient(T* dW, const T* W, T lambd, T m, long size) {
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  parallel_range(size, 64, [&](long i0, long i1) {
    if (simd) return simd->l2_gradient(dW + i0, W + i0, lambd, m, i1 - i0);
    reference::l2_gradient(dW + i0, W + i0, lambd, m, i1 - i0);
  });
}

#define DEEPNET_INSTANTIATE(T)                                                                 \
  template double sum_of_squares<T>(const T*, long);                                           \
  template void l2_gradient<T>(T*, const T*, T, T, long);                                      \
  template void reference::l2_gradient<T>(T*, const T*, T, T, long);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
