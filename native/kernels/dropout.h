// Inverted dropout on a hidden layer (Course 2, forward_propagation_with_dropout).
//
// Shapes: A, D (n, m) of one hidden layer, after its ReLU. The masks are
// drawn as numpy draws them: U = rand(n, m) in row-major order, D = U < keep_prob.
#pragma once

#include "rng.h"

namespace deepnet {

// D (size) = rand() < keep_prob (as 0/1), then A = A * D, A = A / keep_prob.
// The comparison is made in double, as numpy compares its float64 uniforms.
template <typename T>
void dropout_forward(T* A, T* D, RandomState& rs, double keep_prob, long size);

// A (size) = A * D / keep_prob with given masks D (0/1).
template <typename T>
void dropout_apply(T* A, const T* D, T keep_prob, long size);

// dA (size) = dA * D, then dA = dA / keep_prob    (backward_propagation_with_dropout)
// The same arithmetic as dropout_apply: one kernel serves both directions.
template <typename T>
inline void dropout_backward(T* dA, const T* D, T keep_prob, long size) {
  dropout_apply(dA, D, keep_prob, size);
}

namespace reference {
template <typename T>
void dropout_apply(T* A, const T* D, T keep_prob, long size);
}  // namespace reference

}  // namespace deepnet
