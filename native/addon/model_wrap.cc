// Model exposed to JavaScript: fitSync on the calling thread, fit on a libuv
// worker thread (progress events come back to the main thread, a cancel flag
// stops it at the next step). Arguments are read as fit_args.h says: every
// JavaScript value first, then the typed arrays' memory.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "addon_data.h"
#include "args.h"
#include "fit_args.h"
#include "batch.h"
#include "model.h"

namespace deepnet {
namespace addon {

namespace {

// The element type of a Model<T>& (the lambdas below are generic over both dtypes).
template <typename M>
using value_t = typename std::decay_t<M>::value_type;

const char* stop_name(TrainResult::Stop s) {
  switch (s) {
    case TrainResult::Stop::Finished: return "finished";
    case TrainResult::Stop::Cancelled: return "cancelled";
    case TrainResult::Stop::ByCallback: return "callback";
    case TrainResult::Stop::Diverged: return "diverged";
    case TrainResult::Stop::EarlyStopped: return "early";
  }
  return "finished";
}

Napi::Object result_object(Napi::Env env, const TrainResult& r, const EarlyStopping& early) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("bestCost", early.best_cost);
  out.Set("sinceBest", static_cast<double>(early.since_best));
  out.Set("completed", static_cast<double>(r.completed));
  out.Set("steps", static_cast<double>(r.steps));
  out.Set("stop", stop_name(r.stop));
  out.Set("bestEpoch", static_cast<double>(r.best_epoch));
  out.Set("communicationSeconds", r.communication_seconds);
  if (r.diverged_what) out.Set("diverged", r.diverged_what);
  return out;
}

InitMethod init_method(const Napi::Value& v) {
  const std::string s = string_value(v, "init");
  if (s == "deep") return InitMethod::Deep;
  if (s == "he") return InitMethod::He;
  if (s == "xavier") return InitMethod::Xavier;
  if (s == "scaled") return InitMethod::Scaled;
  if (s == "zeros") return InitMethod::Zeros;
  throw_range(v.Env(), "unknown init method '" + s + "'");
}

// Every 50 ms of training, at a step boundary, the fit asks whether
// JavaScript can still run here: a terminated worker thread or an exiting
// process answers no, and the fit is cancelled instead of keeping the
// shutdown waiting for its last epoch.
constexpr auto kHeartbeat = std::chrono::milliseconds(50);

// Sets a model's cancel flag when the environment is torn down (the process
// exits, or the worker thread holding it ends) while it fits.
void cancel_on_teardown(void* flag) { static_cast<std::atomic<bool>*>(flag)->store(true); }

}  // namespace

class ModelWrap : public Napi::ObjectWrap<ModelWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeModel",
                       {InstanceMethod("readParameters", &ModelWrap::ReadParameters),
                        InstanceMethod("writeParameters", &ModelWrap::WriteParameters),
                        InstanceMethod("fitSync", &ModelWrap::FitSync),
                        InstanceMethod("fit", &ModelWrap::Fit),
                        InstanceMethod("cancel", &ModelWrap::Cancel),
                        InstanceMethod("predictProba", &ModelWrap::PredictProba),
                        InstanceMethod("evaluate", &ModelWrap::Evaluate),
                        InstanceMethod("getRngState", &ModelWrap::GetRngState),
                        InstanceMethod("setRngState", &ModelWrap::SetRngState),
                        InstanceMethod("getOptimizerState", &ModelWrap::GetOptimizerState),
                        InstanceMethod("setOptimizerState", &ModelWrap::SetOptimizerState),
                        InstanceMethod("resetOptimizer", &ModelWrap::ResetOptimizer)});
  }

  // new NativeModel({ dims, hidden, output, dtype, init, scale, seed, lambd, keepProb, dropoutSeed })
  explicit ModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ModelWrap>(info) {
    Napi::Env env = info.Env();
    release_dropped_models(env);
    if (!info[0].IsObject()) throw_type(env, "NativeModel needs a config object");
    Napi::Object c = info[0].As<Napi::Object>();
    ModelConfig config;
    config.dims = layer_dims(c.Get("dims"), "dims");
    const int L = static_cast<int>(config.dims.size()) - 1;
    const Architecture arch = architecture(info[0], L);
    config.hidden = arch.hidden;
    config.head = arch.head;
    config.init = init_method(c.Get("init"));
    config.init_scale = finite_number(c.Get("scale"), "scale");
    config.seed = static_cast<uint32_t>(integer_in(c.Get("seed"), "seed", 0, 4294967295.0));
    config.lambd = finite_number(c.Get("lambd"), "lambd");
    config.keep_prob = finite_number(c.Get("keepProb"), "keepProb");
    if (config.lambd < 0 || !(config.keep_prob > 0 && config.keep_prob <= 1))
      throw_range(env, "lambd must be >= 0 and keepProb in (0, 1]");
    config.dropout_seed = integer_in(c.Get("dropoutSeed"), "dropoutSeed", -1, 4294967295.0);  // -1: off
    const std::string dtype = string_value(c.Get("dtype"), "dtype");
    if (dtype != "float64" && dtype != "float32") throw_range(env, "dtype must be 'float64' or 'float32'");
    dtype_ = dtype == "float32" ? DType::Float32 : DType::Float64;
    dims_ = config.dims;
    try {
      if (dtype_ == DType::Float32) f32_ = std::make_unique<Model<float>>(config);
      else f64_ = std::make_unique<Model<double>>(config);
    } catch (const AllocationTooLarge& e) {
      throw_range(env, e.what());
    } catch (const std::bad_alloc&) {
      throw_range(env, "not enough memory for the model's parameters");
    }
    // Tell V8 about the native memory this small JavaScript object holds, so
    // that dropping many models triggers collections that free it.
    external_bytes_ = static_cast<int64_t>(2 * size() * element_bytes());
    Napi::MemoryManagement::AdjustExternalMemory(env, external_bytes_);
    if (napi_create_reference(env, info.This(), 0, &weak_) == napi_ok) addon_data(env).models.push_back(this);
  }

  ~ModelWrap() override {
    release(Env());
    if (weak_) napi_delete_reference(Env(), weak_);
  }

  // Whether the JavaScript object is gone (collected), though this finalizer has not run yet.
  bool collected(Napi::Env env) const {
    napi_value value = nullptr;
    return napi_get_reference_value(env, weak_, &value) == napi_ok && value == nullptr;
  }

  // Frees the model's memory and leaves the registry (once).
  void release(Napi::Env env) {
    auto& models = addon_data(env).models;
    models.erase(std::remove(models.begin(), models.end(), this), models.end());
    f32_.reset();
    f64_.reset();
    if (external_bytes_ > 0) Napi::MemoryManagement::AdjustExternalMemory(env, -external_bytes_);
    external_bytes_ = 0;
  }

 private:
  template <typename Fn>
  decltype(auto) with_model(Fn&& fn) {
    if (dtype_ == DType::Float32) return fn(*f32_);
    return fn(*f64_);
  }

  size_t size() { return with_model([](auto& model) { return model.size(); }); }
  size_t element_bytes() const { return dtype_ == DType::Float32 ? 4 : 8; }
  int inputs() const { return dims_.front(); }
  int outputs() const { return dims_.back(); }

  void ensure_idle(Napi::Env env) {
    if (busy_) throw_type(env, "the model is fitting; wait for fit() to finish (or abort it) first");
  }

  // The FitRequest over the arrays' memory.
  template <typename T>
  FitRequest<T> request(const FitArrays& a, int m, int val_m, bool val_rows, const TrainSettings& s,
                        const EarlyStopping& e) {
    FitRequest<T> r;
    r.X = a.X.as<T>();
    r.Y = a.Y.as<T>();
    r.m = m;
    r.settings = s;
    r.settings.cancel = &cancel_;
    r.early = e;
    if (a.has_validation) r.validation = {a.val_X.as<T>(), a.val_Y.as<T>(), val_m, val_rows};
    r.history = {a.costs.as<double>(), a.val_costs.as<double>(), a.val_accuracies.as<double>(),
                 a.learning_rates.as<double>()};
    return r;
  }

  Napi::Value ReadParameters(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      ensure_idle(info.Env());
      Array out = typed_array(info[0], "out", dtype_, size());
      with_model([&](auto& model) { model.read(out.as<value_t<decltype(model)>>()); });
      return info.Env().Undefined();
    });
  }

  Napi::Value WriteParameters(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      ensure_idle(info.Env());
      Array in = typed_array(info[0], "in", dtype_, size());
      with_model([&](auto& model) { model.write(in.as<value_t<decltype(model)>>()); });
      return info.Env().Undefined();
    });
  }

  // fitSync(X, Y, m, settings, onProgress, history, validation) -> result
  Napi::Value FitSync(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      ensure_idle(env);
      const TrainSettings settings = fit_settings(info[3]);
      const EarlyStopping early = early_stopping(info[3]);
      const FitValues values = fit_values(info);
      Napi::Function on_progress = info[4].IsFunction() ? info[4].As<Napi::Function>() : Napi::Function();
      const FitArrays arrays = fit_arrays(values, dtype_, inputs(), outputs(), settings.epochs);
      const long log_every = settings.log_every;
      auto last = std::chrono::steady_clock::now();
      TrainLog log = [&](const EpochReport& r) {
        const auto now = std::chrono::steady_clock::now();
        const bool logged = !on_progress.IsEmpty() && (r.epoch % log_every == 0 || r.stopping);
        if (!logged && now - last < kHeartbeat) return true;
        last = now;
        if (!logged) {
          addon_data(env).noop.Call({});  // throws once JavaScript cannot run here any more
          return true;
        }
        on_progress.Call({Napi::Number::New(env, static_cast<double>(r.epoch)), Napi::Number::New(env, r.cost),
                          Napi::Number::New(env, r.val_cost), Napi::Number::New(env, r.val_accuracy),
                          Napi::Number::New(env, r.learning_rate)});
        // The callback may have detached, shrunk or replaced an array: never use them after that.
        if (!unchanged([&] { return same_arrays(arrays, fit_arrays(fit_values(info), dtype_, inputs(), outputs(), settings.epochs)); }))
          throw_type(env, "an array passed to fitSync was detached, resized or replaced during training");
        return true;
      };
      TrainSettings every_epoch = settings;
      every_epoch.log_every = 1;  // the heartbeat above runs at every epoch
      busy_ = true;
      napi_add_env_cleanup_hook(env, cancel_on_teardown, &cancel_);
      struct Idle {
        ModelWrap& self;
        Napi::Env env;
        ~Idle() {
          napi_remove_env_cleanup_hook(env, cancel_on_teardown, &self.cancel_);
          self.busy_ = false;
          self.cancel_ = false;
        }
      } idle{*this, env};
      EarlyStopping early_out = early;
      TrainResult r = with_model([&](auto& model) {
        using T = value_t<decltype(model)>;
        FitRequest<T> req = request<T>(arrays, values.m, values.val_m, values.val_rows, every_epoch, early);
        TrainResult result = model.fit(req, log);
        early_out = req.early;
        return result;
      });
      return result_object(env, r, early_out);
    });
  }

  struct Progress {
    EpochReport report;
    bool heartbeat;  // not a logged epoch: only asks whether JavaScript can still run
  };

  class FitWorker : public Napi::AsyncProgressQueueWorker<Progress> {
   public:
    FitWorker(Napi::Env env, ModelWrap* owner, Napi::Object self, const FitValues& values,
              const FitArrays& arrays, const TrainSettings& settings, const EarlyStopping& early,
              Napi::Function on_progress)
        : Napi::AsyncProgressQueueWorker<Progress>(env),
          deferred_(Napi::Promise::Deferred::New(env)),
          owner_(owner),
          self_(Napi::Persistent(self)),
          settings_(settings),
          early_(early),
          m_(values.m),
          val_m_(values.val_m),
          val_rows_(values.val_rows),
          log_every_(settings.log_every),
          history_(4 * static_cast<size_t>(settings.epochs)) {
      for (const Napi::Value& v : {values.costs, values.val_costs, values.val_accuracies, values.learning_rates})
        history_refs_.push_back(Napi::Persistent(v.As<Napi::Float64Array>()));
      if (!on_progress.IsEmpty()) on_progress_ = Napi::Persistent(on_progress);
      has_callback_ = !on_progress.IsEmpty();
      settings_.log_every = 1;  // progress and heartbeats are decided per epoch below
      // fit() owns copies of its data: JavaScript may change or detach the
      // caller's arrays while the worker thread reads them.
      const size_t eb = arrays.X.dtype == DType::Float32 ? 4 : 8;
      const size_t sizes[4] = {arrays.X.length * eb, arrays.Y.length * eb,
                               arrays.has_validation ? arrays.val_X.length * eb : 0,
                               arrays.has_validation ? arrays.val_Y.length * eb : 0};
      check_allocation(static_cast<double>(sizes[0] + sizes[1] + sizes[2] + sizes[3]),
                       "fit()'s copy of its data");
      data_ = LargeBuffer(sizes[0] + sizes[1] + sizes[2] + sizes[3]);
      const void* from[4] = {arrays.X.data, arrays.Y.data, arrays.val_X.data, arrays.val_Y.data};
      // Shuffled batches of columns would gather X a cache line per value:
      // the copy is made as rows instead, so each example is one contiguous run.
      const bool as_rows = !settings.X_rows && settings.shuffle && settings.batch_size > 0 && settings.batch_size < m_;
      size_t at = 0;
      for (int i = 0; i < 4; ++i) {
        if (i == 0 && as_rows) {
          const int n_x = owner_->inputs();
          with_dtype(arrays.X.dtype, [&](auto t) {
            using T = decltype(t);
            transpose(reinterpret_cast<T*>(data_.data()), arrays.X.as<T>(), n_x, m_);
          });
        } else if (sizes[i]) {
          std::memcpy(data_.data() + at, from[i], sizes[i]);
        }
        offsets_[i] = at;
        at += sizes[i];
      }
      if (as_rows) settings_.X_rows = true;
      copy_ = arrays;
      copy_.X.data = data_.data() + offsets_[0];
      copy_.Y.data = data_.data() + offsets_[1];
      copy_.val_X.data = data_.data() + offsets_[2];
      copy_.val_Y.data = data_.data() + offsets_[3];
      const size_t e = static_cast<size_t>(settings.epochs);
      copy_.costs.data = history_.data();
      copy_.val_costs.data = history_.data() + e;
      copy_.val_accuracies.data = history_.data() + 2 * e;
      copy_.learning_rates.data = history_.data() + 3 * e;
    }

    Napi::Promise Promise() { return deferred_.Promise(); }

    void Execute(const ExecutionProgress& progress) override {
      try {
        result_ = owner_->with_model([&](auto& model) {
          using T = value_t<decltype(model)>;
          auto last = std::chrono::steady_clock::now();
          TrainLog log = [&](const EpochReport& r) {
            const auto now = std::chrono::steady_clock::now();
            const bool logged = has_callback_ && (r.epoch % log_every_ == 0 || r.stopping);
            if (logged || now - last > kHeartbeat) {
              Progress item{r, !logged};
              progress.Send(&item, 1);
              last = now;
            }
            return true;
          };
          FitRequest<T> req = owner_->request<T>(copy_, m_, val_m_, val_rows_, settings_, early_);
          TrainResult result = model.fit(req, log);
          early_ = req.early;
          return result;
        });
      } catch (const AllocationTooLarge& e) {
        SetError(std::string("deepnet: ") + e.what());
      } catch (const std::bad_alloc&) {
        SetError("deepnet: out of memory for the training arena");
      } catch (const std::exception& e) {
        SetError(std::string("deepnet: ") + e.what());
      }
    }

    // The On* callbacks run on the main thread. When the environment is
    // shutting down (a worker thread being terminated) JavaScript can no
    // longer run: the calls below then fail, and must neither throw out of
    // these callbacks (that would abort the process) nor let the fit go on.
    void OnProgress(const Progress* items, size_t count) override {
      if (callback_error_) return;
      for (size_t i = 0; i < count; ++i) {
        try {
          Napi::Env env = Env();
          if (items[i].heartbeat) {
            addon_data(env).noop.Call({});
            continue;
          }
          const EpochReport& r = items[i].report;
          on_progress_.Call({Napi::Number::New(env, static_cast<double>(r.epoch)), Napi::Number::New(env, r.cost),
                             Napi::Number::New(env, r.val_cost), Napi::Number::New(env, r.val_accuracy),
                             Napi::Number::New(env, r.learning_rate)});
        } catch (const Napi::Error& e) {
          // A throwing progress callback stops the fit; the promise rejects with its error.
          callback_error_ = true;
          owner_->cancel_ = true;
          try {
            error_ = Napi::Persistent(e.Value());
          } catch (const Napi::Error&) {
          }
          return;
        }
      }
    }

    void OnOK() override {
      owner_->finish_async(Env());
      try {
        Napi::Env env = Env();
        const size_t e = static_cast<size_t>(settings_.epochs);
        for (size_t k = 0; k < history_refs_.size(); ++k) {
          Napi::Float64Array out = history_refs_[k].Value();
          if (out.ElementLength() == e) std::memcpy(out.Data(), history_.data() + k * e, e * sizeof(double));
        }
        if (callback_error_ && !error_.IsEmpty()) deferred_.Reject(error_.Value());
        else deferred_.Resolve(result_object(env, result_, early_));
      } catch (const Napi::Error&) {
      }
    }

    void OnError(const Napi::Error& e) override {
      owner_->finish_async(Env());
      try {
        deferred_.Reject(e.Value());
      } catch (const Napi::Error&) {
      }
    }

   private:
    Napi::Promise::Deferred deferred_;
    ModelWrap* owner_;
    Napi::ObjectReference self_;  // keeps the model alive while the worker uses it
    std::vector<Napi::Reference<Napi::Float64Array>> history_refs_;
    Napi::FunctionReference on_progress_;
    Napi::ObjectReference error_;
    bool callback_error_ = false;
    bool has_callback_ = false;
    TrainSettings settings_;
    EarlyStopping early_;
    int m_, val_m_;
    bool val_rows_;
    long log_every_;
    std::vector<double> history_;  // costs, valCosts, valAccuracies, learningRates
    LargeBuffer data_;
    size_t offsets_[4] = {0, 0, 0, 0};
    FitArrays copy_;  // the arrays' views over data_ and history_
    TrainResult result_;
  };

  void finish_async(Napi::Env env) {
    napi_remove_env_cleanup_hook(env, cancel_on_teardown, &cancel_);
    busy_ = false;
    cancel_ = false;
  }

  // fit(X, Y, m, settings, onProgress, history, validation) -> Promise<result>
  Napi::Value Fit(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      ensure_idle(env);
      const TrainSettings settings = fit_settings(info[3]);
      const EarlyStopping early = early_stopping(info[3]);
      const FitValues values = fit_values(info);
      Napi::Function on_progress = info[4].IsFunction() ? info[4].As<Napi::Function>() : Napi::Function();
      const FitArrays arrays = fit_arrays(values, dtype_, inputs(), outputs(), settings.epochs);
      auto* worker = new FitWorker(env, this, info.This().As<Napi::Object>(), values, arrays, settings,
                                   early, on_progress);
      busy_ = true;
      cancel_ = false;
      napi_add_env_cleanup_hook(env, cancel_on_teardown, &cancel_);
      worker->Queue();
      return worker->Promise();
    });
  }

  Napi::Value Cancel(const Napi::CallbackInfo& info) {
    if (busy_) cancel_ = true;
    return info.Env().Undefined();
  }

  // predictProba(X, m, AL, rows, checkFinite) -> whether X was finite (always
  // true unless checkFinite; when false, AL is incomplete): AL (K, m); X
  // (n_x, m), or (m, n_x) when rows.
  Napi::Value PredictProba(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      ensure_idle(info.Env());
      const int m = positive_int(info[1], "m");
      const bool rows = info[3].ToBoolean(), check_finite = info[4].ToBoolean();
      Array X = typed_array(info[0], "X", dtype_, static_cast<size_t>(inputs()) * m);
      Array AL = typed_array(info[2], "AL", dtype_, static_cast<size_t>(outputs()) * m);
      const bool finite = with_model([&](auto& model) {
        using T = value_t<decltype(model)>;
        return model.predict_proba(X.as<T>(), m, AL.as<T>(), rows, check_finite);
      });
      return Napi::Boolean::New(info.Env(), finite);
    });
  }

  // evaluate(X, Y, m, rows) -> { cost, accuracy }: the training objective without dropout.
  Napi::Value Evaluate(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      ensure_idle(info.Env());
      const int m = positive_int(info[2], "m");
      const bool rows = info[3].ToBoolean();
      Array X = typed_array(info[0], "X", dtype_, static_cast<size_t>(inputs()) * m);
      Array Y = typed_array(info[1], "Y", dtype_, static_cast<size_t>(outputs()) * m);
      double cost = 0, accuracy = 0;
      with_model([&](auto& model) {
        using T = value_t<decltype(model)>;
        model.evaluate(X.as<T>(), Y.as<T>(), m, &cost, &accuracy, rows);
      });
      Napi::Object out = Napi::Object::New(info.Env());
      out.Set("cost", cost);
      out.Set("accuracy", accuracy);
      return out;
    });
  }

  RandomState& rng() {
    return with_model([](auto& model) -> RandomState& { return model.rng(); });
  }

  // getRngState() -> { key: Uint32Array(624), pos, hasGauss, gauss }: the
  // generator of dropout masks and shuffles, saved in checkpoints so a
  // resumed run draws the same ones.
  Napi::Value GetRngState(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      ensure_idle(env);
      RandomState::State s = rng().state();
      auto key = Napi::Uint32Array::New(env, RandomState::kN);
      std::memcpy(key.Data(), s.key, sizeof s.key);
      Napi::Object out = Napi::Object::New(env);
      out.Set("key", key);
      out.Set("pos", s.pos);
      out.Set("hasGauss", s.has_gauss);
      out.Set("gauss", s.gauss);
      return out;
    });
  }

  // setRngState(key, pos, hasGauss, gauss)
  Napi::Value SetRngState(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      ensure_idle(env);
      const double pos = finite_number(info[1], "pos");
      if (!(pos >= 0 && pos <= RandomState::kN) || std::floor(pos) != pos) throw_range(env, "pos must be in [0, 624]");
      const bool has_gauss = info[2].ToBoolean();
      const double gauss = finite_number(info[3], "gauss");
      if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array ||
          info[0].As<Napi::Uint32Array>().ElementLength() != RandomState::kN)
        throw_type(env, "rng key must be a Uint32Array of 624 words");
      RandomState::State s;
      std::memcpy(s.key, info[0].As<Napi::Uint32Array>().Data(), sizeof s.key);
      s.pos = static_cast<int>(pos);
      s.has_gauss = has_gauss;
      s.gauss = gauss;
      rng().set_state(s);
      return env.Undefined();
    });
  }

  // getOptimizerState() -> { v, s, t } (copies, the dtype of the model) or
  // null before any optimizer with a state has run.
  Napi::Value GetOptimizerState(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      ensure_idle(env);
      return with_model([&](auto& model) -> Napi::Value {
        using T = value_t<decltype(model)>;
        const OptimizerState<T>& st = model.optimizer_state();
        if (!st.v) return env.Null();
        const size_t n = model.size();
        auto make = [&](const T* from) -> Napi::Value {
          auto buffer = Napi::ArrayBuffer::New(env, n * sizeof(T));
          std::memcpy(buffer.Data(), from, n * sizeof(T));
          if constexpr (std::is_same_v<T, float>) return Napi::Float32Array::New(env, n, buffer, 0);
          else return Napi::Float64Array::New(env, n, buffer, 0);
        };
        Napi::Object out = Napi::Object::New(env);
        out.Set("v", make(st.v));
        out.Set("s", make(st.s));
        out.Set("t", static_cast<double>(st.t));
        return out;
      });
    });
  }

  // setOptimizerState(v, s, t): v, s like the parameters (or null: zeros).
  Napi::Value SetOptimizerState(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      ensure_idle(env);
      const double t = finite_number(info[2], "t");
      if (!(t >= 0 && t <= 9007199254740991.0) || std::floor(t) != t) throw_range(env, "t must be a count of steps");
      const bool has_v = !info[0].IsNull(), has_s = !info[1].IsNull();
      Array v, s;
      if (has_v) v = typed_array(info[0], "v", dtype_, size());
      if (has_s) s = typed_array(info[1], "s", dtype_, size());
      with_model([&](auto& model) {
        using T = value_t<decltype(model)>;
        model.write_optimizer(has_v ? v.as<T>() : nullptr, has_s ? s.as<T>() : nullptr, static_cast<long>(t));
      });
      return env.Undefined();
    });
  }

  Napi::Value ResetOptimizer(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      ensure_idle(info.Env());
      with_model([](auto& model) { model.reset_optimizer(); });
      return info.Env().Undefined();
    });
  }

  DType dtype_ = DType::Float64;
  std::vector<int> dims_;
  int64_t external_bytes_ = 0;
  napi_ref weak_ = nullptr;  // this model's JavaScript object, weakly
  std::unique_ptr<Model<float>> f32_;
  std::unique_ptr<Model<double>> f64_;
  std::atomic<bool> busy_{false};
  std::atomic<bool> cancel_{false};
};

void release_dropped_models(Napi::Env env) {
  std::vector<ModelWrap*> dropped;
  for (ModelWrap* model : addon_data(env).models)
    if (model->collected(env)) dropped.push_back(model);
  for (ModelWrap* model : dropped) model->release(env);
}

void register_model(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeModel", ModelWrap::Define(env));
}

}  // namespace addon
}  // namespace deepnet
