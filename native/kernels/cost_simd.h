// The vector bodies of the cost terms (cost.cc has the scalar twins and the
// pairwise sums over them), in double for both dtypes, with vmath's log and
// exp (within an ulp of the C library's).
//
// Level-generic: see elementwise_level.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {
namespace cost {

using vmath::D;
using vmath::VD;

// Labels 0/1 and 0 < a < 1 (the usual case): both logs are finite, so the
// term whose factor is 0 is a signed zero that leaves the other unchanged
// but for the sign of a zero (1 - a may round to 1): one log, of a or of
// 1 - a (the label's), gives the same bits, with that zero's sign as below.
// Whether every lane is usual, and that log.
DEEPNET_SIMD_INLINE bool usual_labels(VD a, VD y, VD* log_of_label) {
  const VD one = D::splat(1), zero = D::zero();
  const D::mask y_one = D::eq(y, one);
  const D::mask usual = D::both(D::either(y_one, D::eq(y, zero)), D::both(D::gt(a, zero), D::lt(a, one)));
  if (!D::all(usual)) return false;
  *log_of_label = vmath::log(D::select(y_one, a, one - a));
  return true;
}

// log(a) * y + log(1 - a) * (1 - y)
DEEPNET_SIMD_INLINE VD notes(VD a, VD y) {
  VD l;
  if (usual_labels(a, y, &l)) return l;  // log(a) * 0 = -0 leaves log(1 - a) = +0 as it is
  const VD one = D::splat(1);
  return vmath::log(a) * y + vmath::log(one - a) * (one - y);
}

// -log(a) * y + -log(1 - a) * (1 - y), NaN dropped (np.nansum)
DEEPNET_SIMD_INLINE VD course2(VD a, VD y) {
  VD l;
  // +0 + x: -log(1 - a) = -0 (a below 2^-53, label 0) after -log(a) * 0 = +0 is +0.
  if (usual_labels(a, y, &l)) return D::zero() + vmath::neg(l);
  const VD one = D::splat(1);
  const VD t = vmath::neg(vmath::log(a)) * y + vmath::neg(vmath::log(one - a)) * (one - y);
  return D::select(D::unord(t, t), D::zero(), t);
}

// y softplus(-z) + (1 - y) softplus(z), softplus(z) = max(z, 0) + log1p(exp(-|z|))
DEEPNET_SIMD_INLINE VD logits(VD z, VD y) {
  const VD zero = D::zero(), one = D::splat(1);
  // log(1 + u) for u = exp(-|z|) in (0, 1]: an absolute error below 1e-16, which is all a sum of costs needs.
  const VD tail = vmath::log(one + vmath::exp(vmath::neg(vmath::abs(z))));
  const VD sp_pos = D::max(z, zero) + tail;              // softplus(z)
  const VD sp_neg = D::max(vmath::neg(z), zero) + tail;  // softplus(-z)
  return y * sp_neg + (one - y) * sp_pos;
}

// (a - y)^2 / 2
DEEPNET_SIMD_INLINE VD squared(VD a, VD y) {
  const VD d = a - y;
  return D::splat(0.5) * (d * d);
}

// out (n) = term(X[i], Y[i]). A last partial vector is padded with X = 0.5,
// Y = 0 (finite, and the notes' one-log case), its terms not stored.
template <typename T, typename Term>
void terms(double* out, const T* X, const T* Y, long n, Term term) {
  for_each_vector<D>(n, [&](long i, auto io) {
    io.store(out + i, term(io.pad(io.load(X + i), D::splat(0.5)), io.load(Y + i)));
  });
}

template <typename T>
void cost_terms(CostTerm kind, double* out, const T* X, const T* Y, long n) {
  switch (kind) {
    case CostTerm::Notes: return terms(out, X, Y, n, [](VD a, VD y) { return notes(a, y); });
    case CostTerm::Course2: return terms(out, X, Y, n, [](VD a, VD y) { return course2(a, y); });
    case CostTerm::Logits: return terms(out, X, Y, n, [](VD z, VD y) { return logits(z, y); });
    case CostTerm::Squared: return terms(out, X, Y, n, [](VD a, VD y) { return squared(a, y); });
  }
}

}  // namespace cost
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
