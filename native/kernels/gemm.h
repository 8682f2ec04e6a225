// Row-major GEMM with transpose flags, the one matrix product every layer uses.
//
//   C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C
//
// op(X) is X, or X^T when the trans flag is set; lda/ldb/ldc are the row strides
// of the matrices as stored (so A is (M, K) with lda >= K when !transA, and
// (K, M) with lda >= M when transA). When beta == 0, C is written without being
// read (it may hold garbage, as in a fresh arena).
//
// Dispatch: OpenBLAS cblas_{d,s}gemm when it was found at load time (see
// openblas.h) and not disabled by DEEPNET_GEMM=builtin; the built-in packed
// kernel (gemm_builtin.cc) otherwise. gemm_reference is the plain triple loop
// both are tested against.
#pragma once

namespace deepnet {

enum class GemmBackend { OpenBLAS, Builtin };

template <typename T>
void gemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
          const T* B, int ldb, T beta, T* C, int ldc);

// Built-in cache-blocked, register-tiled kernel (AVX2/FMA when the CPU has it,
// a portable path otherwise). Same contract as gemm().
template <typename T>
void gemm_builtin(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                  const T* B, int ldb, T beta, T* C, int ldc);

// The truth: textbook triple loop, k ascending, no blocking, no threads.
template <typename T>
void gemm_reference(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                    const T* B, int ldb, T beta, T* C, int ldc);

// Which backend gemm() uses now. The choice is made once, when the addon loads.
GemmBackend gemm_backend();
const char* gemm_backend_name();

}  // namespace deepnet
