// The training loop: forward -> cost -> backward -> update, all native, over
// one arena (nothing is allocated per iteration).
#pragma once

#include <atomic>
#include <functional>

#include "network.h"

namespace deepnet {

// How the reported cost is computed.
enum class CostForm {
  Notes,    // compute_cost: -sum(log(AL)*Y + log(1-AL)*(1-Y)) / m
  Course2,  // reg_utils.compute_cost: 1./m * nansum(...)
  Logits,   // the same cost from ZL in a stable form (Model): never NaN or Infinity
};

struct TrainSettings {
  double learning_rate = 0.0075;
  long iterations = 3000;
  long log_every = 100;  // on_log runs at i % log_every == 0 (0: never)
  CostForm cost = CostForm::Notes;
  BackwardForm backward = BackwardForm::Notes;
  Regularization reg;
  // >= 0: re-seed reg.rng with it before every forward pass, as the course's
  // forward_propagation_with_dropout does (every iteration gets the same masks).
  long long dropout_seed = -1;
  // Stop, before the update, when the cost or a gradient is not finite, or
  // when the update would make a parameter non-finite (needs `spare`).
  bool stop_on_divergence = false;
  // Set from another thread to stop at the next iteration boundary.
  const std::atomic<bool>* cancel = nullptr;
};

// Called with (iteration, cost) on logged iterations; return false to stop
// after that iteration's update.
using TrainLog = std::function<bool(long iteration, double cost)>;

struct TrainResult {
  enum class Stop { Finished, Cancelled, ByCallback, Diverged };
  long completed = 0;  // iterations whose update was applied
  Stop stop = Stop::Finished;
  const char* diverged_what = nullptr;  // "cost", "gradient" or "parameters"
};

// The cost of the current forward pass (+ the L2 term when reg.lambd > 0).
template <typename T>
double network_cost(const Workspace<T>& ws, const Parameters<T>& p, const T* Y, CostForm form,
                    const Regularization& reg);

// costs (iterations): costs[i] is the cost at iteration i, computed before
// update i. With stop_on_divergence, `spare` has the shapes of p: updates go
// there and p and spare swap pointers, so p always holds the last finite
// parameters. Otherwise spare may be null and p is updated in place.
template <typename T>
TrainResult train(Parameters<T>& p, Parameters<T>* spare, Workspace<T>& ws, const T* X,
                  const T* Y, const TrainSettings& settings, double* costs, const TrainLog& on_log);

}  // namespace deepnet
