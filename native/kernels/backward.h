// Backward propagation: ACTIVATION backward, then LINEAR backward, per layer.
//
// Shape legend: n = units in this layer, k = units in the previous layer,
// m = examples. Arithmetic follows the notes' numpy code operation by
// operation (no fused multiply-add, the same order), so results match numpy
// to the rounding of the matrix products.
#pragma once

#include "activations.h"

namespace deepnet {

// Three spellings of the same gradients, equal to rounding:
//   Notes:   dAL = -(Y/AL - (1-Y)/(1-AL)), dZL = dAL * s * (1 - s); dW = dZ A^T / m
//   Course2: dZL = AL - Y (Course 2's backward_propagation); dW = 1./m * dZ A^T
//   Week2:   dZL = 1./m * (AL - Y), dW = dZ A^T, db = sum(dZ) (the optimization
//            notebook's backward_propagation)
//   Sum:     dZL = AL - Y, dW = dZ A^T, db = sum(dZ): the sums over the examples,
//            which data-parallel training adds up across processes before
//            dividing by the whole batch's size
// The notes' functions use Notes; Model uses Course2, which never divides by
// AL or 1 - AL (a saturated output stays finite).
enum class BackwardForm { Notes, Course2, Week2, Sum };

// dAL (m) = -(Y / AL - (1 - Y) / (1 - AL)), the notes' derivative of the cost.
template <typename T>
void cost_backward(T* dAL, const T* AL, const T* Y, long m);

// dZL (m) for the sigmoid output layer straight from AL (= sigmoid(ZL)):
// the notes' form  dAL * AL * (1 - AL) with dAL as in cost_backward, fused.
template <typename T>
void output_backward(T* dZL, const T* AL, const T* Y, long m);

// dZL (m) = AL - Y: Course 2's output layer.
template <typename T>
void output_backward_course2(T* dZL, const T* AL, const T* Y, long m);

// dW (n, k) = dZ (n, m) . A_prev (k, m)^T / m
// db (n, 1) = sum over columns of dZ / m      (numpy's pairwise sum per row)
// dA_prev (k, m) = W (n, k)^T . dZ            (skipped when dA_prev is null)
// With BackwardForm::Course2, "/ m" is "1./m *"; with Week2 and Sum there is none
// (the 1/m is already in dZ).
template <typename T>
void linear_backward(T* dA_prev, T* dW, T* db, const T* dZ, const T* A_prev, const T* W, int n,
                     int k, int m, BackwardForm form = BackwardForm::Notes);

// db (n, 1) = np.sum(dZ, axis=1, keepdims=True) / m   (or 1./m * ..., Course2; no 1/m, Week2 and Sum)
template <typename T>
void bias_backward(T* db, const T* dZ, int n, int m, BackwardForm form = BackwardForm::Notes);

// X (size) = X / d, elementwise (the notes divide dW by m after the product).
template <typename T>
void divide_by(T* X, T d, long size);

// X (size) = s * X, elementwise (Course 2 multiplies by 1./m).
template <typename T>
void scale_by(T* X, T s, long size);

namespace reference {
template <typename T>
void output_backward(T* dZL, const T* AL, const T* Y, long m);
template <typename T>
void divide_by(T* X, T d, long size);
template <typename T>
void scale_by(T* X, T s, long size);
}  // namespace reference

}  // namespace deepnet
