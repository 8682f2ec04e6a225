// L2 regularization (Course 2, "Regularization"): its cost term and its
// gradient term. Only the weights are regularized, never the biases.
#pragma once

namespace deepnet {

// The cost term is (1/m) * (lambd/2) * (sum(W1^2) + sum(W2^2) + ... + sum(WL^2)):
// each sum is numpy's np.sum(np.square(W)) (pairwise), the layer sums are
// added left to right by the caller. Computed in double.
template <typename T>
double sum_of_squares(const T* W, long size);

inline double l2_cost(double sum_of_squares_all_layers, long m, double lambd) {
  return 1.0 / static_cast<double>(m) * (lambd / 2.0) * sum_of_squares_all_layers;
}

// dW (size) = dW + (lambd * W) / m          (backward_propagation_with_regularization)
template <typename T>
void l2_gradient(T* dW, const T* W, T lambd, T m, long size);

namespace reference {
template <typename T>
void l2_gradient(T* dW, const T* W, T lambd, T m, long size);
}  // namespace reference

}  // namespace deepnet
