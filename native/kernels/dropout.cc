#include "dropout.h"

#include "simd.h"
#include "threads.h"

namespace deepnet {

namespace reference {
template <typename T>
void dropout_apply(T* A, const T* D, T keep_prob, long size) {
  for (long i = 0; i < size; ++i) {
    T a = A[i] * D[i];  // two roundings, as numpy: A = A * D; A = A / keep_prob
    A[i] = a / keep_prob;
  }
}
}  // namespace reference

namespace avx2 {
template <typename T>
DEEPNET_TARGET_AVX2 static void dropout_apply(T* A, const T* D, T keep_prob, long size) {
  using V = simd::vec<T>;
  const V kp = simd::splat<T>(keep_prob);
  long i = 0;
  for (; i + simd::lanes<T> <= size; i += simd::lanes<T>)
    simd::store(A + i, (simd::load(A + i) * simd::load(D + i)) / kp);
  for (; i < size; ++i) {
    T a = A[i] * D[i];
    A[i] = a / keep_prob;
  }
}
}  // namespace avx2

template <typename T>
void dropout_apply(T* A, const T* D, T keep_prob, long size) {
  parallel_range(size, 64, [&](long i0, long i1) {
    if (simd_avx2_or_better()) return avx2::dropout_apply(A + i0, D + i0, keep_prob, i1 - i0);
    reference::dropout_apply(A + i0, D + i0, keep_prob, i1 - i0);
  });
}

template <typename T>
void dropout_forward(T* A, T* D, RandomState& rs, double keep_prob, long size) {
  rs.draw_rand(size, [D, keep_prob](long i, double u) { D[i] = u < keep_prob ? T(1) : T(0); });
  dropout_apply(A, D, static_cast<T>(keep_prob), size);
}

#define DEEPNET_INSTANTIATE(T)                                         \
  template void dropout_forward<T>(T*, T*, RandomState&, double, long); \
  template void dropout_apply<T>(T*, const T*, T, long);               \
  template void reference::dropout_apply<T>(T*, const T*, T, long);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
