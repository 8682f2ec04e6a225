// Row-major GEMM with transpose flags, the one matrix product every layer uses.
//
//   C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C
//
// op(X) is X, or X^T when the trans flag is set; lda/ldb/ldc are the row strides
// of the matrices as stored (so A is (M, K) with lda >= K when !transA, and
// (K, M) with lda >= M when transA). When beta == 0, C is written without being
// read (it may hold garbage, as in a fresh arena).
//
// Dispatch: gemm() sends each product to the built-in kernel
// (gemm_builtin.cc) or to OpenBLAS cblas_{d,s}gemm (when it was found at load
// time, see openblas.h, and not disabled by DEEPNET_GEMM=builtin) by its shape
// class (GemmClass below: the built-in kernel's path for it) from a table
// measured per CPU family (bench/calibrate.js writes lib/gemmDispatchTable.ts;
// the addon is given this family's row at load, set_gemm_dispatch), or the
// default rules where no row exists: the built-in kernel for everything it
// reads in place and for K <= 64 (they measured 1.2x to 10x faster than
// OpenBLAS 0.3.21 on a Zen 3, where OpenBLAS's setup and packing outweigh
// the work), OpenBLAS for the other packed products. On a CPU running the
// AVX-512 level, the row may also name classes the built-in kernel computes
// with its AVX2 kernels (a Zen 4 executes 512-bit operations as two halves,
// and some AVX2 paths measured faster there); per dtype only, so that the
// built-in kernel's results stay independent of the thread count. The
// small-K class always stays built-in at the CPU's level: network.cc fuses
// its epilogue there (gemm_fused), and the fused and plain products must
// agree bit for bit. gemm_reference is the plain triple loop both backends
// are tested against.
#pragma once

#include <cstddef>
#include <functional>

#include "cpu.h"

namespace deepnet {

enum class GemmBackend { OpenBLAS, Builtin };

template <typename T>
void gemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
          const T* B, int ldb, T beta, T* C, int ldc);

// While one lives on a thread, gemm() there computes every product with the
// built-in kernel, whatever the dispatch's OpenBLAS classes (as it does inside
// a parallel task; its level per class still applies, being the same for
// every thread count): prediction uses it so that its results do not depend
// on the thread count.
class BuiltinGemmScope {
 public:
  BuiltinGemmScope();
  ~BuiltinGemmScope();
  BuiltinGemmScope(const BuiltinGemmScope&) = delete;
  BuiltinGemmScope& operator=(const BuiltinGemmScope&) = delete;

 private:
  bool saved_;
};

// Built-in kernel (AVX-512, AVX2/FMA or NEON where the CPU has it, a portable
// path otherwise):
// unpacked thin / dot paths for products with a small side, a cache-blocked
// packed one for the rest (see gemm_builtin.cc). Same contract as gemm().
template <typename T>
void gemm_builtin(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                  const T* B, int ldb, T beta, T* C, int ldc);
// The same at a given level: AVX2_FMA where the CPU runs AVX-512 (the
// dispatch's per-class choice), or simd_level(); any other level computes as
// simd_level() does.
template <typename T>
void gemm_builtin_at(SimdLevel level, bool transA, bool transB, int M, int N, int K, T alpha,
                     const T* A, int lda, const T* B, int ldb, T beta, T* C, int ldc);

// The shape classes of the dispatch: the built-in kernel's path for the
// product (gemm_builtin.cc), the packed products with K <= 64 apart.
//   SmallK         !transB and K <= 4                        (forward of a 2-D input layer)
//   Thin           !transB, and M <= 32 or all of op(B) within half of L1, B read in place
//                  (and M within one row tile when B's rows alias in L1)  (forward W A, dA = W^T dZ)
//   ThinNT, Dot    !transA && transB with a small side of at most 32     (dW = dZ A^T)
//   PackedShallow  the other products with K <= 64
//   Packed         the rest
// Only the packed classes exist at the portable and NEON levels.
enum class GemmClass { SmallK, Thin, ThinNT, Dot, PackedShallow, Packed };
constexpr int kGemmClasses = 6;
const char* gemm_class_name(GemmClass c);  // "smallK", "thin", "thinNT", "dot", "packedShallow", "packed"

template <typename T>
GemmClass gemm_builtin_class(bool transA, bool transB, int M, int N, int K, int ldb);
// The same for the built-in kernel's paths at `level` (as gemm_builtin_at
// takes it: the AVX2 paths on an AVX-512 CPU have their own row tiles).
template <typename T>
GemmClass gemm_builtin_class_at(SimdLevel level, bool transA, bool transB, int M, int N, int K, int ldb);

// True when rows `row_bytes` apart fall in fewer than all sets of L1: a
// column strip of them then thrashes a few sets, so the thin path takes them
// only within one row tile (callers choosing a row length can avoid it).
bool gemm_rows_alias(size_t row_bytes);

