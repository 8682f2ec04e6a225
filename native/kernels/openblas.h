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

// OpenBLAS is opened with one thread: its pool's threads spin for about 0.1 s
// after they start (and after each call) before they sleep, and started at
// load they took a core from the built-in kernel's threads (predictProba on
// two threads, all built-in, ran 1.3x-1.9x slower for that time). So the pool
// starts only when a product on OpenBLAS first needs it: use_threads(n) sets
// OpenBLAS's thread count to n (openblas_set_num_threads) if it is not n
// already; gemm() calls it with num_threads() before each OpenBLAS call.
// Thread-safe; a no-op without OpenBLAS.
void use_threads(int n);

}  // namespace openblas
}  // namespace deepnet
