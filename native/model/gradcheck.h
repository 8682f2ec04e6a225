// Gradient checking (Course 2, gradient_check_n): the costs J(theta +- epsilon)
// for chosen coordinates of theta, all in one native call.
//
// theta is (W1, b1, W2, b2, ..., WL, bL), each flattened row-major, as the
// course's dictionary_to_vector. J is gc_utils' forward cost
// 1./m * sum(-log(AL)*Y + -log(1-AL)*(1-Y)) (+ the L2 term when lambd > 0).
#pragma once

#include "network.h"

namespace deepnet {

// J_plus[i] = J(theta with theta[index[i]] + epsilon), J_minus[i] likewise
// with - epsilon, for i < count; returns J(theta). p's arrays are perturbed
// one coordinate at a time and restored exactly. Coordinates are visited from
// the last layer down, so each evaluation recomputes only the layers at and
// above the perturbed one. Throws std::out_of_range for an index outside theta.
template <typename T>
double gradcheck_costs(const Parameters<T>& p, Workspace<T>& ws, const T* X, const T* Y,
                       double lambd, double epsilon, const long* index, long count, double* J_plus,
                       double* J_minus);

}  // namespace deepnet