// The dispatch: which classes OpenBLAS computes, per dtype and thread count,
// and which ones the built-in kernel computes at AVX2 on a CPU running AVX-512.
struct GemmDispatch {
  bool openblas[2][2][kGemmClasses];  // [float64][more than one thread][class]
  bool avx2[2][kGemmClasses];         // [float64][class]; ignored below AVX-512
};
// The default rules for this CPU's SIMD level (see Dispatch above).
GemmDispatch gemm_dispatch_defaults();
// Replaces the dispatch (its SmallK entries are ignored: always built-in at
// the CPU's level).
// Safe while other threads multiply; each product sees the old or the new one.
void set_gemm_dispatch(const GemmDispatch& d);
GemmDispatch gemm_dispatch();
// The backend gemm() uses for this product now.
template <typename T>
GemmBackend gemm_backend_for(bool transA, bool transB, int M, int N, int K, int ldb);
// The level the built-in kernel computes this product at now (simd_level(),
// or AVX2_FMA where the dispatch says so).
template <typename T>
SimdLevel gemm_builtin_level_for(bool transA, bool transB, int M, int N, int K, int ldb);

// A product's elementwise next step, done as its results are stored
// (gemm_fused), saving a pass over C:
enum class Epilogue {
  BiasRelu,  // C = relu(AB + data[i]); data: a bias (M)            = bias_activation_forward(Relu)
  ReluMask,  // C = AB where data[i, j] > 0, else 0; data: Z (M, N)  = relu_backward
};           //   with row stride ldc, which may be C itself

// True when gemm_fused computes this product (B not transposed): when gemm()
// sends it to the built-in kernel at an x86 vector level, on the small-K
// path (K <= 4) or on the thin path in one K block (K up to the thin path's
// block, 128 where L1 holds a strip of them), whose tiles apply the
// epilogue as they store.
template <typename T>
bool gemm_fusable(bool transA, int M, int N, int K, int ldb);

// C (M, N) = epilogue(op(A) (M, K) . B (K, N), data), B not transposed;
// bit-identical to gemm(..., alpha 1, beta 0) followed by the epilogue's
// kernel. Requires gemm_fusable(transA, M, N, K, ldb).
template <typename T>
void gemm_fused(Epilogue epilogue, const T* data, bool transA, int M, int N, int K, const T* A,
                int lda, const T* B, int ldb, T* C, int ldc);

// Two products over one large X (K, N), reading it from memory once instead
// of twice: the first layer's gradient and, once its columns are updated, the
// next training iteration's product W X. For each of X's row blocks
// [k0, k1) in order:
//   G[:, k0:k1] (M, k1-k0) = D (M, N) . X[k0:k1, :]^T
//   between(k0, k1)                       (e.g. scales G's columns, updates W's)
//   Z (M, N) (+)= W[:, k0:k1] . X[k0:k1, :]     (the first block sets Z)
// Bit-identical to gemm(false, true, M, K, N, 1, D, ldd, X, ldx, 0, G, ldg),
// between(0, K), gemm(false, false, M, N, K, 1, W, ldw, X, ldx, 0, Z, ldz)
// when `between` is elementwise over its columns of G and W. Z may be D itself
// (D is read, packed whole, before Z is first written). Requires
// gemm_streamable: one thread, an x86 vector level, both products on the
// built-in thin paths (M <= 32) and dispatched to the built-in kernel at one
// level, a block of X within half of L2 (the cat network's W1).
template <typename T>
bool gemm_streamable(int M, int N, int K, int ldx);
template <typename T>
void gemm_streamed(int M, int N, int K, const T* D, int ldd, const T* X, int ldx, T* G, int ldg,
                   const T* W, int ldw, T* Z, int ldz,
                   const std::function<void(int, int)>& between);
// The built-in kernel's part of both, at a level as gemm_builtin_at takes it
// (gemm_builtin.cc).
template <typename T>
bool gemm_builtin_streamable(SimdLevel level, int M, int N, int K, int ldx);
template <typename T>
void gemm_builtin_streamed(SimdLevel level, int M, int N, int K, const T* D, int ldd, const T* X,
                           int ldx, T* G, int ldg, const T* W, int ldw, T* Z, int ldz,
                           const std::function<void(int, int)>& between);
// And of gemm_fusable / gemm_fused.
template <typename T>
bool gemm_builtin_fusable(SimdLevel level, bool transA, int M, int N, int K, int ldb);
template <typename T>
void gemm_builtin_fused(SimdLevel level, Epilogue epilogue, const T* data, bool transA, int M, int N,
                        int K, const T* A, int lda, const T* B, int ldb, T* C, int ldc);

// The truth: textbook triple loop, k ascending, no blocking, no threads.
template <typename T>
void gemm_reference(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                    const T* B, int ldb, T beta, T* C, int ldc);

// Which backend gemm() uses now for the products it does not keep on the
// built-in kernel (see Dispatch above). The choice is made once, when the
// addon loads.
GemmBackend gemm_backend();
const char* gemm_backend_name();

}  // namespace deepnet
