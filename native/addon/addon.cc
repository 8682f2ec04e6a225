// Module entry: registers the glue of every concept and reports the backend.
#include <napi.h>

#include "addon_data.h"
#include "args.h"
#include "communicator.h"
#include "cpu.h"
#include "gemm.h"
#include "memory.h"
#include "openblas.h"
#include "optimizers.h"
#include "threads.h"

#ifndef DEEPNET_VERSION
#error "DEEPNET_VERSION must be defined by the build (binding.gyp / CMakeLists.txt)"
#endif

namespace deepnet {
namespace addon {

namespace {

// backendInfo(): which gemm, which SIMD level, how many threads, which build,
// and how the optimizers compute subnormal moments.
Napi::Value BackendInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("gemm", gemm_backend_name());
  out.Set("simd", simd_level_name());
  out.Set("simdReason", simd_reason());
  out.Set("simdBest", simd_level_name(simd_best()));
  out.Set("cpuVendor", cpu_vendor());
  out.Set("cpuModel", cpu_model());
  out.Set("threads", num_threads());
  out.Set("version", DEEPNET_VERSION);
  out.Set("napiVersion", NAPI_VERSION);
  out.Set("mpi", mpi_library());
  const std::string& tiny = tiny_moment_path_reason();
  out.Set("subnormal", tiny.empty() ? "measured: each optimizer, per dtype and SIMD level, times both paths at its first subnormal moments" : tiny);
  const std::vector<std::string> choices = tiny_moment_choices();
  Napi::Array chosen = Napi::Array::New(env, choices.size());
  for (size_t i = 0; i < choices.size(); ++i) chosen.Set(static_cast<uint32_t>(i), choices[i]);
  out.Set("subnormalChoices", chosen);
  if (const openblas::Library* lib = openblas::library()) {
    out.Set("openblasLibrary", lib->path);
    if (lib->get_config) out.Set("openblasConfig", lib->get_config());
    if (lib->get_corename) out.Set("openblasCore", lib->get_corename());
  }
  return out;
}

// mpiWorld() -> { rank, size }: joins the MPI job (initializing MPI on first
// use); throws, saying what is missing, when MPI cannot be found or started.
Napi::Value MpiWorld(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    std::string why;
    Communicator* world = mpi_world(&why);
    if (!world) throw_type(info.Env(), "distributed training needs MPI: " + why);
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("rank", world->rank());
    out.Set("size", world->size());
    return out;
  });
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    int n = positive_int(info[0], "threads");
    if (n > 256) throw_range(info.Env(), "threads must be at most 256");
    set_num_threads(n);
    return info.Env().Undefined();
  });
}

// setSubnormalPath('measured' | 'checked' | 'hardware'): the optimizers' path
// for subnormal moments (tests run each; DEEPNET_SUBNORMAL sets it at load).
Napi::Value SetSubnormalPath(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const std::string path = string_value(info[0], "path");
    if (path == "measured") set_tiny_moment_path(TinyMomentPath::Measured);
    else if (path == "checked") set_tiny_moment_path(TinyMomentPath::Checked);
    else if (path == "hardware") set_tiny_moment_path(TinyMomentPath::Hardware);
    else throw_range(info.Env(), "path must be 'measured', 'checked' or 'hardware'; received '" + path + "'");
    return info.Env().Undefined();
  });
}

// availableMemory(): bytes new allocations may take (MemAvailable, or a
// cgroup's limit less its use): the JavaScript layer's memory checks use it too.
Napi::Value AvailableMemory(const Napi::CallbackInfo& info) {
  release_dropped_models(info.Env());
  return Napi::Number::New(info.Env(), static_cast<double>(available_memory()));
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData(data);
  data->noop = Napi::Persistent(Napi::Function::New(env, [](const Napi::CallbackInfo&) {}, "noop"));
  exports.Set("backendInfo", Napi::Function::New(env, BackendInfo, "backendInfo"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("setSubnormalPath", Napi::Function::New(env, SetSubnormalPath, "setSubnormalPath"));
  exports.Set("availableMemory", Napi::Function::New(env, AvailableMemory, "availableMemory"));
  exports.Set("mpiWorld", Napi::Function::New(env, MpiWorld, "mpiWorld"));
  register_rng(env, exports);
  register_ops(env, exports);
  register_train(env, exports);
  register_model(env, exports);
  register_csv(env, exports);
  register_gemm(env, exports);
  return exports;
}

}  // namespace addon
}  // namespace deepnet

// NODE_API_MODULE pastes its second argument into a name: it must be unqualified.
static Napi::Object InitDeepnet(Napi::Env env, Napi::Object exports) {
  return deepnet::addon::Init(env, exports);
}
NODE_API_MODULE(deepnet, InitDeepnet)
