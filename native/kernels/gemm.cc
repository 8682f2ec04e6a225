#include "gemm.h"

#include "cpu.h"
#include "openblas.h"

namespace deepnet {

GemmBackend gemm_backend() {
  return openblas::library() ? GemmBackend::OpenBLAS : GemmBackend::Builtin;
}

const char* gemm_backend_name() {
  return gemm_backend() == GemmBackend::OpenBLAS ? "openblas" : "builtin";
}

namespace {
int blas_trans(bool t) { return t ? openblas::kTrans : openblas::kNoTrans; }

// OpenBLAS except where the built-in kernel measured faster (see gemm.h): the
// products it reads in place, and (AVX2 only: the portable build is slower)
// those with K <= 64, where OpenBLAS's setup and packing outweigh the work.
template <typename T>
bool use_openblas(const openblas::Library* lib, bool transA, bool transB, int M, int N, int K,
                  int ldb) {
  if (!lib || gemm_builtin_unpacked<T>(transA, transB, M, N, K, ldb)) return false;
  return K > 64 || !simd_avx2_or_better();
}
}  // namespace

template <>
void gemm<double>(bool transA, bool transB, int M, int N, int K, double alpha, const double* A,
                  int lda, const double* B, int ldb, double beta, double* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  const openblas::Library* lib = openblas::library();
  if (use_openblas<double>(lib, transA, transB, M, N, K, ldb)) {
    lib->dgemm(openblas::kRowMajor, blas_trans(transA), blas_trans(transB), M, N, K, alpha, A,
               lda, B, ldb, beta, C, ldc);
  } else {
    gemm_builtin<double>(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }
}

template <>
void gemm<float>(bool transA, bool transB, int M, int N, int K, float alpha, const float* A,
                 int lda, const float* B, int ldb, float beta, float* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  const openblas::Library* lib = openblas::library();
  if (use_openblas<float>(lib, transA, transB, M, N, K, ldb)) {
    lib->sgemm(openblas::kRowMajor, blas_trans(transA), blas_trans(transB), M, N, K, alpha, A,
               lda, B, ldb, beta, C, ldc);
  } else {
    gemm_builtin<float>(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }
}

}  // namespace deepnet
