// The cross-entropy cost of the sigmoid output layer (and the squared error
// of the linear one).
//
// Shapes: AL (1, m) predicted probabilities, Y (1, m) labels. Terms are
// computed and summed in double (also for float32 networks), with numpy's
// pairwise summation.
#pragma once

namespace deepnet {

// The notes' compute_cost: -np.sum(log(AL)*Y + log(1-AL)*(1-Y)) / m.
// Infinite or NaN when some AL is exactly 0 or 1, as in numpy.
template <typename T>
double cross_entropy_cost(const T* AL, const T* Y, long m);

// The sums (not the means) of the same terms over `size` outputs, signed as
// costs: cross_entropy_cost = cross_entropy_sum / m bit for bit, and the
// optimization notebook's compute_cost is cross_entropy_sum.
template <typename T>
double cross_entropy_sum(const T* AL, const T* Y, long size);
template <typename T>
double cross_entropy_sum_course2(const T* AL, const T* Y, long size);

// Course 2 (reg_utils.compute_cost): 1./m * np.nansum(-log(AL)*Y + -log(1-AL)*(1-Y)).
template <typename T>
double cross_entropy_cost_course2(const T* AL, const T* Y, long m);

// The same cost computed stably from the output layer's pre-activation ZL:
// (1/m) * sum(y * softplus(-z) + (1 - y) * softplus(z)), with
// softplus(z) = max(z, 0) + log1p(exp(-|z|)). Finite for every finite ZL
// (a saturated output gives a large cost, never NaN or Infinity), and equal
// to the course formula to rounding wherever that one is finite.
template <typename T>
double cross_entropy_cost_from_logits(const T* ZL, const T* Y, long m);

// The sum (not the mean) of the same terms over `size` outputs (K x m for a
// sigmoid head of K units).
template <typename T>
double cross_entropy_sum_from_logits(const T* ZL, const T* Y, long size);

// sum over `size` outputs of (a - y)^2 / 2: the linear head's cost times m.
template <typename T>
double squared_error_sum(const T* A, const T* Y, long size);

// The per-example terms the sums above add up (pairwise, in blocks of up to
// 128): the notes' log(a) y + log(1 - a) (1 - y) (cross_entropy_sum negates
// the sum), Course 2's -log(a) y - log(1 - a) (1 - y) with NaN terms dropped,
// the one from the logits, the squared error.
enum class CostTerm { Notes, Course2, Logits, Squared };

namespace reference {
// out (n) = term(X[i], Y[i]) in double; X is AL, or ZL for Logits.
template <typename T>
void cost_terms(CostTerm term, double* out, const T* X, const T* Y, long n);
}  // namespace reference

}  // namespace deepnet
