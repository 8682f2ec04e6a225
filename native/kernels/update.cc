#include "update.h"

#include "elementwise.h"
#include "threads.h"

namespace deepnet {

namespace reference {
template <typename T>
void update(T* P_new, const T* P, const T* dP, T learning_rate, long size) {
  for (long i = 0; i < size; ++i) P_new[i] = P[i] - learning_rate * dP[i];
}
}  // namespace reference

template <typename T>
void update(T* P_new, const T* P, const T* dP, T learning_rate, long size) {
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  parallel_range(size, 64, [&](long i0, long i1) {
    if (simd) return simd->update(P_new + i0, P + i0, dP + i0, learning_rate, i1 - i0);
    reference::update(P_new + i0, P + i0, dP + i0, learning_rate, i1 - i0);
  });
}

template void update<float>(float*, const float*, const float*, float, long);
template void update<double>(double*, const double*, const double*, double, long);
template void reference::update<float>(float*, const float*, const float*, float, long);
template void reference::update<double>(double*, const double*, const double*, double, long);

}  // namespace deepnet
