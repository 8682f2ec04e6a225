// Model exposed to JavaScript: fitSync on the calling thread, fit on a libuv
// worker thread (progress events come back to the main thread, a cancel flag
// stops it at an iteration boundary).
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <memory>
#include <string>
#include <vector>

#include "addon_data.h"
#include "args.h"
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
  }
  return "finished";
}

Napi::Object result_object(Napi::Env env, const TrainResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("completed", static_cast<double>(r.completed));
  out.Set("stop", stop_name(r.stop));
  if (r.diverged_what) out.Set("diverged", r.diverged_what);
  return out;
}

InitMethod init_method(const Napi::Value& v) {
  std::string s = v.ToString();
  if (s == "deep") return InitMethod::Deep;
  if (s == "he") return InitMethod::He;
  if (s == "xavier") return InitMethod::Xavier;
  if (s == "scaled") return InitMethod::Scaled;
  if (s == "zeros") return InitMethod::Zeros;
  throw_range(v.Env(), "unknown init method '" + s + "'");
}

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
                        InstanceMethod("cost", &ModelWrap::Cost),
                        InstanceMethod("getRngState", &ModelWrap::GetRngState),
                        InstanceMethod("setRngState", &ModelWrap::SetRngState)});
  }

  // new NativeModel({ dims, dtype, init, scale, seed, lambd, keepProb, dropoutSeed })
  explicit ModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ModelWrap>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsObject()) throw_type(env, "NativeModel needs a config object");
    Napi::Object c = info[0].As<Napi::Object>();
    ModelConfig config;
    config.dims = layer_dims(c.Get("dims"), "dims");
    config.init = init_method(c.Get("init"));
    config.init_scale = finite_number(c.Get("scale"), "scale");
    double seed = finite_number(c.Get("seed"), "seed");
    if (!(seed >= 0 && seed <= 4294967295.0)) throw_range(env, "seed must be in [0, 2^32 - 1]");
    config.seed = static_cast<uint32_t>(seed);
    config.lambd = finite_number(c.Get("lambd"), "lambd");
    config.keep_prob = finite_number(c.Get("keepProb"), "keepProb");
    if (config.lambd < 0 || !(config.keep_prob > 0 && config.keep_prob <= 1))
      throw_range(env, "lambd must be >= 0 and keepProb in (0, 1]");
    config.dropout_seed = static_cast<long long>(finite_number(c.Get("dropoutSeed"), "dropoutSeed"));
    dtype_ = c.Get("dtype").ToString().Utf8Value() == "float32" ? DType::Float32 : DType::Float64;
    dims_ = config.dims;
    external_bytes_ = 0;
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
    external_bytes_ = static_cast<int64_t>(2 * size() * (dtype_ == DType::Float32 ? 4 : 8));
    Napi::MemoryManagement::AdjustExternalMemory(env, external_bytes_);
  }

  ~ModelWrap() override {
    if (external_bytes_ > 0) Napi::MemoryManagement::AdjustExternalMemory(Env(), -external_bytes_);
  }

 private:
  template <typename Fn>
  decltype(auto) with_model(Fn&& fn) {
    if (dtype_ == DType::Float32) return fn(*f32_);
    return fn(*f64_);
  }

  size_t size() { return with_model([](auto& model) { return model.size(); }); }
  const std::vector<int>& dims() { return dims_; }

  void ensure_idle(Napi::Env env) {
    if (busy_) throw_type(env, "the model is fitting; wait for fit() to finish (or abort it) first");
  }

  // X (n_x, m) and Y (1, m) of the model's dtype; returns m.
  int data_args(const Napi::CallbackInfo& info, int x_at, bool with_y, Array* X, Array* Y) {
    int m = positive_int(info[x_at + (with_y ? 2 : 1)], "m");
    *X = typed_array(info[x_at], "X", dtype_, static_cast<size_t>(dims()[0]) * m);
    if (with_y) *Y = typed_array(info[x_at + 1], "Y", dtype_, m);
    return m;
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

  // fitSync(X, Y, m, learningRate, iterations, logEvery, onProgress, costs)
  Napi::Value FitSync(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      ensure_idle(env);
      Array X, Y;
      int m = data_args(info, 0, true, &X, &Y);
      double lr = finite_number(info[3], "learningRate");
      long iterations = static_cast<long>(finite_number(info[4], "iterations"));
      long log_every = static_cast<long>(finite_number(info[5], "logEvery"));
      Napi::Function on_progress = info[6].IsFunction() ? info[6].As<Napi::Function>() : Napi::Function();
      Array costs = typed_array(info[7], "costs", DType::Float64, static_cast<size_t>(iterations));
      TrainLog log;
      if (!on_progress.IsEmpty()) {
        log = [&](long i, double cost) {
          on_progress.Call({Napi::Number::New(env, static_cast<double>(i)), Napi::Number::New(env, cost)});
          // The callback may have detached X, Y or costs: never use them after that.
          Array X2, Y2;
          data_args(info, 0, true, &X2, &Y2);
          Array c2 = typed_array(info[7], "costs", DType::Float64, static_cast<size_t>(iterations));
          if (X2.data != X.data || Y2.data != Y.data || c2.data != costs.data)
            throw_type(env, "an array passed to fitSync was detached or replaced during training");
          return true;
        };
      }
      busy_ = true;
      struct Idle {
        std::atomic<bool>& busy;
        ~Idle() { busy = false; }
      } idle{busy_};
      TrainResult r = with_model([&](auto& model) {
        using T = value_t<decltype(model)>;
        return model.fit(X.as<T>(), Y.as<T>(), m, lr, iterations, log_every, costs.as<double>(), log,
                         nullptr);
      });
      return result_object(env, r);
    });
  }

  struct Progress {
    long iteration;
    double cost;
    bool heartbeat;  // not a logged iteration: only asks whether JavaScript can still run
  };

  class FitWorker : public Napi::AsyncProgressQueueWorker<Progress> {
   public:
    FitWorker(Napi::Env env, ModelWrap* owner, Napi::Object self, Array X, Array Y, int m, double lr,
              long iterations, long log_every, Napi::Function on_progress, Napi::Float64Array costs)
        : Napi::AsyncProgressQueueWorker<Progress>(env),
          deferred_(Napi::Promise::Deferred::New(env)),
          owner_(owner),
          self_(Napi::Persistent(self)),
          costs_ref_(Napi::Persistent(costs)),
          m_(m), lr_(lr), iterations_(iterations), log_every_(log_every),
          costs_(static_cast<size_t>(iterations)) {
      if (!on_progress.IsEmpty()) on_progress_ = Napi::Persistent(on_progress);
      has_callback_ = !on_progress.IsEmpty();
      // fit() owns copies of X and Y: JavaScript may change or detach the
      // caller's arrays while the worker thread reads them.
      const size_t xb = X.length * (X.dtype == DType::Float32 ? 4 : 8);
      const size_t yb = Y.length * (Y.dtype == DType::Float32 ? 4 : 8);
      check_allocation(xb + yb, "fit()'s copy of X and Y");
      data_ = LargeBuffer(xb + yb);
      std::memcpy(data_.data(), X.data, xb);
      std::memcpy(data_.data() + xb, Y.data, yb);
      y_offset_ = xb;
    }

    Napi::Promise Promise() { return deferred_.Promise(); }

    void Execute(const ExecutionProgress& progress) override {
      try {
        result_ = owner_->with_model([&](auto& model) {
          using T = value_t<decltype(model)>;
          // Called after every iteration: forwards the logged ones and, every
          // 50 ms, a heartbeat. When the environment shuts down (a worker
          // thread terminated mid-fit), the main thread's answer to either is
          // a failed call into JavaScript, which cancels the fit at once
          // instead of leaving the shutdown waiting for the last iteration.
          auto last = std::chrono::steady_clock::now();
          TrainLog log = [&](long i, double cost) {
            const auto now = std::chrono::steady_clock::now();
            const bool logged = i % log_every_ == 0 && has_callback_;
            if (logged || now - last > std::chrono::milliseconds(50)) {
              Progress item{i, cost, !logged};
              progress.Send(&item, 1);
              last = now;
            }
            return true;
          };
          return model.fit(reinterpret_cast<const T*>(data_.data()),
                           reinterpret_cast<const T*>(data_.data() + y_offset_), m_, lr_,
                           iterations_, 1, costs_.data(), log, &owner_->cancel_);
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
          on_progress_.Call({Napi::Number::New(env, static_cast<double>(items[i].iteration)),
                             Napi::Number::New(env, items[i].cost)});
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
      owner_->busy_ = false;
      owner_->cancel_ = false;
      try {
        Napi::Env env = Env();
        Napi::Float64Array costs = costs_ref_.Value();
        if (costs.ElementLength() == costs_.size())
          std::memcpy(costs.Data(), costs_.data(), costs_.size() * sizeof(double));
        if (callback_error_ && !error_.IsEmpty()) deferred_.Reject(error_.Value());
        else deferred_.Resolve(result_object(env, result_));
      } catch (const Napi::Error&) {
      }
    }

    void OnError(const Napi::Error& e) override {
      owner_->busy_ = false;
      owner_->cancel_ = false;
      try {
        deferred_.Reject(e.Value());
      } catch (const Napi::Error&) {
      }
    }

   private:
    Napi::Promise::Deferred deferred_;
    ModelWrap* owner_;
    Napi::ObjectReference self_;  // keeps the model alive while the worker uses it
    Napi::Reference<Napi::Float64Array> costs_ref_;
    Napi::FunctionReference on_progress_;
    Napi::ObjectReference error_;
    bool callback_error_ = false;
    bool has_callback_ = false;
    int m_;
    double lr_;
    long iterations_, log_every_;
    std::vector<double> costs_;
    LargeBuffer data_;
    size_t y_offset_ = 0;
    TrainResult result_;
  };

  // fit(X, Y, m, learningRate, iterations, logEvery, onProgress, costs) -> Promise
  Napi::Value Fit(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      ensure_idle(env);
      Array X, Y;
      int m = data_args(info, 0, true, &X, &Y);
      double lr = finite_number(info[3], "learningRate");
      long iterations = static_cast<long>(finite_number(info[4], "iterations"));
      long log_every = static_cast<long>(finite_number(info[5], "logEvery"));
      Napi::Function on_progress = info[6].IsFunction() ? info[6].As<Napi::Function>() : Napi::Function();
      typed_array(info[7], "costs", DType::Float64, static_cast<size_t>(iterations));
      auto* worker = new FitWorker(env, this, info.This().As<Napi::Object>(), X, Y, m, lr, iterations,
                                   log_every, on_progress, info[7].As<Napi::Float64Array>());
      busy_ = true;
      cancel_ = false;
      worker->Queue();
      return worker->Promise();
    });
  }

  Napi::Value Cancel(const Napi::CallbackInfo& info) {
    if (busy_) cancel_ = true;
    return info.Env().Undefined();
  }

  // predictProba(X, m, AL)
  Napi::Value PredictProba(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      ensure_idle(info.Env());
      Array X, unused;
      int m = data_args(info, 0, false, &X, &unused);
      Array AL = typed_array(info[2], "AL", dtype_, m);
      with_model([&](auto& model) {
        using T = value_t<decltype(model)>;
        model.predict_proba(X.as<T>(), m, AL.as<T>());
      });
      return info.Env().Undefined();
    });
  }

  // cost(X, Y, m): the training objective without dropout.
  Napi::Value Cost(const Napi::CallbackInfo& info) {
    return guarded(info, [&]() -> Napi::Value {
      ensure_idle(info.Env());
      Array X, Y;
      int m = data_args(info, 0, true, &X, &Y);
      double c = with_model([&](auto& model) {
        using T = value_t<decltype(model)>;
        return model.cost(X.as<T>(), Y.as<T>(), m);
      });
      return Napi::Number::New(info.Env(), c);
    });
  }

  RandomState& rng() {
    return with_model([](auto& model) -> RandomState& { return model.rng(); });
  }

  // getRngState() -> { key: Uint32Array(624), pos, hasGauss, gauss }: the
  // dropout generator, saved in checkpoints so a resumed run draws the same masks.
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
      if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array ||
          info[0].As<Napi::Uint32Array>().ElementLength() != RandomState::kN)
        throw_type(env, "rng key must be a Uint32Array of 624 words");
      double pos = finite_number(info[1], "pos");
      if (!(pos >= 0 && pos <= RandomState::kN) || std::floor(pos) != pos) throw_range(env, "pos must be in [0, 624]");
      RandomState::State s;
      std::memcpy(s.key, info[0].As<Napi::Uint32Array>().Data(), sizeof s.key);
      s.pos = static_cast<int>(pos);
      s.has_gauss = info[2].ToBoolean();
      s.gauss = finite_number(info[3], "gauss");
      rng().set_state(s);
      return env.Undefined();
    });
  }

  DType dtype_ = DType::Float64;
  std::vector<int> dims_;
  int64_t external_bytes_ = 0;
  std::unique_ptr<Model<float>> f32_;
  std::unique_ptr<Model<double>> f64_;
  std::atomic<bool> busy_{false};
  std::atomic<bool> cancel_{false};
};

void register_model(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeModel", ModelWrap::Define(env));
}

}  // namespace addon
}  // namespace deepnet
