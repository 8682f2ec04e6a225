// The notes' single-step functions (linear_forward, L_model_forward,
// compute_cost, L_model_backward, update_parameters ...). JavaScript allocates
// every output; each call crosses into native code once.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "addon_data.h"
#include "args.h"
#include "backward.h"
#include "cost.h"
#include "forward.h"
#include "network.h"
#include "update.h"

namespace deepnet {
namespace addon {

namespace {

Activation activation_value(const Napi::Value& v) {
  std::string s = v.ToString();
  if (s == "relu") return Activation::Relu;
  if (s == "sigmoid") return Activation::Sigmoid;
  throw_range(v.Env(), "activation must be 'relu' or 'sigmoid', got '" + s + "'");
}

size_t product(int a, int b) { return static_cast<size_t>(a) * static_cast<size_t>(b); }

// linearForward(Z, W, A_prev, b, n, k, m): Z (n, m) = W (n, k) . A_prev (k, m) + b (n, 1)
Napi::Value LinearForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    int n = positive_int(info[4], "n"), k = positive_int(info[5], "k"), m = positive_int(info[6], "m");
    Array Z = typed_array(info[0], "Z");
    Array W = typed_array(info[1], "W", Z.dtype, product(n, k));
    Array A = typed_array(info[2], "A_prev", Z.dtype, product(k, m));
    Array b = typed_array(info[3], "b", Z.dtype, n);
    typed_array(info[0], "Z", Z.dtype, product(n, m));
    with_dtype(Z.dtype, [&](auto t) {
      using T = decltype(t);
      linear_forward<T>(Z.as<T>(), W.as<T>(), A.as<T>(), b.as<T>(), n, k, m);
    });
    return info.Env().Undefined();
  });
}

// activationForward(A, Z, activation): A = relu(Z) or sigmoid(Z), same length.
Napi::Value ActivationForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Array A = typed_array(info[0], "A");
    Array Z = typed_array(info[1], "Z", A.dtype, A.length);
    Activation act = activation_value(info[2]);
    with_dtype(A.dtype, [&](auto t) {
      using T = decltype(t);
      long size = static_cast<long>(A.length);
      if (act == Activation::Relu) relu_forward<T>(A.as<T>(), Z.as<T>(), size);
      else sigmoid_forward<T>(A.as<T>(), Z.as<T>(), size);
    });
    return info.Env().Undefined();
  });
}

// Data pointers of a JS array of `count` typed arrays, each of dtype `dtype`
// and length size_of(i).
template <typename SizeOf>
std::vector<void*> per_layer(const Napi::Value& v, const std::string& name, DType dtype, int count,
                             SizeOf size_of) {
  if (!v.IsArray() || v.As<Napi::Array>().Length() != static_cast<uint32_t>(count))
    throw_range(v.Env(), name + " must be an array of " + std::to_string(count) + " typed arrays");
  std::vector<void*> out;
  for (int i = 0; i < count; ++i) {
    Array a = typed_array(v.As<Napi::Array>().Get(i), name + "[" + std::to_string(i) + "]", dtype,
                          size_of(i));
    out.push_back(a.data);
  }
  return out;
}

template <typename T>
std::vector<T*> layer_views(const std::vector<void*>& data) {  // index 1..L
  std::vector<T*> out(data.size() + 1, nullptr);
  for (size_t i = 0; i < data.size(); ++i) out[i + 1] = static_cast<T*>(data[i]);
  return out;
}

// modelForward(X, Ws, bs, Zs, As, dims, m): the notes' L_model_forward.
Napi::Value ModelForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    std::vector<int> dims = layer_dims(info[5], "dims");
    int m = positive_int(info[6], "m");
    const int L = static_cast<int>(dims.size()) - 1;
    Array X = typed_array(info[0], "X");
    typed_array(info[0], "X", X.dtype, product(dims[0], m));
    auto weights = [&](int i) { return product(dims[i + 1], dims[i]); };
    auto biases = [&](int i) { return static_cast<size_t>(dims[i + 1]); };
    auto activations = [&](int i) { return product(dims[i + 1], m); };
    auto Ws = per_layer(info[1], "W", X.dtype, L, weights);
    auto bs = per_layer(info[2], "b", X.dtype, L, biases);
    auto Zs = per_layer(info[3], "Z", X.dtype, L, activations);
    auto As = per_layer(info[4], "A", X.dtype, L, activations);
    with_dtype(X.dtype, [&](auto t) {
      using T = decltype(t);
      Parameters<T> p{dims, layer_views<T>(Ws), layer_views<T>(bs)};
      Workspace<T> ws;
      ws.m = m;
      ws.Z = layer_views<T>(Zs);
      ws.A = layer_views<T>(As);
      network_forward<T>(ws, p, X.as<T>());
    });
    return info.Env().Undefined();
  });
}

