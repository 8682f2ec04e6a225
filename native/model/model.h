// A Model owns its parameters (double-buffered: a diverging step never
// overwrites the last finite ones), its optimizer's state, its RandomState
// and its settings, and trains with Course 2's arithmetic: each head's cost
// from its logits, dZL = AL - Y, 1./m * products; L2 and inverted dropout
// as the course.
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
  std::vector<Activation> hidden;  // per hidden layer 1..L-1 (index 0 unused); empty: relu
  Head head = Head::Sigmoid;
  InitMethod init = InitMethod::Deep;
  double init_scale = 1.0;       // for InitMethod::Scaled
  uint32_t seed = 3;             // the init draws from RandomState(seed); dropout and shuffling continue it
  double lambd = 0.0;            // L2
  double keep_prob = 1.0;        // dropout on hidden layers
  long long dropout_seed = -1;   // >= 0: re-seed before every forward pass (the course)
};

// One fit's data and settings; Model::fit fills in the rest (cost and
// backward forms, regularization, generators, the divergence guard).
template <typename T>
struct FitRequest {
  const T* X = nullptr;  // (n_x, m)
  const T* Y = nullptr;  // (K, m)
  int m = 0;
  TrainSettings settings;
  Validation<T> validation;
  EarlyStopping early;  // updated with where early stopping stands at the end
  TrainHistory history;
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

  // The optimizer's v and s (like the parameters) and step count t: zero
  // until a fit with momentum, RMSprop or Adam (allocated then).
  const OptimizerState<T>& optimizer_state() const { return state_; }
  // Zeroes v and s and sets t = 0 (a new optimizer starts afresh).
  void reset_optimizer();
  // v or s null: zeros. Allocates the state if needed.
  void write_optimizer(const T* v, const T* s, long t);

  // Trains on the request's data. After a divergence, the parameters are
  // the last finite ones and the optimizer starts afresh.
  TrainResult fit(FitRequest<T>& request, const TrainLog& on_log);

  // AL (K, m) without dropout, in chunks of examples; X (n_x, m), or (m, n_x) with X_rows.
  // With check_finite: false, and AL incomplete, when X holds a NaN or an infinity.
  bool predict_proba(const T* X, int m, T* AL, bool X_rows = false, bool check_finite = false) const;
  // The training objective on (X, Y) without dropout (the head's cost + the
  // L2 term), and the accuracy (NaN for the linear head).
  void evaluate(const T* X, const T* Y, int m, double* cost, double* accuracy, bool X_rows = false) const;

 private:
  void ensure_optimizer_memory();

  ModelConfig config_;
  size_t size_ = 0;
  LargeBuffer storage_;  // 2 * size_ values: the current parameters and the spare
  Parameters<T> p_, spare_;
  LargeBuffer state_storage_;  // 2 * size_ values: v and s, once an optimizer needs them
  LargeBuffer best_storage_;   // size_ values: early stopping's best parameters, once needed
  OptimizerState<T> state_;
  RandomState rng_;
};

}  // namespace deepnet
