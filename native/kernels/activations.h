// Hidden-layer activations, each forward next to its backward.
//
// Shape legend: n = units in this layer, m = examples; Z, A, H, dA, dZ are
// (n, m) row-major (size = n * m elements). H is the activation's output
// before dropout: the backward passes take their derivative from it (relu
// and leaky relu: H > 0 exactly where Z > 0; sigmoid: s = H; tanh: t = H), so
// a training arena can keep one buffer per layer instead of Z and A.
//
// Every optimized kernel has a plain twin in namespace reference; the tests
// compare them (bit for bit, or within a few ulp where the SIMD path uses
// vmath's exp instead of the C library's).
#pragma once

namespace deepnet {

enum class Activation {
  Relu,       // max(0, z), numpy's np.maximum(0, Z); derivative 0 at 0
  Sigmoid,    // 1 / (1 + exp(-z))
  Tanh,       // tanh(z); derivative 1 - t^2
  LeakyRelu,  // z > 0 ? z : 0.01 z (PyTorch's default slope); derivative 0.01 at 0
  Linear,     // z (the linear regression head's output)
};

constexpr double kLeakySlope = 0.01;

// Z (n, m) += b (n, 1) broadcast over columns.
template <typename T>
void bias_add(T* Z, const T* b, int n, int m);

// Z (n, m) += b (n, 1) broadcast over columns; A (n, m) = activation(Z).
// Fused: one pass over Z. A may be Z itself (then Z ends up holding A).
template <typename T>
void bias_activation_forward(T* Z, T* A, const T* b, int n, int m, Activation act);

// A (size) = activation(Z); A may be Z.
template <typename T>
void activation_forward(T* A, const T* Z, Activation act, long size);

// A (size) = max(0, Z): NaN propagates, -0.0 -> 0.0.
template <typename T>
void relu_forward(T* A, const T* Z, long size);

// A (size) = 1 / (1 + exp(-Z)).
template <typename T>
void sigmoid_forward(T* A, const T* Z, long size);

// dZ (size) = dA * g'(Z), with g' taken from H = g(Z) (see above):
//   relu: H > 0 ? dA : 0            leaky: H > 0 ? dA : 0.01 dA
//   sigmoid: (dA * H) * (1 - H)     tanh: dA * (1 - H * H)      linear: dA
// dZ may alias dA.
template <typename T>
void activation_backward(T* dZ, const T* dA, const T* H, Activation act, long size);

// The same derivative taken from the activation's input Z (the notes'
// functions keep Z): relu and leaky relu read Z > 0, sigmoid and tanh
// recompute their output from Z with the forward kernels' arithmetic.
template <typename T>
void activation_backward_from_input(T* dZ, const T* dA, const T* Z, Activation act, long size);

// dZ (size) = dA where Z > 0, else 0 (relu_backward; H may stand for Z).
template <typename T>
void relu_backward(T* dZ, const T* dA, const T* Z, long size);

// dZ (size) = dA * s * (1 - s), s = 1 / (1 + exp(-Z)) recomputed from Z, as
// the notes' sigmoid_backward does.
template <typename T>
void sigmoid_backward(T* dZ, const T* dA, const T* Z, long size);

namespace reference {
template <typename T>
void bias_add(T* Z, const T* b, int n, int m);
template <typename T>
void bias_activation_forward(T* Z, T* A, const T* b, int n, int m, Activation act);
template <typename T>
void activation_forward(T* A, const T* Z, Activation act, long size);
template <typename T>
void activation_backward(T* dZ, const T* dA, const T* H, Activation act, long size);
template <typename T>
void relu_forward(T* A, const T* Z, long size);
template <typename T>
void sigmoid_forward(T* A, const T* Z, long size);
template <typename T>
void relu_backward(T* dZ, const T* dA, const T* Z, long size);
template <typename T>
void sigmoid_backward(T* dZ, const T* dA, const T* Z, long size);
template <typename T>
void tanh_backward(T* dZ, const T* dA, const T* Z, long size);
}  // namespace reference

}  // namespace deepnet