// computeCost(AL, Y, form): form "notes" (compute_cost) or "course2" (reg_utils).
Napi::Value ComputeCost(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Array AL = typed_array(info[0], "AL");
    Array Y = typed_array(info[1], "Y", AL.dtype, AL.length);
    std::string form = info[2].ToString();
    if (form != "notes" && form != "course2") throw_range(info.Env(), "unknown cost form '" + form + "'");
    double cost = with_dtype(AL.dtype, [&](auto t) {
      using T = decltype(t);
      long m = static_cast<long>(AL.length);
      return form == "notes" ? cross_entropy_cost<T>(AL.as<T>(), Y.as<T>(), m)
                             : cross_entropy_cost_course2<T>(AL.as<T>(), Y.as<T>(), m);
    });
    return Napi::Number::New(info.Env(), cost);
  });
}

// activationBackward(dZ, dA, Z, activation): relu_backward / sigmoid_backward.
Napi::Value ActivationBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Array dZ = typed_array(info[0], "dZ");
    Array dA = typed_array(info[1], "dA", dZ.dtype, dZ.length);
    Array Z = typed_array(info[2], "Z", dZ.dtype, dZ.length);
    Activation act = activation_value(info[3]);
    with_dtype(dZ.dtype, [&](auto t) {
      using T = decltype(t);
      long size = static_cast<long>(dZ.length);
      if (act == Activation::Relu) relu_backward<T>(dZ.as<T>(), dA.as<T>(), Z.as<T>(), size);
      else sigmoid_backward<T>(dZ.as<T>(), dA.as<T>(), Z.as<T>(), size);
    });
    return info.Env().Undefined();
  });
}

// linearBackward(dA_prev, dW, db, dZ, A_prev, W, n, k, m): the notes' linear_backward.
Napi::Value LinearBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    int n = positive_int(info[6], "n"), k = positive_int(info[7], "k"), m = positive_int(info[8], "m");
    Array dZ = typed_array(info[3], "dZ");
    typed_array(info[3], "dZ", dZ.dtype, product(n, m));
    Array dA = typed_array(info[0], "dA_prev", dZ.dtype, product(k, m));
    Array dW = typed_array(info[1], "dW", dZ.dtype, product(n, k));
    Array db = typed_array(info[2], "db", dZ.dtype, n);
    Array A = typed_array(info[4], "A_prev", dZ.dtype, product(k, m));
    Array W = typed_array(info[5], "W", dZ.dtype, product(n, k));
    with_dtype(dZ.dtype, [&](auto t) {
      using T = decltype(t);
      linear_backward<T>(dA.as<T>(), dW.as<T>(), db.as<T>(), dZ.as<T>(), A.as<T>(), W.as<T>(), n, k, m);
    });
    return info.Env().Undefined();
  });
}

