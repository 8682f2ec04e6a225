// Forward propagation: LINEAR -> ACTIVATION for one layer.
//
// Shape legend: n = units in this layer, k = units in the previous layer,
// m = examples (one per column, row-major storage, as numpy's C order).
// The activations themselves (and the bias add fused with them) are in
// activations.h, the output layers' in heads.h.
#pragma once

#include "activations.h"

namespace deepnet {

// Z (n, m) = W (n, k) . A_prev (k, m) + b (n, 1)           (linear_forward)
template <typename T>
void linear_forward(T* Z, const T* W, const T* A_prev, const T* b, int n, int k, int m);

}  // namespace deepnet
