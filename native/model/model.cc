#include "model.h"

#include <algorithm>
#include <cstring>

#include "memory.h"

namespace deepnet {

namespace {
// Most examples per chunk when predicting and evaluating (chunk_width in
// train.cc narrows it to fit L2): memory stays bounded
// whatever m is, and each chunk's activations stay in cache for small layers.
constexpr int kChunk = 8192;
}  // namespace

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
  T* cursor = reinterpret_cast<T*>(storage_.data());
  for (Parameters<T>* view : {&p_, &spare_}) {
    view->dims = dims;
    view->act = config.hidden;
    view->head = config.head;
    view->W.assign(L + 1, nullptr);
    view->b.assign(L + 1, nullptr);
    view->flat = cursor;
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
  std::memcpy(out, p_.flat, sizeof(T) * size_);
}

template <typename T>
void Model<T>::write(const T* in) {
  std::memcpy(p_.flat, in, sizeof(T) * size_);
}

template <typename T>
void Model<T>::ensure_optimizer_memory() {
  if (state_.v) return;
  check_allocation(2.0 * size_ * sizeof(T), "the optimizer's state");
  state_storage_ = LargeBuffer(2 * size_ * sizeof(T));  // zero-filled
  state_.v = reinterpret_cast<T*>(state_storage_.data());
  state_.s = state_.v + size_;
}

template <typename T>
void Model<T>::reset_optimizer() {
  if (state_.v) std::memset(state_.v, 0, 2 * size_ * sizeof(T));
  state_.t = 0;
}

template <typename T>
void Model<T>::write_optimizer(const T* v, const T* s, long t) {
  ensure_optimizer_memory();
  if (v) std::memcpy(state_.v, v, sizeof(T) * size_);
  else std::memset(state_.v, 0, sizeof(T) * size_);
  if (s) std::memcpy(state_.s, s, sizeof(T) * size_);
  else std::memset(state_.s, 0, sizeof(T) * size_);
  state_.t = t;
}

template <typename T>
TrainResult Model<T>::fit(FitRequest<T>& r, const TrainLog& on_log) {
  TrainSettings s = r.settings;
  s.cost = CostForm::Logits;
  s.backward = BackwardForm::Course2;
  s.reg.lambd = config_.lambd;
  s.reg.keep_prob = config_.keep_prob;
  s.reg.rng = &rng_;
  s.rng = &rng_;
  s.dropout_seed = config_.dropout_seed;
  s.stop_on_divergence = true;
  if (s.optimizer.kind != OptimizerKind::GD) ensure_optimizer_memory();
  // Kept across calls: a fit in several calls (checkpoints) restores the
  // best epoch of all of them.
  if (r.early.patience > 0 && r.early.restore_best && !best_storage_.data()) {
    check_allocation(static_cast<double>(size_) * sizeof(T), "the best epoch's parameters");
    best_storage_ = LargeBuffer(size_ * sizeof(T));
  }
  T* best = reinterpret_cast<T*>(best_storage_.data());
  TrainResult result = train(p_, &spare_, r.X, r.Y, r.m, s, state_.v ? &state_ : nullptr, r.validation,
                             r.early, best, r.history, on_log);
  if (result.stop == TrainResult::Stop::Diverged) reset_optimizer();
  return result;
}

template <typename T>
bool Model<T>::predict_proba(const T* X, int m, T* AL, bool X_rows, bool check_finite) const {
  return network_predict(p_, X, m, kChunk, AL, X_rows, check_finite);
}

template <typename T>
void Model<T>::evaluate(const T* X, const T* Y, int m, double* cost, double* accuracy, bool X_rows) const {
  network_evaluate(p_, X, Y, m, kChunk, config_.lambd, cost, accuracy, X_rows);
}

template class Model<float>;
template class Model<double>;

}  // namespace deepnet
