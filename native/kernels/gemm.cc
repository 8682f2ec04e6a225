// gemm(): each product to the built-in kernel (at the CPU's level or at
// AVX2) or to OpenBLAS, by its shape class, dtype and thread count (see
// Dispatch in gemm.h).
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

// The dispatch as one word, read once per product and replaced whole: bit
// (f64 * 2 + threads>1) * kGemmClasses + class set when OpenBLAS computes
// that class, bit kAvx2Bits + f64 * kGemmClasses + class when the built-in
// kernel computes it at AVX2.
constexpr int kAvx2Bits = 4 * kGemmClasses;
int bit(bool f64, bool many, int c) { return (int(f64) * 2 + int(many)) * kGemmClasses + c; }
int avx2_bit(bool f64, int c) { return kAvx2Bits + int(f64) * kGemmClasses + c; }

uint64_t pack(const GemmDispatch& d) {
  uint64_t word = 0;
  for (int f = 0; f < 2; ++f)
    for (int c = 0; c < kGemmClasses; ++c) {
      if (c == int(GemmClass::SmallK)) continue;
      for (int t = 0; t < 2; ++t)
        if (d.openblas[f][t][c]) word |= uint64_t{1} << bit(f, t, c);
      if (d.avx2[f][c]) word |= uint64_t{1} << avx2_bit(f, c);
    }
  return word;
}

std::atomic<uint64_t>& dispatch_word() {
  static std::atomic<uint64_t> word{pack(gemm_dispatch_defaults())};
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
  const uint64_t word = dispatch_word().load();
  GemmDispatch d{};
  for (int f = 0; f < 2; ++f)
    for (int c = 0; c < kGemmClasses; ++c) {
      for (int t = 0; t < 2; ++t) d.openblas[f][t][c] = word >> bit(f, t, c) & 1;
      d.avx2[f][c] = word >> avx2_bit(f, c) & 1;
    }
  return d;
}

thread_local bool builtin_only = false;

BuiltinGemmScope::BuiltinGemmScope() : saved_(builtin_only) { builtin_only = true; }
BuiltinGemmScope::~BuiltinGemmScope() { builtin_only = saved_; }

namespace {

// Where one product goes, from one look at the dispatch.
struct Route {
  GemmBackend backend;
  SimdLevel level;  // the built-in kernel's for it, whether or not it computes it
};

template <typename T>
Route route(bool transA, bool transB, int M, int N, int K, int ldb) {
  // A product inside a parallel task (prediction's chunks, one per thread)
  // stays built-in: OpenBLAS would start its threads on cores the region
  // already uses.
  // Each set holds this dtype's (and thread count's) bits by class.
  constexpr uint64_t kClassBits = (uint64_t{1} << kGemmClasses) - 1;
  const bool f64 = sizeof(T) == 8;
  const uint64_t word = dispatch_word().load(std::memory_order_relaxed);
  const uint64_t blas = openblas::library() && !builtin_only && !in_parallel_task()
                            ? word >> bit(f64, num_threads() > 1, 0) & kClassBits : 0;
  const uint64_t avx2 = simd_avx512() ? word >> avx2_bit(f64, 0) & kClassBits : 0;
  if (!blas && !avx2) return {GemmBackend::Builtin, simd_level()};  // no need to classify it
  const int c = int(gemm_builtin_class<T>(transA, transB, M, N, K, ldb));
  return {blas >> c & 1 ? GemmBackend::OpenBLAS : GemmBackend::Builtin, avx2 >> c & 1 ? SimdLevel::AVX2_FMA : simd_level()};
}

}  // namespace

template <typename T>
GemmBackend gemm_backend_for(bool transA, bool transB, int M, int N, int K, int ldb) {
  return route<T>(transA, transB, M, N, K, ldb).backend;
}

template <typename T>
SimdLevel gemm_builtin_level_for(bool transA, bool transB, int M, int N, int K, int ldb) {
  return route<T>(transA, transB, M, N, K, ldb).level;
}

