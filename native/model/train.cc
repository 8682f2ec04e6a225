#include "train.h"

#include "cost.h"

namespace deepnet {

template <typename T>
long train(const Parameters<T>& p, Workspace<T>& ws, const T* X, const T* Y,
           const TrainSettings& settings, double* costs, const TrainLog& on_log) {
  const int L = p.layers();
  const T lr = static_cast<T>(settings.learning_rate);
  for (long i = 0; i < settings.iterations; ++i) {
    network_forward(ws, p, X);
    const double cost = cross_entropy_cost(ws.A[L], Y, ws.m);
    costs[i] = cost;
    network_backward(ws, p, X, Y);
    network_update(p, ws, lr);
    if (on_log && settings.log_every > 0 && i % settings.log_every == 0 && !on_log(i, cost))
      return i + 1;
  }
  return settings.iterations;
}

template long train<float>(const Parameters<float>&, Workspace<float>&, const float*,
                           const float*, const TrainSettings&, double*, const TrainLog&);
template long train<double>(const Parameters<double>&, Workspace<double>&, const double*,
                            const double*, const TrainSettings&, double*, const TrainLog&);

}  // namespace deepnet
