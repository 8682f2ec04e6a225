// Per-environment data (the addon is context-aware: each worker thread that
// loads it gets its own constructors).
#pragma once

#include <napi.h>

#include <vector>

namespace deepnet {
namespace addon {

class ModelWrap;

struct AddonData {
  // Every live NativeModel, to free the memory of those whose JavaScript
  // object was collected before their (deferred) finalizer runs.
  std::vector<ModelWrap*> models;
  // A native no-op: calling it fails once JavaScript can no longer run in this
  // environment (see the fit worker's heartbeat).
  Napi::FunctionReference noop;
};

inline AddonData& addon_data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// Frees the parameters and optimizer state of every NativeModel whose
// JavaScript object the garbage collector has taken. Node-API runs a wrapped
// object's finalizer only when the event loop turns, so a synchronous loop of
// models made and dropped would otherwise hold all of their memory; a
// collected object's weak reference is empty at once. Called before new
// allocations (a new model, the JavaScript layer's memory checks).
void release_dropped_models(Napi::Env env);

void register_rng(Napi::Env env, Napi::Object exports);
void register_ops(Napi::Env env, Napi::Object exports);
void register_train(Napi::Env env, Napi::Object exports);
void register_model(Napi::Env env, Napi::Object exports);
void register_csv(Napi::Env env, Napi::Object exports);
void register_gemm(Napi::Env env, Napi::Object exports);

}  // namespace addon
}  // namespace deepnet
