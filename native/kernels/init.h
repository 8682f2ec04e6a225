// Parameter initialization, drawing exactly what the course's numpy code draws:
// seed(s), then randn(n_l, n_{l-1}) for l = 1..L in order; biases are zeros
// and draw nothing. Each method is written with the course's own operation
// (dividing by sqrt(n) is not multiplying by 1/sqrt(n): it changes bits).
#pragma once

#include "rng.h"

namespace deepnet {

enum class InitMethod {
  Deep,    // randn / sqrt(n_prev)            (notes: initialize_parameters_deep)
  He,      // randn * sqrt(2 / n_prev)        (initialize_parameters_he)
  Xavier,  // randn * sqrt(1 / n_prev)        (the course's Xavier variant)
  Scaled,  // randn * scale: 10 for initialize_parameters_random, 0.01 for the two-layer init
  Zeros,   // all zeros, no draws             (initialize_parameters_zeros)
};

// W (n, k): one layer's weights from rs (n = units, k = units of the previous
// layer). Computed in double, as numpy draws them, then stored as T (float32
// models round each weight once).
template <typename T>
void init_weights(T* W, RandomState& rs, int n, int k, InitMethod method, double scale);

}  // namespace deepnet
