// NativeModel's fitting: fitSync on the calling thread, fit on a libuv worker
// thread (progress events come back to the main thread, a cancel flag stops
// it at the next step). Arguments are read as fit_args.h says: every
// JavaScript value first, then the typed arrays' memory.
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "addon_data.h"
#include "batch.h"
#include "model_wrap.h"

namespace deepnet {
namespace addon {

namespace {

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

// Every 50 ms of training, at a step boundary, the fit asks whether
// JavaScript can still run here: a terminated worker thread or an exiting
// process answers no, and the fit is cancelled instead of keeping the
// shutdown waiting for its last epoch.
constexpr auto kHeartbeat = std::chrono::milliseconds(50);

// Sets a model's cancel flag when the environment is torn down (the process
// exits, or the worker thread holding it ends) while it fits.
void cancel_on_teardown(void* flag) { static_cast<std::atomic<bool>*>(flag)->store(true); }

}  // namespace

// The FitRequest over the arrays' memory.
template <typename T>
FitRequest<T> ModelWrap::request(const FitArrays& a, int m, int val_m, bool val_rows, const TrainSettings& s,
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

ModelWrap::FitCall ModelWrap::fit_call(const Napi::CallbackInfo& info) {
  FitCall c;
  c.settings = fit_settings(info[3]);
  c.early = early_stopping(info[3]);
  c.values = fit_values(info);
  if (info[4].IsFunction()) c.on_progress = info[4].As<Napi::Function>();
  c.arrays = fit_arrays(c.values, dtype_, inputs(), outputs(), c.settings.epochs);
  return c;
}

// fitSync(X, Y, m, settings, onProgress, history, validation) -> result
Napi::Value ModelWrap::FitSync(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    ensure_idle(env);
    const FitCall call = fit_call(info);
    const TrainSettings& settings = call.settings;
    const EarlyStopping& early = call.early;
    const FitValues& values = call.values;
    const Napi::Function& on_progress = call.on_progress;
    const FitArrays& arrays = call.arrays;
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

struct ModelWrap::Progress {
  EpochReport report;
  bool heartbeat;  // not a logged epoch: only asks whether JavaScript can still run
};

class ModelWrap::FitWorker : public Napi::AsyncProgressQueueWorker<Progress> {
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

void ModelWrap::finish_async(Napi::Env env) {
  napi_remove_env_cleanup_hook(env, cancel_on_teardown, &cancel_);
  busy_ = false;
  cancel_ = false;
}

// fit(X, Y, m, settings, onProgress, history, validation) -> Promise<result>
Napi::Value ModelWrap::Fit(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    ensure_idle(env);
    const FitCall call = fit_call(info);
    auto* worker = new FitWorker(env, this, info.This().As<Napi::Object>(), call.values, call.arrays, call.settings,
                                 call.early, call.on_progress);
    busy_ = true;
    cancel_ = false;
    napi_add_env_cleanup_hook(env, cancel_on_teardown, &cancel_);
    worker->Queue();
    return worker->Promise();
  });
}

Napi::Value ModelWrap::Cancel(const Napi::CallbackInfo& info) {
  if (busy_) cancel_ = true;
  return info.Env().Undefined();
}

}  // namespace addon
}  // namespace deepnet