// modelBackward(X, Y, Ws, Zs, As, dAs, dWs, dbs, dims, m): the notes'
// L_model_backward from the caches. As[L-1] is AL; dAs holds L + 1 arrays
// (dA0 = dJ/dX .. dAL).
Napi::Value ModelBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    std::vector<int> dims = layer_dims(info[8], "dims");
    int m = positive_int(info[9], "m");
    const int L = static_cast<int>(dims.size()) - 1;
    Array X = typed_array(info[0], "X");
    typed_array(info[0], "X", X.dtype, product(dims[0], m));
    Array Y = typed_array(info[1], "Y", X.dtype, m);
    auto weights = [&](int i) { return product(dims[i + 1], dims[i]); };
    auto biases = [&](int i) { return static_cast<size_t>(dims[i + 1]); };
    auto activations = [&](int i) { return product(dims[i + 1], m); };
    auto Ws = per_layer(info[2], "W", X.dtype, L, weights);
    auto Zs = per_layer(info[3], "Z", X.dtype, L, activations);
    auto As = per_layer(info[4], "A", X.dtype, L, activations);
    auto dAs = per_layer(info[5], "dA", X.dtype, L + 1, [&](int i) { return product(dims[i], m); });
    auto dWs = per_layer(info[6], "dW", X.dtype, L, weights);
    auto dbs = per_layer(info[7], "db", X.dtype, L, biases);
    size_t widest = 0;
    for (int l = 1; l <= L; ++l) widest = std::max(widest, product(dims[l], m));
    with_dtype(X.dtype, [&](auto t) {
      using T = decltype(t);
      std::vector<T> scratch(2 * widest);
      Parameters<T> p{dims, layer_views<T>(Ws), std::vector<T*>(L + 1, nullptr)};
      Workspace<T> ws;
      ws.m = m;
      ws.Z = layer_views<T>(Zs);
      ws.A = layer_views<T>(As);
      ws.dW = layer_views<T>(dWs);
      ws.db = layer_views<T>(dbs);
      for (void* d : dAs) ws.dA.push_back(static_cast<T*>(d));
      ws.scratch[0] = scratch.data();
      ws.scratch[1] = scratch.data() + widest;
      network_backward<T>(ws, p, X.as<T>(), Y.as<T>());
    });
    return info.Env().Undefined();
  });
}

// update(Ps, dPs, learningRate): P -= learningRate * dP for each pair.
Napi::Value Update(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    std::vector<Array> Ps = typed_arrays(info[0], "P");
    std::vector<Array> dPs = typed_arrays(info[1], "dP");
    double lr = finite_number(info[2], "learningRate");
    if (Ps.size() != dPs.size()) throw_range(info.Env(), "P and dP must pair up");
    for (size_t i = 0; i < Ps.size(); ++i)
      typed_array(info[1].As<Napi::Array>().Get(static_cast<uint32_t>(i)), "dP", Ps[i].dtype,
                  Ps[i].length);
    for (size_t i = 0; i < Ps.size(); ++i) {
      with_dtype(Ps[i].dtype, [&](auto t) {
        using T = decltype(t);
        update<T>(Ps[i].as<T>(), dPs[i].as<T>(), static_cast<T>(lr), static_cast<long>(Ps[i].length));
      });
    }
    return info.Env().Undefined();
  });
}

// firstNonFinite(a): index of the first NaN or +-Infinity in a, or -1.
Napi::Value FirstNonFinite(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Array a = typed_array(info[0], "a");
    double index = with_dtype(a.dtype, [&](auto t) {
      using T = decltype(t);
      const T* p = a.as<T>();
      for (size_t i = 0; i < a.length; ++i)
        if (!std::isfinite(p[i])) return static_cast<double>(i);
      return -1.0;
    });
    return Napi::Number::New(info.Env(), index);
  });
}

}  // namespace

void register_ops(Napi::Env env, Napi::Object exports) {
  exports.Set("linearForward", Napi::Function::New(env, LinearForward, "linearForward"));
  exports.Set("activationForward", Napi::Function::New(env, ActivationForward, "activationForward"));
  exports.Set("modelForward", Napi::Function::New(env, ModelForward, "modelForward"));
  exports.Set("computeCost", Napi::Function::New(env, ComputeCost, "computeCost"));
  exports.Set("activationBackward", Napi::Function::New(env, ActivationBackward, "activationBackward"));
  exports.Set("linearBackward", Napi::Function::New(env, LinearBackward, "linearBackward"));
  exports.Set("modelBackward", Napi::Function::New(env, ModelBackward, "modelBackward"));
  exports.Set("update", Napi::Function::New(env, Update, "update"));
  exports.Set("firstNonFinite", Napi::Function::New(env, FirstNonFinite, "firstNonFinite"));
}

}  // namespace addon
}  // namespace deepnet
