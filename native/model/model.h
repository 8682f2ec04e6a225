// A Model owns its parameters (double-buffered: a diverging step never
// overwrites the last finite ones), its RandomState and its regularization
// settings, and trains with Course 2's arithmetic: the stable cost from ZL,
// dZL = AL - Y, 1./m * products; L2 and inverted dropout as the course.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "init.h"
#include "memory.h"
#include "network.h"
#include "rng.h"
#include "train.h"

namespace deepnet {

struct ModelConfig {
  std::vector<int> dims;
  InitMethod init = InitMethod::Deep;
  double init_scale = 1.0;       // for InitMethod::Scaled
  uint32_t seed = 3;             // the init draws from RandomState(seed); dropout continues it
  double lambd = 0.0;            // L2
  double keep_prob = 1.0;        // dropout on hidden layers
  long long dropout_seed = -1;   // >= 0: re-seed before every forward pass (the course)
};

template <typename T>
class Model {
 public:
  using value_type = T;
  explicit Model(const ModelConfig& config);

  const ModelConfig& config() const { return config_; }
  const Parameters<T>& parameters() const { return p_; }
  // Number of parameters (all W and b).
  size_t size() const { return size_; }
  RandomState& rng() { return rng_; }

  // Copies out / in all parameters in W1, b1, ..., WL, bL order.
  void read(T* out) const;
  void write(const T* in);

  // Batch gradient descent on X (n_x, m), Y (1, m). costs (iterations).
  TrainResult fit(const T* X, const T* Y, int m, double learning_rate, long iterations,
                  long log_every, double* costs, const TrainLog& on_log,
                  const std::atomic<bool>* cancel);

  // AL (1, m) without dropout.
  void predict_proba(const T* X, int m, T* AL) const;
  // The training objective on (X, Y) without dropout: stable cross-entropy + L2 term.
  double cost(const T* X, const T* Y, int m) const;

 private:
  ModelConfig config_;
  size_t size_ = 0;
  LargeBuffer storage_;  // 2 * size_ values: the current parameters and the spare
  Parameters<T> p_, spare_;
  RandomState rng_;
};

}  // namespace deepnet
