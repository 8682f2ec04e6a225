// The gemm dispatch as JavaScript sees it (gemm.h): the classes OpenBLAS
// computes per dtype and thread count, as { float64: [oneThread, more],
// float32: [oneThread, more] } of class names, and the classes the built-in
// kernel computes at AVX2 on an AVX-512 CPU, as { float64: [...], float32:
// [...] }, read and replaced together; and the class, backend and level of
// one product, for tests and `deepnet info`.
#include <napi.h>

#include <string>

#include "args.h"
#include "gemm.h"

namespace deepnet {
namespace addon {

namespace {

const char* const kDTypes[2] = {"float32", "float64"};

GemmClass class_named(Napi::Env env, const std::string& name) {
  for (int c = 0; c < kGemmClasses; ++c)
    if (name == gemm_class_name(GemmClass(c))) return GemmClass(c);
  throw_type(env, "unknown gemm class '" + name + "'");
}

Napi::Array names_to_js(Napi::Env env, const bool (&classes)[kGemmClasses]) {
  Napi::Array names = Napi::Array::New(env);
  for (int c = 0; c < kGemmClasses; ++c)
    if (classes[c]) names.Set(names.Length(), gemm_class_name(GemmClass(c)));
  return names;
}

Napi::Value dispatch_to_js(Napi::Env env, const GemmDispatch& d) {
  Napi::Object out = Napi::Object::New(env);
  for (int f = 0; f < 2; ++f) {
    Napi::Array perThreads = Napi::Array::New(env, 2);
    for (int t = 0; t < 2; ++t) perThreads.Set(t, names_to_js(env, d.openblas[f][t]));
    out.Set(kDTypes[f], perThreads);
  }
  return out;
}

// classes[c] = true for each class named in `names` (an array of class names).
void names_from_js(Napi::Env env, Napi::Value names, const std::string& what, bool (&classes)[kGemmClasses]) {
  if (!names.IsArray()) throw_type(env, what + " must be an array of class names");
  Napi::Array a = names.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); ++i)
    classes[int(class_named(env, string_value(a.Get(i), "a gemm class")))] = true;
}

Napi::Value GemmDispatchGet(const Napi::CallbackInfo& info) { return dispatch_to_js(info.Env(), gemm_dispatch()); }

Napi::Value GemmBuiltinAvx2Get(const Napi::CallbackInfo& info) {
  const GemmDispatch d = gemm_dispatch();
  Napi::Object out = Napi::Object::New(info.Env());
  for (int f = 0; f < 2; ++f) out.Set(kDTypes[f], names_to_js(info.Env(), d.avx2[f]));
  return out;
}

// setGemmDispatch(openblas, builtinAvx2?): both replaced together (no
// builtinAvx2: every class at the CPU's level).
Napi::Value GemmDispatchSet(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    if (!info[0].IsObject()) throw_type(env, "the gemm dispatch must be an object");
    Napi::Object in = info[0].As<Napi::Object>();
    GemmDispatch d{};
    for (int f = 0; f < 2; ++f) {
      Napi::Value per = in.Get(kDTypes[f]);
      if (!per.IsArray() || per.As<Napi::Array>().Length() != 2)
        throw_type(env, std::string("the gemm dispatch's ") + kDTypes[f] + " must be [one thread, more threads]");
      for (int t = 0; t < 2; ++t)
        names_from_js(env, per.As<Napi::Array>().Get(t), "each entry of the gemm dispatch", d.openblas[f][t]);
    }
    if (info.Length() > 1 && !info[1].IsUndefined()) {
      if (!info[1].IsObject()) throw_type(env, "the gemm dispatch's builtinAvx2 must be an object { float64, float32 }");
      Napi::Object avx2 = info[1].As<Napi::Object>();
      for (int f = 0; f < 2; ++f)
        names_from_js(env, avx2.Get(kDTypes[f]), std::string("builtinAvx2.") + kDTypes[f], d.avx2[f]);
    }
    set_gemm_dispatch(d);
    return env.Undefined();
  });
}

// Read straight from the defaults: the live dispatch is never swapped, so a
// fit running on another thread keeps its products' backends.
Napi::Value GemmDispatchDefaults(const Napi::CallbackInfo& info) {
  return dispatch_to_js(info.Env(), gemm_dispatch_defaults());
}

// gemmClass(transA, transB, M, N, K, ldb, dtype) -> { class, backend, builtinLevel }
// (builtinLevel: the level the built-in kernel would compute it at).
Napi::Value GemmClassOf(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    const bool tA = info[0].ToBoolean(), tB = info[1].ToBoolean();
    const int M = positive_int(info[2], "M"), N = positive_int(info[3], "N"), K = positive_int(info[4], "K");
    const int ldb = positive_int(info[5], "ldb");
    const bool f64 = string_value(info[6], "dtype") == "float64";
    const GemmClass c = f64 ? gemm_builtin_class<double>(tA, tB, M, N, K, ldb) : gemm_builtin_class<float>(tA, tB, M, N, K, ldb);
    const GemmBackend b = f64 ? gemm_backend_for<double>(tA, tB, M, N, K, ldb) : gemm_backend_for<float>(tA, tB, M, N, K, ldb);
    const SimdLevel level = f64 ? gemm_builtin_level_for<double>(tA, tB, M, N, K, ldb) : gemm_builtin_level_for<float>(tA, tB, M, N, K, ldb);
    Napi::Object out = Napi::Object::New(env);
    out.Set("class", gemm_class_name(c));
    out.Set("backend", b == GemmBackend::OpenBLAS ? "openblas" : "builtin");
    out.Set("builtinLevel", simd_level_name(level));
    return out;
  });
}

}  // namespace

void register_gemm(Napi::Env env, Napi::Object exports) {
  exports.Set("gemmDispatch", Napi::Function::New(env, GemmDispatchGet, "gemmDispatch"));
  exports.Set("gemmDispatchDefaults", Napi::Function::New(env, GemmDispatchDefaults, "gemmDispatchDefaults"));
  exports.Set("setGemmDispatch", Napi::Function::New(env, GemmDispatchSet, "setGemmDispatch"));
  exports.Set("gemmBuiltinAvx2", Napi::Function::New(env, GemmBuiltinAvx2Get, "gemmBuiltinAvx2"));
  exports.Set("gemmClass", Napi::Function::New(env, GemmClassOf, "gemmClass"));
}

}  // namespace addon
}  // namespace deepnet
