// The training loop: forward -> cost -> backward -> update, all native.
#pragma once

#include <functional>

#include "network.h"

namespace deepnet {

struct TrainSettings {
  double learning_rate = 0.0075;
  long iterations = 3000;
  long log_every = 100;  // on_log is called at i % log_every == 0 (0: never)
};

// Called with (iteration, cost) on logged iterations; return false to stop
// after that iteration's update.
using TrainLog = std::function<bool(long iteration, double cost)>;

// costs (iterations): costs[i] is the notes' cost at iteration i, computed
// before update i. Returns the number of iterations completed.
template <typename T>
long train(const Parameters<T>& p, Workspace<T>& ws, const T* X, const T* Y,
           const TrainSettings& settings, double* costs, const TrainLog& on_log);

}  // namespace deepnet
