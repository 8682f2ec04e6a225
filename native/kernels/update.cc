#include "update.h"

#include "simd.h"
#include "threads.h"

namespace deepnet {

namespace reference {
template <typename T>
void update(T* P_new, const T* P, const T* dP, T learning_rate, long size) {
  for (long i = 0; i < size; ++i) P_new[i] = P[i] - learning_rate * dP[i];
}
}  // namespace reference

namespace avx2 {
template <typename T>
DEEPNET_TARGET_AVX2 static void update(T* P_new, const T* P, const T* dP, T learning_rate, long size) {
  using V = simd::vec<T>;
  const V lr = simd::splat<T>(learning_rate);
  long i = 0;
  for (; i + simd::lanes<T> <= size; i += simd::lanes<T>)
    simd::store(P_new + i, simd::load(P + i) - lr * simd::load(dP + i));
  for (; i < size; ++i) P_new[i] = P[i] - learning_rate * dP[i];
}
}  // namespace avx2

template <typename T>
void update(T* P_new, const T* P, const T* dP, T learning_rate, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
    if (simd_avx2_or_better())
      return avx2::update(P_new + i0, P + i0, dP + i0, learning_rate, i1 - i0);
    reference::update(P_new + i0, P + i0, dP + i0, learning_rate, i1 - i0);
  });
}

template void update<float>(float*, const float*, const float*, float, long);
template void update<double>(double*, const double*, const double*, double, long);
template void reference::update<float>(float*, const float*, const float*, float, long);
template void reference::update<double>(double*, const double*, const double*, double, long);

}  // namespace deepnet
