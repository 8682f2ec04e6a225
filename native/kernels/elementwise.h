// The vector paths of the elementwise kernels, one table per x86 level.
//
// Each kernel's vector body is written once (activations_simd.h, heads_simd.h,
// cost_simd.h, optimizers_simd.h, arith_simd.h, reduce_simd.h, with vmath.h)
// over vector traits, and compiled twice: elementwise_avx2.cc with 256-bit
// vectors (vec256.h, ymm registers), elementwise_avx512.cc with 512-bit ones
// (vec512.h, zmm and mask registers) except for the kernels that measured no
// faster on them (docs/performance.md). Each family's .cc (activations.cc, ...)
// keeps its public entry points, its reference twins and the dispatch:
// simd_elementwise<T>() gives the table of the level simd_level() chose, or
// null for the reference kernels. Tests and bench_elementwise call a level's
// table directly to compare the two levels in one process.
//
// The tables' kernels work on one chunk (the public ones split large arrays
// over the thread pool first); the shapes are those of the public kernels of
// the same name in the family's header. Every kernel gives the same bits at
// both levels: each element (each softmax column) gets the same operations
// in the same order whatever the vector width. (The C++ headers below are
// also the bodies', which include nothing: elementwise_level.h.)
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "activations.h"
#include "cost.h"
#include "cpu.h"
#include "optimizers.h"
#include "reduce.h"

namespace deepnet {

template <typename T>
struct ElementwiseKernels {
  // activations.h (sigmoid_backward and tanh_backward take the derivative from Z).
  void (*bias_add)(T* Z, const T* b, int n, int m) = nullptr;
  void (*bias_activation_forward)(T* Z, T* A, const T* b, int n, int m, Activation act) = nullptr;
  void (*activation_forward)(T* A, const T* Z, Activation act, long size) = nullptr;
  void (*activation_backward)(T* dZ, const T* dA, const T* H, Activation act, long size) = nullptr;
  void (*sigmoid_backward)(T* dZ, const T* dA, const T* Z, long size) = nullptr;
  void (*tanh_backward)(T* dZ, const T* dA, const T* Z, long size) = nullptr;
  // heads.h: softmax columns j0 .. j1 - 1 of Z (K, m); the per-column costs
  // out[j - j0] = -sum_k Y[k, j] log softmax(Z)[k, j] of columns j0 .. j0 + n - 1.
  void (*softmax_columns)(T* A, const T* Z, int K, long m, long j0, long j1) = nullptr;
  void (*softmax_terms)(double* out, const T* Z, const T* Y, int K, long m, long j0, long n) = nullptr;
  // cost.h: out (n) = term(X[i], Y[i]), in double (X is AL, or ZL for Logits).
  void (*cost_terms)(CostTerm term, double* out, const T* X, const T* Y, long n) = nullptr;
  // optimizers.h: one step over n values; whether every P_new is finite.
  bool (*optimizer_steps)(OptimizerKind kind, const OptimizerScalars<T>& c, T* P_new, const T* P, const T* G,
                          T* v, T* s, long n, T* v_hat, T* s_hat) = nullptr;
  // l2.h, dropout.h, update.h, backward.h.
  void (*l2_gradient)(T* dW, const T* W, T lambd, T m, long size) = nullptr;
  void (*dropout_apply)(T* A, const T* D, T keep_prob, long size) = nullptr;
  void (*update)(T* P_new, const T* P, const T* dP, T learning_rate, long size) = nullptr;
  void (*output_backward)(T* dZL, const T* AL, const T* Y, long m) = nullptr;
  void (*divide_by)(T* X, T d, long size) = nullptr;
  void (*scale_by)(T* X, T s, long size) = nullptr;
  // reduce.h.
  long (*first_non_finite)(const T* a, long n) = nullptr;
  // batch.h's gather_rows, for the batch positions e0 <= j < e1.
  void (*gather_rows)(T* B, const T* R, const int32_t* idx, long j0, int rows, int count, int e0, int e1) = nullptr;
};

// vmath's functions over n doubles, y may be x (the tests and the benchmark
// call them; the kernels inline them).
struct VmathKernels {
  void (*exp)(double* y, const double* x, long n) = nullptr;
  void (*expm1)(double* y, const double* x, long n) = nullptr;
  void (*tanh)(double* y, const double* x, long n) = nullptr;
  void (*log)(double* y, const double* x, long n) = nullptr;
};

struct ElementwiseLevel {
  ElementwiseKernels<float> f32;
  ElementwiseKernels<double> f64;
  VmathKernels vmath;
  template <typename T>
  const ElementwiseKernels<T>& of() const;
};
template <>
inline const ElementwiseKernels<float>& ElementwiseLevel::of<float>() const { return f32; }
template <>
inline const ElementwiseKernels<double>& ElementwiseLevel::of<double>() const { return f64; }

#if DEEPNET_HAS_X86
// Call only after simd_avx2_or_better(), and simd_avx512() for avx512's.
namespace avx2 {
extern const ElementwiseLevel elementwise;
}
namespace avx512 {
extern const ElementwiseLevel elementwise;
}
#endif

// The level simd_level() chose (AVX-512 first, then AVX2), or null: run the
// reference kernels.
inline const ElementwiseLevel* simd_elementwise_level() {
#if DEEPNET_HAS_X86
  if (simd_avx512()) return &avx512::elementwise;
  if (simd_avx2_or_better()) return &avx2::elementwise;
#endif
  return nullptr;
}

template <typename T>
inline const ElementwiseKernels<T>* simd_elementwise() {
  const ElementwiseLevel* level = simd_elementwise_level();
  return level ? &level->of<T>() : nullptr;
}

}  // namespace deepnet
