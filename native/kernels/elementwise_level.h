// One level's elementwise kernels: the level-generic bodies compiled for the
// level DEEPNET_LEVEL (avx2 or avx512) names, and its table (elementwise.h).
//
// Included by elementwise_avx2.cc and elementwise_avx512.cc only, after
// their target header (target_avx2.h, target_avx512.h), with DEEPNET_LEVEL
// defined, the vector traits (vec256.h, vec512.h) and Vec<T>, the level's
// vectors (Vec256 at AVX2, Vec512 at AVX-512), which the bodies use unless a
// kernel measured no faster on 512 bits (then it names Vec256). The bodies
// (vector_loop.h, vmath.h, *_simd.h) include nothing: the C++ library and
// deepnet's headers come before the target pragma, so that the code shared
// with the rest of the addon keeps the baseline target, and everything they
// define lands in namespace deepnet::DEEPNET_LEVEL, named for its level.
#pragma once

#include "vector_loop.h"
#include "vmath.h"
#include "activations_simd.h"
#include "arith_simd.h"
#include "cost_simd.h"
#include "heads_simd.h"
#include "subnormal_simd.h"
#include "optimizers_simd.h"
#include "reduce_simd.h"
// transpose_simd.h opens no namespace (the gemm files include it inside
// theirs): here too, so that its templates are named for the level.
namespace deepnet {
namespace DEEPNET_LEVEL {
#include "transpose_simd.h"
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
#include "batch_simd.h"

namespace deepnet {
namespace DEEPNET_LEVEL {

template <typename T>
constexpr ElementwiseKernels<T> kernels() {
  ElementwiseKernels<T> k;
  k.bias_add = activations::bias_add<T>;
  k.bias_activation_forward = activations::bias_activation_forward<T>;
  k.activation_forward = activations::forward<T>;
  k.activation_backward = activations::activation_backward<T>;
  k.sigmoid_backward = activations::sigmoid_backward<T>;
  k.tanh_backward = activations::tanh_backward<T>;
  k.softmax_columns = heads::softmax_columns<T>;
  k.softmax_terms = heads::softmax_terms<T>;
  k.cost_terms = cost::cost_terms<T>;
  k.optimizer_steps = optimizers::optimizer_steps<T>;
  k.l2_gradient = arith::l2_gradient<T>;
  k.dropout_apply = arith::dropout_apply<T>;
  k.update = arith::update<T>;
  k.output_backward = arith::output_backward<T>;
  k.divide_by = arith::divide_by<T>;
  k.scale_by = arith::scale_by<T>;
  k.first_non_finite = reduce::first_non_finite<T>;
  k.gather_rows = batch::gather_rows<T>;
  return k;
}

namespace vmath {
template <VD (*f)(VD)>
void apply(double* y, const double* x, long n) {
  map<D>(y, x, n, [](VD v) { return f(v); });
}
}  // namespace vmath

constexpr VmathKernels vmath_kernels() {
  VmathKernels k;
  k.exp = vmath::apply<vmath::exp>;
  k.expm1 = vmath::apply<vmath::expm1>;
  k.tanh = vmath::apply<vmath::tanh>;
  k.log = vmath::apply<vmath::log>;
  return k;
}

// Declared extern in elementwise.h. Constant-initialized: no code of the
// level runs at load time, only once simd_elementwise() picks it.
constexpr ElementwiseLevel elementwise{kernels<float>(), kernels<double>(), vmath_kernels()};

}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