template <typename T>
bool gemm_streamable(int M, int N, int K, int ldx) {
  const Route nt = route<T>(false, true, M, K, N, ldx), nn = route<T>(false, false, M, N, K, ldx);
  return nt.backend == GemmBackend::Builtin && nn.backend == GemmBackend::Builtin &&
         nt.level == nn.level && gemm_builtin_streamable<T>(nt.level, M, N, K, ldx);
}

template <typename T>
void gemm_streamed(int M, int N, int K, const T* D, int ldd, const T* X, int ldx, T* G, int ldg,
                   const T* W, int ldw, T* Z, int ldz,
                   const std::function<void(int, int)>& between) {
  gemm_builtin_streamed<T>(route<T>(false, true, M, K, N, ldx).level, M, N, K, D, ldd, X, ldx, G,
                           ldg, W, ldw, Z, ldz, between);
}

template <typename T>
bool gemm_fusable(bool transA, int M, int N, int K, int ldb) {
  const Route r = route<T>(transA, false, M, N, K, ldb);
  return r.backend == GemmBackend::Builtin && gemm_builtin_fusable<T>(r.level, transA, M, N, K, ldb);
}

template <typename T>
void gemm_fused(Epilogue epilogue, const T* data, bool transA, int M, int N, int K, const T* A,
                int lda, const T* B, int ldb, T* C, int ldc) {
  gemm_builtin_fused<T>(route<T>(transA, false, M, N, K, ldb).level, epilogue, data, transA, M, N, K,
                        A, lda, B, ldb, C, ldc);
}

template <>
void gemm<double>(bool transA, bool transB, int M, int N, int K, double alpha, const double* A,
                  int lda, const double* B, int ldb, double beta, double* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  const Route r = route<double>(transA, transB, M, N, K, ldb);
  if (r.backend == GemmBackend::OpenBLAS) {
    openblas::use_threads(num_threads());
    openblas::library()->dgemm(openblas::kRowMajor, blas_trans(transA), blas_trans(transB), M, N,
                               K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else {
    gemm_builtin_at<double>(r.level, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }
}

template <>
void gemm<float>(bool transA, bool transB, int M, int N, int K, float alpha, const float* A,
                 int lda, const float* B, int ldb, float beta, float* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  const Route r = route<float>(transA, transB, M, N, K, ldb);
  if (r.backend == GemmBackend::OpenBLAS) {
    openblas::use_threads(num_threads());
    openblas::library()->sgemm(openblas::kRowMajor, blas_trans(transA), blas_trans(transB), M, N,
                               K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else {
    gemm_builtin_at<float>(r.level, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }
}

template GemmBackend gemm_backend_for<float>(bool, bool, int, int, int, int);
template GemmBackend gemm_backend_for<double>(bool, bool, int, int, int, int);
template SimdLevel gemm_builtin_level_for<float>(bool, bool, int, int, int, int);
template SimdLevel gemm_builtin_level_for<double>(bool, bool, int, int, int, int);
template bool gemm_streamable<float>(int, int, int, int);
template bool gemm_streamable<double>(int, int, int, int);
template void gemm_streamed<float>(int, int, int, const float*, int, const float*, int, float*,
                                   int, const float*, int, float*, int,
                                   const std::function<void(int, int)>&);
template void gemm_streamed<double>(int, int, int, const double*, int, const double*, int,
                                    double*, int, const double*, int, double*, int,
                                    const std::function<void(int, int)>&);
template bool gemm_fusable<float>(bool, int, int, int, int);
template bool gemm_fusable<double>(bool, int, int, int, int);
template void gemm_fused<float>(Epilogue, const float*, bool, int, int, int, const float*, int,
                                const float*, int, float*, int);
template void gemm_fused<double>(Epilogue, const double*, bool, int, int, int, const double*, int,
                                 const double*, int, double*, int);

}  // namespace deepnet
