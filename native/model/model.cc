#include "model.h"

#include <algorithm>
#include <cstring>

#include "cost.h"
#include "memory.h"

namespace deepnet {

template <typename T>
Model<T>::Model(const ModelConfig& config) : config_(config), rng_(config.seed) {
  const std::vector<int>& dims = config.dims;
  const int L = static_cast<int>(dims.size()) - 1;
  // In double: absurd layer sizes must be refused, not wrap around.
  double count = 0;
  for (int l = 1; l <= L; ++l) count += static_cast<double>(dims[l]) * (dims[l - 1] + 1.0);
  check_allocation(2 * count * sizeof(T), "the model's parameters");
  for (int l = 1; l <= L; ++l) size_ += static_cast<size_t>(dims[l]) * (dims[l - 1] + 1);
  storage_ = LargeBuffer(2 * size_ * sizeof(T));  // zero-filled
  for (Parameters<T>* view : {&p_, &spare_}) {
    view->dims = dims;
    view->W.assign(L + 1, nullptr);
    view->b.assign(L + 1, nullptr);
  }
  T* cursor = reinterpret_cast<T*>(storage_.data());
  for (Parameters<T>* view : {&p_, &spare_}) {
    for (int l = 1; l <= L; ++l) {
      view->W[l] = cursor;
      cursor += static_cast<size_t>(dims[l]) * dims[l - 1];
      view->b[l] = cursor;
      cursor += dims[l];
    }
  }
  rng_.seed(config.seed);
  for (int l = 1; l <= L; ++l) init_weights(p_.W[l], rng_, dims[l], dims[l - 1], config.init, config.init_scale);
}

template <typename T>
void Model<T>::read(T* out) const {
  for (int l = 1; l <= p_.layers(); ++l) {
    const size_t w = static_cast<size_t>(p_.dims[l]) * p_.dims[l - 1];
    out = std::copy(p_.W[l], p_.W[l] + w, out);
    out = std::copy(p_.b[l], p_.b[l] + p_.dims[l], out);
  }
}

template <typename T>
void Model<T>::write(const T* in) {
  for (int l = 1; l <= p_.layers(); ++l) {
    const size_t w = static_cast<size_t>(p_.dims[l]) * p_.dims[l - 1];
    std::copy(in, in + w, p_.W[l]);
    in += w;
    std::copy(in, in + p_.dims[l], p_.b[l]);
    in += p_.dims[l];
  }
}

template <typename T>
TrainResult Model<T>::fit(const T* X, const T* Y, int m, double learning_rate, long iterations,
                          long log_every, double* costs, const TrainLog& on_log,
                          const std::atomic<bool>* cancel) {
  TrainSettings s;
  s.learning_rate = learning_rate;
  s.iterations = iterations;
  s.log_every = log_every;
  s.cost = CostForm::Logits;
  s.backward = BackwardForm::Course2;
  s.reg.lambd = config_.lambd;
  s.reg.keep_prob = config_.keep_prob;
  s.reg.rng = &rng_;
  s.dropout_seed = config_.dropout_seed;
  s.stop_on_divergence = true;
  s.cancel = cancel;
  Arena<T> arena(config_.dims, m, s.reg.dropout());
  return train(p_, &spare_, arena.workspace(), X, Y, s, costs, on_log);
}

template <typename T>
void Model<T>::predict_proba(const T* X, int m, T* AL) const {
  Arena<T> arena(config_.dims, m);
  Workspace<T>& ws = arena.workspace();
  network_forward(ws, p_, X);
  std::memcpy(AL, ws.A[p_.layers()], sizeof(T) * m);
}

template <typename T>
double Model<T>::cost(const T* X, const T* Y, int m) const {
  Arena<T> arena(config_.dims, m);
  Workspace<T>& ws = arena.workspace();
  network_forward(ws, p_, X);
  Regularization reg;
  reg.lambd = config_.lambd;
  return network_cost(ws, p_, Y, CostForm::Logits, reg);
}

template class Model<float>;
template class Model<double>;

}  // namespace deepnet
