// Gradient descent step, one parameter array at a time (update_parameters).
#pragma once

namespace deepnet {

// P (size) = P - learning_rate * dP   (the product is rounded first, as numpy)
template <typename T>
void update(T* P, const T* dP, T learning_rate, long size);

namespace reference {
template <typename T>
void update(T* P, const T* dP, T learning_rate, long size);
}  // namespace reference

}  // namespace deepnet
