// Forward propagation: LINEAR -> ACTIVATION for one layer.
//
// Shape legend: n = units in this layer, k = units in the previous layer,
// m = examples (one per column, row-major storage, as numpy's C order).
//
// Each optimized kernel has a plain twin in namespace reference with the same
// signature; tests compare them. Elementwise kernels do the same IEEE
// operations in the same order as their twin, so the two agree bit for bit.
#pragma once

namespace deepnet {

enum class Activation { Relu, Sigmoid };

// Z (n, m) = W (n, k) . A_prev (k, m) + b (n, 1)           (linear_forward)
template <typename T>
void linear_forward(T* Z, const T* W, const T* A_prev, const T* b, int n, int k, int m);

// Z (n, m) += b (n, 1) broadcast over columns; A (n, m) = activation(Z).
// Fused: one pass over Z does the bias add and the activation.
template <typename T>
void bias_activation_forward(T* Z, T* A, const T* b, int n, int m, Activation act);

// Z (n, m) += b (n, 1) broadcast over columns.
template <typename T>
void bias_add(T* Z, const T* b, int n, int m);

// A (size) = max(0, Z), numpy's np.maximum(0, Z): NaN propagates, -0.0 -> 0.0.
template <typename T>
void relu_forward(T* A, const T* Z, long size);

// A (size) = 1 / (1 + exp(-Z)).
template <typename T>
void sigmoid_forward(T* A, const T* Z, long size);

namespace reference {
template <typename T>
void bias_add(T* Z, const T* b, int n, int m);
template <typename T>
void bias_activation_forward(T* Z, T* A, const T* b, int n, int m, Activation act);
template <typename T>
void relu_forward(T* A, const T* Z, long size);
template <typename T>
void sigmoid_forward(T* A, const T* Z, long size);
}  // namespace reference

}  // namespace deepnet
