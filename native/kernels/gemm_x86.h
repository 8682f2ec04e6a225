// The built-in gemm's x86 vector levels, as gemm_builtin.cc calls them: each
// level (gemm_avx2.cc: AVX2 + FMA, 16 ymm registers; gemm_avx512.cc:
// AVX-512, 32 zmm registers) compiles the same paths (gemm_x86_paths.h) for
// its vector width and registers, and hands them over as a GemmLevel. Only
// call a level's functions when simd_level() allows it (cpu.h).
#pragma once

#include <functional>

#include "gemm.h"
#include "gemm_packed.h"

namespace deepnet {
namespace gemm_internal {

template <typename T>
struct GemmLevel {
  // The path a product takes at this level (Path::Packed when no other fits).
  Path (*path)(bool transA, bool transB, int M, int N, int K, int ldb);
  // Computes p on that path (M, N, K >= 1, alpha != 0).
  void (*run)(Path path, const Problem<T>& p);
  // gemm_streamable / gemm_streamed and gemm_fusable / gemm_fused (gemm.h).
  bool (*streamable)(int M, int N, int K, int ldx);
  void (*streamed)(int M, int N, int K, const T* D, int ldd, const T* X, int ldx, T* G, int ldg,
                   const T* W, int ldw, T* Z, int ldz, const std::function<void(int, int)>& between);
  bool (*fusable)(bool transA, int M, int N, int K, int ldb);
  void (*fused)(Epilogue epilogue, const Problem<T>& p);
};

}  // namespace gemm_internal

namespace avx2 {
template <typename T>
const gemm_internal::GemmLevel<T>& gemm_level();
}
namespace avx512 {
template <typename T>
const gemm_internal::GemmLevel<T>& gemm_level();
}

}  // namespace deepnet
