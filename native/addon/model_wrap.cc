// NativeModel: construction, parameters, prediction, and the generator and
// optimizer state that checkpoints save (fitting: model_fit_wrap.cc).
#include "model_wrap.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "addon_data.h"

namespace deepnet {
namespace addon {

namespace {

InitMethod init_method(const Napi::Value& v) {
  const std::string s = string_value(v, "init");
  if (s == "deep") return InitMethod::Deep;
  if (s == "he") return InitMethod::He;
  if (s == "xavier") return InitMethod::Xavier;
  if (s == "scaled") return InitMethod::Scaled;
  if (s == "zeros") return InitMethod::Zeros;
  throw_range(v.Env(), "unknown init method '" + s + "'");
}

}  // namespace

Napi::Function ModelWrap::Define(Napi::Env env) {
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

ModelWrap::ModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ModelWrap>(info) {
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

ModelWrap::~ModelWrap() {
  release(Env());
  if (weak_) napi_delete_reference(Env(), weak_);
}

bool ModelWrap::collected(Napi::Env env) const {
  napi_value value = nullptr;
  return napi_get_reference_value(env, weak_, &value) == napi_ok && value == nullptr;
}

void ModelWrap::release(Napi::Env env) {
  auto& models = addon_data(env).models;
  models.erase(std::remove(models.begin(), models.end(), this), models.end());
  f32_.reset();
  f64_.reset();
  if (external_bytes_ > 0) Napi::MemoryManagement::AdjustExternalMemory(env, -external_bytes_);
  external_bytes_ = 0;
}

void ModelWrap::ensure_idle(Napi::Env env) {
  if (busy_) throw_type(env, "the model is fitting; wait for fit() to finish (or abort it) first");
}

Napi::Value ModelWrap::ReadParameters(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    ensure_idle(info.Env());
    Array out = typed_array(info[0], "out", dtype_, size());
    with_model([&](auto& model) { model.read(out.as<value_t<decltype(model)>>()); });
    return info.Env().Undefined();
  });
}

Napi::Value ModelWrap::WriteParameters(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    ensure_idle(info.Env());
    Array in = typed_array(info[0], "in", dtype_, size());
    with_model([&](auto& model) { model.write(in.as<value_t<decltype(model)>>()); });
    return info.Env().Undefined();
  });
}

// predictProba(X, m, AL, rows, checkFinite) -> whether X was finite (always
// true unless checkFinite; when false, AL is incomplete): AL (K, m); X
// (n_x, m), or (m, n_x) when rows.
Napi::Value ModelWrap::PredictProba(const Napi::CallbackInfo& info) {
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
Napi::Value ModelWrap::Evaluate(const Napi::CallbackInfo& info) {
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

// getRngState() -> { key: Uint32Array(624), pos, hasGauss, gauss }: the
// generator of dropout masks and shuffles, saved in checkpoints so a
// resumed run draws the same ones.
Napi::Value ModelWrap::GetRngState(const Napi::CallbackInfo& info) {
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
Napi::Value ModelWrap::SetRngState(const Napi::CallbackInfo& info) {
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
Napi::Value ModelWrap::GetOptimizerState(const Napi::CallbackInfo& info) {
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
Napi::Value ModelWrap::SetOptimizerState(const Napi::CallbackInfo& info) {
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

Napi::Value ModelWrap::ResetOptimizer(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    ensure_idle(info.Env());
    with_model([](auto& model) { model.reset_optimizer(); });
    return info.Env().Undefined();
  });
}

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
