#include "l2.h"

#include "reduce.h"
#include "simd.h"
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

namespace avx2 {
template <typename T>
DEEPNET_TARGET_AVX2 static void l2_gradient(T* dW, const T* W, T lambd, T m, long size) {
  using V = simd::vec<T>;
  const V lv = simd::splat<T>(lambd), mv = simd::splat<T>(m);
  long i = 0;
  for (; i + simd::lanes<T> <= size; i += simd::lanes<T>)
    simd::store(dW + i, simd::load(dW + i) + (lv * simd::load(W + i)) / mv);
  for (; i < size; ++i) dW[i] = dW[i] + (lambd * W[i]) / m;
}
}  // namespace avx2

template <typename T>
void l2_gradient(T* dW, const T* W, T lambd, T m, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
    if (simd_avx2_or_better()) return avx2::l2_gradient(dW + i0, W + i0, lambd, m, i1 - i0);
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
