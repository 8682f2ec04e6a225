// Gradient descent step, one parameter array at a time (update_parameters).
#pragma once

namespace deepnet {

// P_new (size) = P - learning_rate * dP   (the product is rounded first, as numpy)
// P_new may be P (in place) or another buffer (Model double-buffers its
// parameters so a diverging step never overwrites the last finite ones).
template <typename T>
void update(T* P_new, const T* P, const T* dP, T learning_rate, long size);

namespace reference {
template <typename T>
void update(T* P_new, const T* P, const T* dP, T learning_rate, long size);
}  // namespace reference

}  // namespace deepnet
