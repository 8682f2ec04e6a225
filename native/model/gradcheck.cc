#include "gradcheck.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "train.h"

namespace deepnet {

namespace {

struct Coordinate {
  int layer;
  bool bias;
  long offset;
};

// Where theta[i] lives: layer l's block is W (n_l * n_{l-1}) then b (n_l).
template <typename T>
Coordinate locate(const Parameters<T>& p, long i) {
  if (i < 0) throw std::out_of_range("gradient check index is negative");
  for (int l = 1; l <= p.layers(); ++l) {
    const long w = static_cast<long>(p.dims[l]) * p.dims[l - 1], b = p.dims[l];
    if (i < w) return {l, false, i};
    if (i < w + b) return {l, true, i - w};
    i -= w + b;
  }
  throw std::out_of_range("gradient check index is beyond the last parameter");
}

}  // namespace

template <typename T>
double gradcheck_costs(const Parameters<T>& p, Workspace<T>& ws, const T* X, const T* Y,
                       double lambd, double epsilon, const long* index, long count, double* J_plus,
                       double* J_minus) {
  Regularization reg;
  reg.lambd = lambd;
  std::vector<Coordinate> where(count);
  for (long i = 0; i < count; ++i) where[i] = locate(p, index[i]);
  std::vector<long> order(count);
  std::iota(order.begin(), order.end(), 0L);
  std::stable_sort(order.begin(), order.end(),
                   [&](long a, long b) { return where[a].layer > where[b].layer; });

  network_forward(ws, p, X, reg);
  const double J = network_cost(ws, p, Y, CostForm::Course2, reg);
  for (long i : order) {
    const Coordinate& c = where[i];
    T* value = (c.bias ? p.b[c.layer] : p.W[c.layer]) + c.offset;
    const T original = *value;
    *value = static_cast<T>(original + epsilon);
    network_forward(ws, p, X, reg, c.layer);
    J_plus[i] = network_cost(ws, p, Y, CostForm::Course2, reg);
    *value = static_cast<T>(original - epsilon);
    network_forward(ws, p, X, reg, c.layer);
    J_minus[i] = network_cost(ws, p, Y, CostForm::Course2, reg);
    *value = original;
  }
  return J;
}

template double gradcheck_costs<float>(const Parameters<float>&, Workspace<float>&, const float*,
                                       const float*, double, double, const long*, long, double*,
                                       double*);
template double gradcheck_costs<double>(const Parameters<double>&, Workspace<double>&,
                                        const double*, const double*, double, double, const long*,
                                        long, double*, double*);

}  // namespace deepnet
