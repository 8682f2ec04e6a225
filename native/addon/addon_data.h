// Per-environment data (the addon is context-aware: each worker thread that
// loads it gets its own constructors).
#pragma once

#include <napi.h>

namespace deepnet {
namespace addon {

struct AddonData {
  // A native no-op: calling it fails once JavaScript can no longer run in this
  // environment (see the fit worker's heartbeat).
  Napi::FunctionReference noop;
};

inline AddonData& addon_data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

void register_rng(Napi::Env env, Napi::Object exports);
void register_ops(Napi::Env env, Napi::Object exports);
void register_train(Napi::Env env, Napi::Object exports);
void register_model(Napi::Env env, Napi::Object exports);
void register_csv(Napi::Env env, Napi::Object exports);

}  // namespace addon
}  // namespace deepnet
