// Output layers ("heads"): the last layer's activation, its cost computed from
// the logits, and the cost's gradient, side by side.
//
// Shape legend: K = units of the output layer, m = examples. Z (K, m) holds
// the logits (bias added), A (K, m) the head's output, Y (K, m) the targets:
//   Sigmoid  A = 1 / (1 + exp(-Z)); Y of 0/1 (K > 1: independent labels)
//            per example: sum_k y softplus(-z) + (1 - y) softplus(z)
//   Softmax  A[:, j] = exp(Z[:, j] - max) / sum_k exp(Z[k, j] - max); Y one-hot
//            per example: -sum_k y_k log p_k, log p = (z - max) - log(sum exp(z - max))
//   Linear   A = Z; Y real
//            per example: sum_k (a_k - y_k)^2 / 2
// Every head's cost is (1/m) times the sum of the per-example costs, so that
// its gradient with respect to Z is (A - Y) / m: dZ = A - Y, and the 1/m goes
// into dW and db as in Course 2. Costs are computed and summed in double
// (numpy's pairwise summation over examples).
#pragma once

namespace deepnet {

enum class Head { Sigmoid, Softmax, Linear };

// A (K, m) from Z (K, m). A may be Z for Sigmoid and Linear, not for Softmax
// (its cost reads Z afterwards).
template <typename T>
void head_forward(T* A, const T* Z, Head head, int K, int m);

// The sum over the m examples of the per-example cost above.
template <typename T>
double head_cost_sum(Head head, const T* Z, const T* A, const T* Y, int K, int m);

// dZ (size) = A - Y (Course 2's output gradient, for every head).
template <typename T>
void head_backward(T* dZ, const T* A, const T* Y, long size);

// Examples whose prediction matches Y: Sigmoid, per unit, A > 0.5 equal to
// Y (counted over K * m units); Softmax, the first largest A of a column at
// the first largest Y (np.argmax). Linear has no accuracy: 0.
template <typename T>
long head_correct(Head head, const T* A, const T* Y, int K, int m);

// The column-wise softmax: A[:, j] = e / sum(e), e = exp(Z[:, j] - max_k Z[k, j]),
// the sum taken over k in order (numpy's sum over axis 0 of a C-order array).
template <typename T>
void softmax_forward(T* A, const T* Z, int K, int m);

// sum over columns j of -sum_k Y[k, j] log softmax(Z)[k, j], in log-sum-exp form.
template <typename T>
double softmax_cost_sum(const T* Z, const T* Y, int K, int m);

namespace reference {
template <typename T>
void softmax_forward(T* A, const T* Z, int K, int m);
template <typename T>
double softmax_cost_sum(const T* Z, const T* Y, int K, int m);
// out[j - j0] = -sum_k Y[k, j] log softmax(Z)[k, j] for the n columns j0 ..
// j0 + n - 1: the terms softmax_cost_sum adds up (pairwise, in blocks).
template <typename T>
void softmax_terms(double* out, const T* Z, const T* Y, int K, long m, long j0, long n);
}  // namespace reference

}  // namespace deepnet
