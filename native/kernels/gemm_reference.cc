// The truth every other gemm is tested against: the textbook triple loop.
//
//   C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C
//
// Each C[i][j] is one dot product, summed with k ascending from 0, then
// scaled: C = alpha * sum + beta * C. No blocking, no threads, no SIMD, so the
// result depends on nothing but the inputs. Slow on purpose: use it in tests.
#include <cstddef>

#include "gemm.h"

namespace deepnet {

template <typename T>
void gemm_reference(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                    const T* B, int ldb, T beta, T* C, int ldc) {
  // op(A)[i][k] and op(B)[k][j] as element strides, so one loop serves all
  // four transpose combinations.
  const std::ptrdiff_t a_i = transA ? 1 : lda, a_k = transA ? lda : 1;
  const std::ptrdiff_t b_k = transB ? 1 : ldb, b_j = transB ? ldb : 1;
  for (int i = 0; i < M; ++i) {
    for (int j = 0; j < N; ++j) {
      T* c = C + static_cast<std::ptrdiff_t>(i) * ldc + j;
      // BLAS semantics: alpha == 0 (or K == 0) leaves only beta * C, without
      // touching A or B. beta == 0 never reads C, which may hold NaN garbage.
      T sum = T(0);
      if (alpha != T(0)) {
        for (int k = 0; k < K; ++k) sum += A[i * a_i + k * a_k] * B[k * b_k + j * b_j];
      }
      *c = beta == T(0) ? alpha * sum : alpha * sum + beta * *c;
    }
  }
}

template void gemm_reference<float>(bool, bool, int, int, int, float, const float*, int,
                                    const float*, int, float, float*, int);
template void gemm_reference<double>(bool, bool, int, int, int, double, const double*, int,
                                     const double*, int, double, double*, int);

}  // namespace deepnet
