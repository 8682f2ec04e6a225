#include "rng_wrap.h"

#include <cmath>
#include <cstring>

#include "addon_data.h"
#include "args.h"
#include "init.h"

namespace deepnet {
namespace addon {

namespace {

uint32_t seed_value(const Napi::Value& v) {
  return static_cast<uint32_t>(integer_in(v, "seed", 0, 4294967295.0));
}

// Marks the JS objects that wrap a RandomState. Checking the tag runs no
// JavaScript (instanceof would: a Proxy's getPrototypeOf trap, or a
// Symbol.hasInstance), so From() may be called in either argument phase.
constexpr napi_type_tag kRandomStateTag = {0x6465'6570'6e65'7472ULL, 0x616e'646f'6d73'7461ULL};

}  // namespace

Napi::Function RandomStateWrap::Define(Napi::Env env) {
  return DefineClass(env, "RandomState",
                     {InstanceMethod("seed", &RandomStateWrap::Seed),
                      InstanceMethod("fillRand", &RandomStateWrap::FillRand),
                      InstanceMethod("fillRandn", &RandomStateWrap::FillRandn),
                      InstanceMethod("fillUint32", &RandomStateWrap::FillUint32),
                      InstanceMethod("fillPermutation", &RandomStateWrap::FillPermutation),
                      InstanceMethod("getState", &RandomStateWrap::GetState),
                      InstanceMethod("setState", &RandomStateWrap::SetState)});
}

RandomStateWrap::RandomStateWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<RandomStateWrap>(info) {
  rs_.seed(info.Length() > 0 ? seed_value(info[0]) : 0u);
  if (napi_type_tag_object(info.Env(), info.This(), &kRandomStateTag) != napi_ok)
    throw_type(info.Env(), "RandomState could not tag its object");
}

RandomState& RandomStateWrap::From(const Napi::Value& v, const char* name) {
  Napi::Env env = v.Env();
  bool tagged = false;
  if (!v.IsObject() || napi_check_object_type_tag(env, v, &kRandomStateTag, &tagged) != napi_ok || !tagged)
    throw_type(env, std::string(name) + " must be a native RandomState");
  return Unwrap(v.As<Napi::Object>())->rs_;
}

Napi::Value RandomStateWrap::Seed(const Napi::CallbackInfo& info) {
  rs_.seed(seed_value(info[0]));
  return info.Env().Undefined();
}

// Outputs are allocated by JavaScript (a too-large request is a RangeError
// there); here we only fill them.
Napi::Value RandomStateWrap::FillRand(const Napi::CallbackInfo& info) {
  Array out = typed_array(info[0], "out");
  if (out.dtype != DType::Float64) throw_type(info.Env(), "out must be a Float64Array");
  rs_.fill_rand(out.as<double>(), static_cast<long>(out.length));
  return info.Env().Undefined();
}

Napi::Value RandomStateWrap::FillRandn(const Napi::CallbackInfo& info) {
  Array out = typed_array(info[0], "out");
  if (out.dtype != DType::Float64) throw_type(info.Env(), "out must be a Float64Array");
  rs_.fill_randn(out.as<double>(), static_cast<long>(out.length));
  return info.Env().Undefined();
}

Napi::Value RandomStateWrap::FillUint32(const Napi::CallbackInfo& info) {
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array)
    throw_type(info.Env(), "out must be a Uint32Array");
  auto out = info[0].As<Napi::Uint32Array>();
  uint32_t* data = out.Data();
  for (size_t i = 0; i < out.ElementLength(); ++i) data[i] = rs_.next_uint32();
  return info.Env().Undefined();
}

// fillPermutation(out: Int32Array(n)): np.random.permutation(n).
Napi::Value RandomStateWrap::FillPermutation(const Napi::CallbackInfo& info) {
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw_type(info.Env(), "out must be an Int32Array");
  auto out = info[0].As<Napi::Int32Array>();
  rs_.permutation(out.Data(), static_cast<int32_t>(out.ElementLength()));
  return info.Env().Undefined();
}

Napi::Value RandomStateWrap::GetState(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RandomState::State s = rs_.state();
  auto key = Napi::Uint32Array::New(env, RandomState::kN);
  std::memcpy(key.Data(), s.key, sizeof s.key);
  Napi::Object out = Napi::Object::New(env);
  out.Set("key", key);
  out.Set("pos", Napi::Number::New(env, s.pos));
  out.Set("hasGauss", Napi::Boolean::New(env, s.has_gauss));
  out.Set("gauss", Napi::Number::New(env, s.gauss));
  return out;
}

// setState(key: Uint32Array(624), pos: 0..624, hasGauss: boolean, gauss: number)
Napi::Value RandomStateWrap::SetState(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array ||
      info[0].As<Napi::Uint32Array>().ElementLength() != RandomState::kN)
    throw_type(env, "state.key must be a Uint32Array of 624 words");
  if (!info[1].IsNumber()) throw_type(env, "state.pos must be a number");
  double pos = info[1].As<Napi::Number>().DoubleValue();
  if (!(pos >= 0 && pos <= RandomState::kN) || std::floor(pos) != pos)
    throw_range(env, "state.pos must be an integer in [0, 624]");
  RandomState::State s;
  std::memcpy(s.key, info[0].As<Napi::Uint32Array>().Data(), sizeof s.key);
  s.pos = static_cast<int>(pos);
  s.has_gauss = info[2].ToBoolean();
  s.gauss = info[3].IsNumber() ? info[3].As<Napi::Number>().DoubleValue() : 0.0;
  rs_.set_state(s);
  return env.Undefined();
}

namespace {

// initWeights(rs, W: Float64Array (n*k), n, k, method, scale): one layer's
// weights, drawn from rs exactly as the course's initializer draws them.
Napi::Value InitWeights(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    // Phase 1: JavaScript values.
    RandomState& rs = RandomStateWrap::From(info[0], "rng");
    const int n = positive_int(info[2], "n"), k = positive_int(info[3], "k");
    const std::string method = string_value(info[4], "method");
    const double scale = finite_number(info[5], "scale");
    InitMethod m;
    if (method == "deep") m = InitMethod::Deep;
    else if (method == "he") m = InitMethod::He;
    else if (method == "xavier") m = InitMethod::Xavier;
    else if (method == "scaled") m = InitMethod::Scaled;
    else if (method == "zeros") m = InitMethod::Zeros;
    else throw_range(env, "unknown init method '" + method + "'");
    // Phase 2: memory.
    Array W = typed_array(info[1], "W");
    typed_array(info[1], "W", W.dtype, static_cast<size_t>(n) * k);
    with_dtype(W.dtype, [&](auto t) {
      using T = decltype(t);
      init_weights<T>(W.as<T>(), rs, n, k, m, scale);
    });
    return env.Undefined();
  });
}

}  // namespace

void register_rng(Napi::Env env, Napi::Object exports) {
  exports.Set("RandomState", RandomStateWrap::Define(env));
  exports.Set("initWeights", Napi::Function::New(env, InitWeights, "initWeights"));
}

}  // namespace addon
}  // namespace deepnet
