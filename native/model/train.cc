#include "train.h"

#include <cmath>
#include <utility>

#include "cost.h"
#include "l2.h"
#include "reduce.h"

namespace deepnet {

namespace {

template <typename T>
bool all_finite(const T* a, long size) {
  return first_non_finite(a, size) < 0;
}

template <typename T>
bool gradients_finite(const Workspace<T>& ws, const Parameters<T>& p) {
  for (int l = 1; l <= p.layers(); ++l)
    if (!all_finite(ws.dW[l], static_cast<long>(p.dims[l]) * p.dims[l - 1]) ||
        !all_finite(ws.db[l], p.dims[l]))
      return false;
  return true;
}

template <typename T>
bool parameters_finite(const Parameters<T>& p) {
  for (int l = 1; l <= p.layers(); ++l)
    if (!all_finite(p.W[l], static_cast<long>(p.dims[l]) * p.dims[l - 1]) ||
        !all_finite(p.b[l], p.dims[l]))
      return false;
  return true;
}

}  // namespace

template <typename T>
double network_cost(const Workspace<T>& ws, const Parameters<T>& p, const T* Y, CostForm form,
                    const Regularization& reg) {
  const int L = p.layers();
  double cost = form == CostForm::Notes     ? cross_entropy_cost(ws.A[L], Y, ws.m)
                : form == CostForm::Course2 ? cross_entropy_cost_course2(ws.A[L], Y, ws.m)
                                            : cross_entropy_cost_from_logits(ws.Z[L], Y, ws.m);
  if (reg.lambd > 0) {
    double squares = 0.0;  // 0.0 + S1 == S1: the layer sums are added left to right
    for (int l = 1; l <= L; ++l) squares += sum_of_squares(p.W[l], static_cast<long>(p.dims[l]) * p.dims[l - 1]);
    cost = cost + l2_cost(squares, ws.m, reg.lambd);
  }
  return cost;
}

template <typename T>
TrainResult train(Parameters<T>& p, Parameters<T>* spare, Workspace<T>& ws, const T* X,
                  const T* Y, const TrainSettings& s, double* costs, const TrainLog& on_log) {
  const T lr = static_cast<T>(s.learning_rate);
  const bool guard = s.stop_on_divergence && spare;
  TrainResult result;
  // Whether the step before left this iteration's W1 X in Z[1] (network_step
  // streams X once for it and dW1).
  bool Z1_ready = false;
  for (long i = 0; i < s.iterations; ++i) {
    if (s.cancel && s.cancel->load(std::memory_order_relaxed)) {
      result.stop = TrainResult::Stop::Cancelled;
      return result;
    }
    if (s.dropout_seed >= 0 && s.reg.rng) s.reg.rng->seed(static_cast<uint32_t>(s.dropout_seed));
    network_forward(ws, p, X, s.reg, 1, Z1_ready);
    const double cost = network_cost(ws, p, Y, s.cost, s.reg);
    costs[i] = cost;
    // With the guard the step writes into spare, so p survives whatever is
    // found not finite afterwards.
    Z1_ready = network_step(guard ? *spare : p, p, ws, X, Y, s.backward, s.reg, lr,
                            i + 1 < s.iterations);
    if (guard) {
      const char* bad = !std::isfinite(cost)             ? "cost"
                        : !gradients_finite(ws, p)       ? "gradient"
                        : !parameters_finite(*spare)     ? "parameters"
                                                         : nullptr;
      if (bad) {
        result.stop = TrainResult::Stop::Diverged;
        result.diverged_what = bad;
        return result;
      }
      std::swap(p.W, spare->W), std::swap(p.b, spare->b);
    }
    result.completed = i + 1;
    if (on_log && s.log_every > 0 && i % s.log_every == 0 && !on_log(i, cost)) {
      result.stop = TrainResult::Stop::ByCallback;
      return result;
    }
  }
  return result;
}

#define DEEPNET_INSTANTIATE(T)                                                                  \
  template double network_cost<T>(const Workspace<T>&, const Parameters<T>&, const T*, CostForm, \
                                  const Regularization&);                                       \
  template TrainResult train<T>(Parameters<T>&, Parameters<T>*, Workspace<T>&, const T*,         \
                                const T*, const TrainSettings&, double*, const TrainLog&);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
