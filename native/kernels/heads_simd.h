// The vector bodies of the softmax head (heads.h has the shapes and the
// reference twins). A vector holds consecutive columns j, j + 1, ..., one per
// lane, in double: each column's max, log-sum-exp over its K rows (summed
// over k in order) and results are the reference's operations on that lane
// alone (vmath's exp and log for the C library's), so a column's result does
// not depend on its neighbours or on the vector width.
//
// Level-generic: see elementwise_level.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {
namespace heads {

using vmath::D;
using vmath::VD;

// np.max over each column: a NaN anywhere makes the maximum NaN.
template <typename T, typename IO>
DEEPNET_SIMD_INLINE VD column_max(IO io, const T* Z, int K, long m, long j) {
  VD max = io.load(Z + j);
  for (int k = 1; k < K; ++k) {
    const VD z = io.load(Z + k * m + j);
    max = D::select(D::either(D::unord(z, z), D::gt(z, max)), z, max);
  }
  return max;
}

template <typename T, typename IO>
DEEPNET_SIMD_INLINE VD column_sum_exp(IO io, const T* Z, int K, long m, long j, VD max) {
  VD sum = D::zero();
  for (int k = 0; k < K; ++k) sum = sum + vmath::exp(io.load(Z + k * m + j) - max);
  return sum;
}

template <typename T>
void softmax_columns(T* A, const T* Z, int K, long m, long j0, long j1) {
  for_each_vector<D>(j1 - j0, [&](long i, auto io) {
    const long j = j0 + i;
    const VD max = column_max(io, Z, K, m, j);
    const VD sum = column_sum_exp(io, Z, K, m, j, max);
    for (int k = 0; k < K; ++k) io.store(A + k * m + j, vmath::exp(io.load(Z + k * m + j) - max) / sum);
  });
}

template <typename T>
void softmax_terms(double* out, const T* Z, const T* Y, int K, long m, long j0, long n) {
  for_each_vector<D>(n, [&](long i, auto io) {
    const long j = j0 + i;
    const VD max = column_max(io, Z, K, m, j);
    const VD lse = vmath::log(column_sum_exp(io, Z, K, m, j, max));
    VD term = D::zero();
    for (int k = 0; k < K; ++k) term = term + io.load(Y + k * m + j) * ((io.load(Z + k * m + j) - max) - lse);
    io.store(out + i, vmath::neg(term));
  });
}

}  // namespace heads
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
