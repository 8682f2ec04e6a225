// RandomState exposed to JavaScript (numpy's legacy np.random.RandomState).
#pragma once

#include <napi.h>

#include "rng.h"

namespace deepnet {
namespace addon {

class RandomStateWrap : public Napi::ObjectWrap<RandomStateWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit RandomStateWrap(const Napi::CallbackInfo& info);
  RandomState& state() { return rs_; }

  // The RandomState behind a JS object, or a TypeError naming `name`.
  static RandomState& From(const Napi::Value& v, const char* name);

 private:
  Napi::Value Seed(const Napi::CallbackInfo& info);
  Napi::Value FillRand(const Napi::CallbackInfo& info);
  Napi::Value FillRandn(const Napi::CallbackInfo& info);
  Napi::Value FillUint32(const Napi::CallbackInfo& info);
  Napi::Value FillPermutation(const Napi::CallbackInfo& info);
  Napi::Value GetState(const Napi::CallbackInfo& info);
  Napi::Value SetState(const Napi::CallbackInfo& info);
  RandomState rs_;
};

}  // namespace addon
}  // namespace deepnet
