// gemm(): each product to the built-in kernel or to OpenBLAS, by its shape
// class, dtype and thread count (see Dispatch in gemm.h).
#include "gemm.h"

#include <atomic>
#include <cstdint>

#include "cpu.h"
#include "openblas.h"
#include "threads.h"

namespace deepnet {

GemmBackend gemm_backend() {
  return openblas::library() ? GemmBackend::OpenBLAS : GemmBackend::Builtin;
}

const char* gemm_backend_name() {
  return gemm_backend() == GemmBackend::OpenBLAS ? "openblas" : "builtin";
}

const char* gemm_class_name(GemmClass c) {
  switch (c) {
    case GemmClass::SmallK: return "smallK";
    case GemmClass::Thin: return "thin";
    case GemmClass::ThinNT: return "thinNT";
    case GemmClass::Dot: return "dot";
    case GemmClass::PackedShallow: return "packedShallow";
    default: return "packed";
  }
}

namespace {

// The dispatch as one word, bit (f64 * 2 + threads>1) * kGemmClasses + class
// set when OpenBLAS computes that class: read once per product, replaced whole.
int bit(bool f64, bool many, int c) { return (int(f64) * 2 + int(many)) * kGemmClasses + c; }

uint32_t pack(const GemmDispatch& d) {
  uint32_t word = 0;
  for (int f = 0; f < 2; ++f)
    for (int t = 0; t < 2; ++t)
      for (int c = 0; c < kGemmClasses; ++c)
        if (d.openblas[f][t][c] && c != int(GemmClass::SmallK)) word |= 1u << bit(f, t, c);
  return word;
}

std::atomic<uint32_t>& dispatch_word() {
  static std::atomic<uint32_t> word{pack(gemm_dispatch_defaults())};
  return word;
}

int blas_trans(bool t) { return t ? openblas::kTrans : openblas::kNoTrans; }

}  // namespace

GemmDispatch gemm_dispatch_defaults() {
  // At the x86 vector levels the built-in kernel keeps what it reads in place
  // and K <= 64; elsewhere it has only its packed path, which OpenBLAS beats.
  const bool x86 = simd_avx2_or_better();
  GemmDispatch d{};
  for (int f = 0; f < 2; ++f)
    for (int t = 0; t < 2; ++t) {
      d.openblas[f][t][int(GemmClass::Packed)] = true;
      d.openblas[f][t][int(GemmClass::PackedShallow)] = !x86;
    }
  return d;
}

void set_gemm_dispatch(const GemmDispatch& d) { dispatch_word().store(pack(d)); }

GemmDispatch gemm_dispatch() {
  const uint32_t word = dispatch_word().load();
  GemmDispatch d{};
  for (int f = 0; f < 2; ++f)
    for (int t = 0; t < 2; ++t)
      for (int c = 0; c < kGemmClasses; ++c) d.openblas[f][t][c] = word >> bit(f, t, c) & 1;
  return d;
}

thread_local bool builtin_only = false;

BuiltinGemmScope::BuiltinGemmScope() : saved_(builtin_only) { builtin_only = true; }
BuiltinGemmScope::~BuiltinGemmScope() { builtin_only = saved_; }

template <typename T>
GemmBackend gemm_backend_for(bool transA, bool transB, int M, int N, int K, int ldb) {
  // A product inside a parallel task (prediction's chunks, one per thread)
  // stays built-in: OpenBLAS would start its threads on cores the region
  // already uses.
  if (!openblas::library() || builtin_only || in_parallel_task()) return GemmBackend::Builtin;
  const int c = int(gemm_builtin_class<T>(transA, transB, M, N, K, ldb));
  const bool yes = dispatch_word().load(std::memory_order_relaxed) >> bit(sizeof(T) == 8, num_threads() > 1, c) & 1;
  return yes ? GemmBackend::OpenBLAS : GemmBackend::Builtin;
}

template <typename T>
bool gemm_streamable(int M, int N, int K, int ldx) {
  return gemm_builtin_streamable<T>(M, N, K, ldx) &&
         gemm_backend_for<T>(false, true, M, K, N, ldx) == GemmBackend::Builtin &&
         gemm_backend_for<T>(false, false, M, N, K, ldx) == GemmBackend::Builtin;
}

template <>
void gemm<double>(bool transA, bool transB, int M, int N, int K, double alpha, const double* A,
                  int lda, const double* B, int ldb, double beta, double* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  if (gemm_backend_for<double>(transA, transB, M, N, K, ldb) == GemmBackend::OpenBLAS) {
    openblas::library()->dgemm(openblas::kRowMajor, blas_trans(transA), blas_trans(transB), M, N,
                               K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else {
    gemm_builtin<double>(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }
}

template <>
void gemm<float>(bool transA, bool transB, int M, int N, int K, float alpha, const float* A,
                 int lda, const float* B, int ldb, float beta, float* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  if (gemm_backend_for<float>(transA, transB, M, N, K, ldb) == GemmBackend::OpenBLAS) {
    openblas::library()->sgemm(openblas::kRowMajor, blas_trans(transA), blas_trans(transB), M, N,
                               K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else {
    gemm_builtin<float>(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }
}

template GemmBackend gemm_backend_for<float>(bool, bool, int, int, int, int);
template GemmBackend gemm_backend_for<double>(bool, bool, int, int, int, int);
template bool gemm_streamable<float>(int, int, int, int);
template bool gemm_streamable<double>(int, int, int, int);

}  // namespace deepnet
