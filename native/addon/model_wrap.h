// Model exposed to JavaScript as NativeModel. model_wrap.cc: construction,
// parameters, prediction, generator and optimizer state; model_fit_wrap.cc:
// fitSync on the calling thread, fit on a libuv worker thread.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "args.h"
#include "fit_args.h"
#include "model.h"

namespace deepnet {
namespace addon {

// The element type of a Model<T>& (the lambdas are generic over both dtypes).
template <typename M>
using value_t = typename std::decay_t<M>::value_type;

class ModelWrap : public Napi::ObjectWrap<ModelWrap> {
 public:
  static Napi::Function Define(Napi::Env env);

  // new NativeModel({ dims, hidden, output, dtype, init, scale, seed, lambd, keepProb, dropoutSeed })
  explicit ModelWrap(const Napi::CallbackInfo& info);
  ~ModelWrap() override;

  // Whether the JavaScript object is gone (collected), though this finalizer has not run yet.
  bool collected(Napi::Env env) const;
  // Frees the model's memory and leaves the registry (once).
  void release(Napi::Env env);

 private:
  struct Progress;
  class FitWorker;

  template <typename Fn>
  decltype(auto) with_model(Fn&& fn) {
    if (dtype_ == DType::Float32) return fn(*f32_);
    return fn(*f64_);
  }

  size_t size() { return with_model([](auto& model) { return model.size(); }); }
  size_t element_bytes() const { return dtype_ == DType::Float32 ? 4 : 8; }
  int inputs() const { return dims_.front(); }
  int outputs() const { return dims_.back(); }
  RandomState& rng() {
    return with_model([](auto& model) -> RandomState& { return model.rng(); });
  }

  void ensure_idle(Napi::Env env);

  // model_wrap.cc
  Napi::Value ReadParameters(const Napi::CallbackInfo& info);
  Napi::Value WriteParameters(const Napi::CallbackInfo& info);
  Napi::Value PredictProba(const Napi::CallbackInfo& info);
  Napi::Value Evaluate(const Napi::CallbackInfo& info);
  Napi::Value GetRngState(const Napi::CallbackInfo& info);
  Napi::Value SetRngState(const Napi::CallbackInfo& info);
  Napi::Value GetOptimizerState(const Napi::CallbackInfo& info);
  Napi::Value SetOptimizerState(const Napi::CallbackInfo& info);
  Napi::Value ResetOptimizer(const Napi::CallbackInfo& info);

  // model_fit_wrap.cc
  // A fit call's arguments, read as fit_args.h says (every JavaScript value, then the arrays' memory).
  struct FitCall {
    TrainSettings settings;
    EarlyStopping early;
    FitValues values;
    Napi::Function on_progress;  // empty without a callback
    FitArrays arrays;
  };
  FitCall fit_call(const Napi::CallbackInfo& info);
  template <typename T>
  FitRequest<T> request(const FitArrays& a, int m, int val_m, bool val_rows, const TrainSettings& s,
                        const EarlyStopping& e);
  void finish_async(Napi::Env env);
  Napi::Value FitSync(const Napi::CallbackInfo& info);
  Napi::Value Fit(const Napi::CallbackInfo& info);
  Napi::Value Cancel(const Napi::CallbackInfo& info);

  DType dtype_ = DType::Float64;
  std::vector<int> dims_;
  int64_t external_bytes_ = 0;
  napi_ref weak_ = nullptr;  // this model's JavaScript object, weakly
  std::unique_ptr<Model<float>> f32_;
  std::unique_ptr<Model<double>> f64_;
  std::atomic<bool> busy_{false};
  std::atomic<bool> cancel_{false};
};

}  // namespace addon
}  // namespace deepnet
