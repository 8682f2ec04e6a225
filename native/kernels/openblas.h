// OpenBLAS, found at run time with dlopen, never linked: a binary built on a
// machine with OpenBLAS still loads (and falls back to the built-in gemm) on a
// machine without it. We declare the few CBLAS entry points we call ourselves,
// so building needs no BLAS headers either.
//
// Search order: $DEEPNET_OPENBLAS (a path), then libopenblas.so.0, libopenblas.so.
// DEEPNET_GEMM=builtin skips the search entirely.
#pragma once

namespace deepnet {
namespace openblas {

// CBLAS enum values (cblas.h): CblasRowMajor, CblasNoTrans, CblasTrans.
constexpr int kRowMajor = 101;
constexpr int kNoTrans = 111;
constexpr int kTrans = 112;

using dgemm_fn = void (*)(int order, int transA, int transB, int M, int N, int K, double alpha,
                          const double* A, int lda, const double* B, int ldb, double beta,
                          double* C, int ldc);
using sgemm_fn = void (*)(int order, int transA, int transB, int M, int N, int K, float alpha,
                          const float* A, int lda, const float* B, int ldb, float beta, float* C,
                          int ldc);

struct Library {
  dgemm_fn dgemm = nullptr;
  sgemm_fn sgemm = nullptr;
  void (*set_num_threads)(int) = nullptr;
  char* (*get_config)() = nullptr;
  char* (*get_corename)() = nullptr;
  const char* path = nullptr;  // the name dlopen accepted
};

// nullptr when OpenBLAS is absent or disabled. Loaded once, on first use.
const Library* library();

// Forwards to openblas_set_num_threads when loaded; a no-op otherwise.
void set_num_threads(int n);

}  // namespace openblas
}  // namespace deepnet
