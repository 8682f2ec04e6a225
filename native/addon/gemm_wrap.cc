// The gemm dispatch as JavaScript sees it (gemm.h): the classes OpenBLAS
// computes per dtype and thread count, as { float64: [oneThread, more],
// float32: [oneThread, more] } of class names, read and replaced whole; and
// the class and backend of one product, for tests and `deepnet info`.
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

Napi::Value dispatch_to_js(Napi::Env env, const GemmDispatch& d) {
  Napi::Object out = Napi::Object::New(env);
  for (int f = 0; f < 2; ++f) {
    Napi::Array perThreads = Napi::Array::New(env, 2);
    for (int t = 0; t < 2; ++t) {
      Napi::Array names = Napi::Array::New(env);
      for (int c = 0; c < kGemmClasses; ++c)
        if (d.openblas[f][t][c]) names.Set(names.Length(), gemm_class_name(GemmClass(c)));
      perThreads.Set(t, names);
    }
    out.Set(kDTypes[f], perThreads);
  }
  return out;
}

Napi::Value GemmDispatchGet(const Napi::CallbackInfo& info) { return dispatch_to_js(info.Env(), gemm_dispatch()); }

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
      for (int t = 0; t < 2; ++t) {
        Napi::Value names = per.As<Napi::Array>().Get(t);
        if (!names.IsArray()) throw_type(env, "each entry of the gemm dispatch must be an array of class names");
        Napi::Array a = names.As<Napi::Array>();
        for (uint32_t i = 0; i < a.Length(); ++i)
          d.openblas[f][t][int(class_named(env, string_value(a.Get(i), "a gemm class")))] = true;
      }
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

// gemmClass(transA, transB, M, N, K, ldb, dtype) -> { class, backend }.
Napi::Value GemmClassOf(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    const bool tA = info[0].ToBoolean(), tB = info[1].ToBoolean();
    const int M = positive_int(info[2], "M"), N = positive_int(info[3], "N"), K = positive_int(info[4], "K");
    const int ldb = positive_int(info[5], "ldb");
    const bool f64 = string_value(info[6], "dtype") == "float64";
    const GemmClass c = f64 ? gemm_builtin_class<double>(tA, tB, M, N, K, ldb) : gemm_builtin_class<float>(tA, tB, M, N, K, ldb);
    const GemmBackend b = f64 ? gemm_backend_for<double>(tA, tB, M, N, K, ldb) : gemm_backend_for<float>(tA, tB, M, N, K, ldb);
    Napi::Object out = Napi::Object::New(env);
    out.Set("class", gemm_class_name(c));
    out.Set("backend", b == GemmBackend::OpenBLAS ? "openblas" : "builtin");
    return out;
  });
}

}  // namespace

void register_gemm(Napi::Env env, Napi::Object exports) {
  exports.Set("gemmDispatch", Napi::Function::New(env, GemmDispatchGet, "gemmDispatch"));
  exports.Set("gemmDispatchDefaults", Napi::Function::New(env, GemmDispatchDefaults, "gemmDispatchDefaults"));
  exports.Set("setGemmDispatch", Napi::Function::New(env, GemmDispatchSet, "setGemmDispatch"));
  exports.Set("gemmClass", Napi::Function::New(env, GemmClassOf, "gemmClass"));
}

}  // namespace addon
}  // namespace deepnet
