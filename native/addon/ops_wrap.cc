// The notes' single-step functions (linear_forward, L_model_forward,
// compute_cost, L_model_backward, update_parameters ...). JavaScript allocates
// every output; each call crosses into native code once. Arguments are read
// in args.h's two phases: JavaScript values first, then memory.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "addon_data.h"
#include "args.h"
#include "backward.h"
#include "cost.h"
#include "fit_args.h"
#include "forward.h"
#include "heads.h"
#include "optimizers.h"
#include "gradcheck.h"
#include "l2.h"
#include "network.h"
#include "reduce.h"
#include "rng_wrap.h"
#include "update.h"

namespace deepnet {
namespace addon {

namespace {

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

// activationForward(A, Z, activation): A = activation(Z), same length.
Napi::Value ActivationForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const Activation act = activation_name(info[2]);
    Array A = typed_array(info[0], "A");
    Array Z = typed_array(info[1], "Z", A.dtype, A.length);
    with_dtype(A.dtype, [&](auto t) {
      using T = decltype(t);
      activation_forward<T>(A.as<T>(), Z.as<T>(), act, static_cast<long>(A.length));
    });
    return info.Env().Undefined();
  });
}

// softmaxForward(A, Z, K, m): the column-wise softmax of Z (K, m).
Napi::Value SoftmaxForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const int K = positive_int(info[2], "K"), m = positive_int(info[3], "m");
    Array A = typed_array(info[0], "A");
    typed_array(info[0], "A", A.dtype, product(K, m));
    Array Z = typed_array(info[1], "Z", A.dtype, product(K, m));
    with_dtype(A.dtype, [&](auto t) {
      using T = decltype(t);
      softmax_forward<T>(A.as<T>(), Z.as<T>(), K, m);
    });
    return info.Env().Undefined();
  });
}

// Phase 2: the data pointers of per-layer arrays (elements() of phase 1),
// each of dtype `dtype` and length size_of(i).
template <typename SizeOf>
std::vector<void*> per_layer(const std::vector<Napi::Value>& values, const std::string& name, DType dtype,
                             SizeOf size_of) {
  std::vector<void*> out;
  for (size_t i = 0; i < values.size(); ++i)
    out.push_back(typed_array(values[i], name + "[" + std::to_string(i) + "]", dtype, size_of(static_cast<int>(i))).data);
  return out;
}

template <typename T>
std::vector<T*> layer_views(const std::vector<void*>& data) {  // index 1..L
  std::vector<T*> out(data.size() + 1, nullptr);
  for (size_t i = 0; i < data.size(); ++i) out[i + 1] = static_cast<T*>(data[i]);
  return out;
}

// Dropout arguments shared by modelForward and modelBackward: keepProb (1 =
// off) and, when on, one mask array per hidden layer.
struct DropoutArgs {
  double keep_prob = 1.0;
  std::vector<Napi::Value> mask_values;  // phase 1: D[l-1] for hidden layers l = 1..L-1
  std::vector<void*> masks;              // phase 2: their memory
  bool on() const { return keep_prob < 1; }
};

// Phase 1.
DropoutArgs dropout_values(const Napi::Value& keep, const Napi::Value& masks, int L) {
  DropoutArgs out;
  out.keep_prob = finite_number(keep, "keepProb");
  if (!(out.keep_prob > 0 && out.keep_prob <= 1)) throw_range(keep.Env(), "keepProb must be in (0, 1]");
  if (out.on()) out.mask_values = elements(masks, "D", L - 1, "typed arrays (one mask per hidden layer)");
  return out;
}

// Phase 2.
void dropout_memory(DropoutArgs& d, DType dtype, const std::vector<int>& dims, int m) {
  d.masks = per_layer(d.mask_values, "D", dtype, [&](int i) { return product(dims[i + 1], m); });
}

template <typename T>
std::vector<T*> mask_views(const DropoutArgs& d) {  // index 1..L-1, empty when off
  if (!d.on()) return {};
  return layer_views<T>(d.masks);
}

// Phase 1: a per-layer list of `count` arrays.
std::vector<Napi::Value> layer_list(const Napi::Value& v, const char* name, int count) {
  return elements(v, name, count, "typed arrays (one per layer)");
}

// modelForward(X, Ws, bs, Zs, As, dims, m, keepProb, rng, Ds, arch): the notes'
// L_model_forward with arch's hidden activations and head; with keepProb < 1,
// inverted dropout after each hidden activation with masks drawn from rng
// into Ds (forward_propagation_with_dropout).
Napi::Value ModelForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    // Phase 1: JavaScript values.
    const std::vector<int> dims = layer_dims(info[5], "dims");
    const int m = positive_int(info[6], "m");
    const int L = static_cast<int>(dims.size()) - 1;
    const Architecture arch = architecture(info[10], L);
    const auto Wv = layer_list(info[1], "W", L), bv = layer_list(info[2], "b", L);
    const auto Zv = layer_list(info[3], "Z", L), Av = layer_list(info[4], "A", L);
    DropoutArgs dropout = dropout_values(info[7], info[9], L);
    Regularization reg;
    reg.keep_prob = dropout.keep_prob;
    if (reg.dropout()) reg.rng = &RandomStateWrap::From(info[8], "rng");
    // Phase 2: memory.
    Array X = typed_array(info[0], "X");
    typed_array(info[0], "X", X.dtype, product(dims[0], m));
    auto weights = [&](int i) { return product(dims[i + 1], dims[i]); };
    auto biases = [&](int i) { return static_cast<size_t>(dims[i + 1]); };
    auto activations = [&](int i) { return product(dims[i + 1], m); };
    auto Ws = per_layer(Wv, "W", X.dtype, weights);
    auto bs = per_layer(bv, "b", X.dtype, biases);
    auto Zs = per_layer(Zv, "Z", X.dtype, activations);
    auto As = per_layer(Av, "A", X.dtype, activations);
    dropout_memory(dropout, X.dtype, dims, m);
    with_dtype(X.dtype, [&](auto t) {
      using T = decltype(t);
      Parameters<T> p{dims, layer_views<T>(Ws), layer_views<T>(bs), arch.hidden, arch.head};
      Workspace<T> ws;
      ws.m = m;
      ws.Z = layer_views<T>(Zs);
      ws.A = layer_views<T>(As);
      ws.D = mask_views<T>(dropout);
      network_forward<T>(ws, p, X.as<T>(), reg);
    });
    return info.Env().Undefined();
  });
}

// computeCost(AL, Y, form): form "notes" (compute_cost) or "course2" (reg_utils).
Napi::Value ComputeCost(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const std::string form = string_value(info[2], "form");
    if (form != "notes" && form != "course2") throw_range(info.Env(), "unknown cost form '" + form + "'");
    Array AL = typed_array(info[0], "AL");
    Array Y = typed_array(info[1], "Y", AL.dtype, AL.length);
    double cost = with_dtype(AL.dtype, [&](auto t) {
      using T = decltype(t);
      long m = static_cast<long>(AL.length);
      return form == "notes" ? cross_entropy_cost<T>(AL.as<T>(), Y.as<T>(), m)
                             : cross_entropy_cost_course2<T>(AL.as<T>(), Y.as<T>(), m);
    });
    return Napi::Number::New(info.Env(), cost);
  });
}

// headCost(Z, A, Y, K, m, output): a head's cost from its logits (heads.h):
// (1/m) times the sum of the per-example costs.
Napi::Value HeadCost(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const int K = positive_int(info[3], "K"), m = positive_int(info[4], "m");
    const Head head = head_name(info[5]);
    Array Z = typed_array(info[0], "Z");
    typed_array(info[0], "Z", Z.dtype, product(K, m));
    Array A = typed_array(info[1], "A", Z.dtype, product(K, m));
    Array Y = typed_array(info[2], "Y", Z.dtype, product(K, m));
    double sum = with_dtype(Z.dtype, [&](auto t) {
      using T = decltype(t);
      return head_cost_sum<T>(head, Z.as<T>(), A.as<T>(), Y.as<T>(), K, m);
    });
    return Napi::Number::New(info.Env(), 1.0 / m * sum);
  });
}

// activationBackward(dZ, dA, Z, activation): relu_backward / sigmoid_backward
// and the other activations' derivatives, taken from Z.
Napi::Value ActivationBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const Activation act = activation_name(info[3]);
    Array dZ = typed_array(info[0], "dZ");
    Array dA = typed_array(info[1], "dA", dZ.dtype, dZ.length);
    Array Z = typed_array(info[2], "Z", dZ.dtype, dZ.length);
    with_dtype(dZ.dtype, [&](auto t) {
      using T = decltype(t);
      activation_backward_from_input<T>(dZ.as<T>(), dA.as<T>(), Z.as<T>(), act, static_cast<long>(dZ.length));
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

// modelBackward(X, Y, Ws, Zs, As, dAs, dWs, dbs, dims, m, lambd, keepProb, Ds, arch):
// the notes' L_model_backward from the caches (Y (K, m); heads other than
// sigmoid start from dZL = AL - Y, which dAs[L] then holds). As[L-1] is AL; dAs holds L + 1
// arrays (dA0 = dJ/dX .. dAL). lambd > 0 adds the L2 gradient; keepProb < 1
// applies the forward pass's masks Ds to the hidden layers' dA.
Napi::Value ModelBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    // Phase 1: JavaScript values.
    const std::vector<int> dims = layer_dims(info[8], "dims");
    const int m = positive_int(info[9], "m");
    const int L = static_cast<int>(dims.size()) - 1;
    const Architecture arch = architecture(info[13], L);
    const auto Wv = layer_list(info[2], "W", L), Zv = layer_list(info[3], "Z", L), Av = layer_list(info[4], "A", L);
    const auto dAv = elements(info[5], "dA", L + 1, "typed arrays (dA0 .. dAL)");
    const auto dWv = layer_list(info[6], "dW", L), dbv = layer_list(info[7], "db", L);
    Regularization reg;
    reg.lambd = finite_number(info[10], "lambd");
    if (reg.lambd < 0) throw_range(info.Env(), "lambd must be >= 0");
    DropoutArgs dropout = dropout_values(info[11], info[12], L);
    reg.keep_prob = dropout.keep_prob;
    // Phase 2: memory.
    Array X = typed_array(info[0], "X");
    typed_array(info[0], "X", X.dtype, product(dims[0], m));
    Array Y = typed_array(info[1], "Y", X.dtype, product(dims[L], m));
    auto weights = [&](int i) { return product(dims[i + 1], dims[i]); };
    auto biases = [&](int i) { return static_cast<size_t>(dims[i + 1]); };
    auto activations = [&](int i) { return product(dims[i + 1], m); };
    auto Ws = per_layer(Wv, "W", X.dtype, weights);
    auto Zs = per_layer(Zv, "Z", X.dtype, activations);
    auto As = per_layer(Av, "A", X.dtype, activations);
    auto dAs = per_layer(dAv, "dA", X.dtype, [&](int i) { return product(dims[i], m); });
    auto dWs = per_layer(dWv, "dW", X.dtype, weights);
    auto dbs = per_layer(dbv, "db", X.dtype, biases);
    dropout_memory(dropout, X.dtype, dims, m);
    size_t widest = 0;
    for (int l = 1; l <= L; ++l) widest = std::max(widest, product(dims[l], m));
    with_dtype(X.dtype, [&](auto t) {
      using T = decltype(t);
      check_allocation(2 * widest * sizeof(T), "lModelBackward's scratch buffers");
      std::vector<T> scratch(2 * widest);
      Parameters<T> p{dims, layer_views<T>(Ws), std::vector<T*>(L + 1, nullptr), arch.hidden, arch.head};
      Workspace<T> ws;
      ws.m = m;
      ws.Z = layer_views<T>(Zs);
      ws.A = layer_views<T>(As);
      ws.dW = layer_views<T>(dWs);
      ws.db = layer_views<T>(dbs);
      ws.D = mask_views<T>(dropout);
      for (void* d : dAs) ws.dA.push_back(static_cast<T*>(d));
      ws.scratch[0] = scratch.data();
      ws.scratch[1] = scratch.data() + widest;
      network_backward<T>(ws, p, X.as<T>(), Y.as<T>(), BackwardForm::Notes, reg);
    });
    return info.Env().Undefined();
  });
}

// update(Ps, dPs, learningRate): P -= learningRate * dP for each pair.
Napi::Value Update(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const std::vector<Napi::Value> Pv = elements(info[0], "P");
    const std::vector<Napi::Value> dPv = elements(info[1], "dP", static_cast<long>(Pv.size()), "typed arrays (one per P)");
    const double lr = finite_number(info[2], "learningRate");
    std::vector<Array> Ps = typed_arrays(Pv, "P"), dPs;
    for (size_t i = 0; i < Ps.size(); ++i)
      dPs.push_back(typed_array(dPv[i], "dP[" + std::to_string(i) + "]", Ps[i].dtype, Ps[i].length));
    for (size_t i = 0; i < Ps.size(); ++i) {
      with_dtype(Ps[i].dtype, [&](auto t) {
        using T = decltype(t);
        update<T>(Ps[i].as<T>(), Ps[i].as<T>(), dPs[i].as<T>(), static_cast<T>(lr), static_cast<long>(Ps[i].length));
      });
    }
    return info.Env().Undefined();
  });
}

// optimizerStep(settings, Ps, Gs, vs, ss, learningRate, t, vHats, sHats):
// one step of settings.optimizer (optimizers.h) on each array P (updated in
// place) with its gradient G and state v, s (updated in place; empty arrays
// where the optimizer keeps none). vHats, sHats: null, or arrays that
// receive Adam's bias-corrected moments.
Napi::Value OptimizerStep(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    const TrainSettings settings = fit_settings(info[0]);
    const double lr = finite_number(info[5], "learningRate");
    const double t = finite_number(info[6], "t");
    if (!(t >= 1 && t <= 9007199254740991.0) || std::floor(t) != t) throw_range(env, "t must be an integer >= 1");
    const bool corrected = !info[7].IsNull() && !info[7].IsUndefined();
    // Phase 1: every list element (getters may run); phase 2: their memory.
    static const char* const kNames[6] = {"Ps", "Gs", "vs", "ss", "vHats", "sHats"};
    std::vector<Napi::Value> lists[6];
    lists[0] = elements(info[1], "Ps");
    const long count = static_cast<long>(lists[0].size());
    for (int k = 1; k < 6; ++k) {
      if (k >= 4 && !corrected) continue;
      lists[k] = elements(info[k < 4 ? 1 + k : 3 + k], kNames[k], count, "typed arrays (one per P)");
    }
    const OptimizerSettings& o = settings.optimizer;
    std::vector<Array> arrays[6];
    for (int i = 0; i < count; ++i) {
      Array P = typed_array(lists[0][i], "P");
      arrays[0].push_back(P);
      arrays[1].push_back(typed_array(lists[1][i], "G", P.dtype, P.length));
      arrays[2].push_back(typed_array(lists[2][i], "v", P.dtype, o.has_v() ? P.length : 0));
      arrays[3].push_back(typed_array(lists[3][i], "s", P.dtype, o.has_s() ? P.length : 0));
      if (corrected) {
        arrays[4].push_back(typed_array(lists[4][i], "vHat", P.dtype, P.length));
        arrays[5].push_back(typed_array(lists[5][i], "sHat", P.dtype, P.length));
      }
    }
    for (int i = 0; i < count; ++i) {
      with_dtype(arrays[0][i].dtype, [&](auto tag) {
        using T = decltype(tag);
        T* P = arrays[0][i].as<T>();
        optimizer_step<T>(o, P, P, arrays[1][i].as<T>(), o.has_v() ? arrays[2][i].as<T>() : nullptr,
                          o.has_s() ? arrays[3][i].as<T>() : nullptr, static_cast<long>(arrays[0][i].length), lr,
                          static_cast<long>(t), corrected ? arrays[4][i].as<T>() : nullptr,
                          corrected ? arrays[5][i].as<T>() : nullptr);
      });
    }
    return env.Undefined();
  });
}

// l2Cost(Ws, m, lambd): (1/m) * (lambd/2) * (sum(W1^2) + ... + sum(WL^2)).
Napi::Value L2Cost(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const std::vector<Napi::Value> Wv = elements(info[0], "W");
    const int m = positive_int(info[1], "m");
    const double lambd = finite_number(info[2], "lambd");
    const std::vector<Array> Ws = typed_arrays(Wv, "W");
    double squares = 0.0;
    for (const Array& w : Ws) {
      squares += with_dtype(w.dtype, [&](auto t) {
        using T = decltype(t);
        return sum_of_squares<T>(w.as<T>(), static_cast<long>(w.length));
      });
    }
    return Napi::Number::New(info.Env(), l2_cost(squares, m, lambd));
  });
}

// gradcheckCosts(X, Y, Ws, bs, dims, m, lambd, epsilon, index, Jplus, Jminus, arch):
// J(theta +- epsilon at theta[index[i]]) for every i; returns J(theta).
// Ws and bs are perturbed during the call and restored exactly.
Napi::Value GradcheckCosts(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    // Phase 1: JavaScript values.
    const std::vector<int> dims = layer_dims(info[4], "dims");
    const int m = positive_int(info[5], "m");
    const int L = static_cast<int>(dims.size()) - 1;
    const Architecture arch = architecture(info[11], L);
    const double lambd = finite_number(info[6], "lambd"), epsilon = finite_number(info[7], "epsilon");
    const auto Wv = layer_list(info[2], "W", L), bv = layer_list(info[3], "b", L);
    // Phase 2: memory.
    Array X = typed_array(info[0], "X");
    typed_array(info[0], "X", X.dtype, product(dims[0], m));
    Array Y = typed_array(info[1], "Y", X.dtype, product(dims[L], m));
    auto Ws = per_layer(Wv, "W", X.dtype, [&](int i) { return product(dims[i + 1], dims[i]); });
    auto bs = per_layer(bv, "b", X.dtype, [&](int i) { return static_cast<size_t>(dims[i + 1]); });
    Array index = typed_array(info[8], "index");
    if (index.dtype != DType::Float64) throw_type(info.Env(), "index must be a Float64Array");
    Array Jp = typed_array(info[9], "Jplus", DType::Float64, index.length);
    Array Jm = typed_array(info[10], "Jminus", DType::Float64, index.length);
    std::vector<long> idx(index.length);
    for (size_t i = 0; i < index.length; ++i) {
      const double d = index.as<double>()[i];
      // Range-checked against the parameters by gradcheck_costs; here only made a valid long.
      if (!(d >= 0 && d <= 9007199254740991.0) || std::floor(d) != d) throw_range(info.Env(), "index values must be integers >= 0");
      idx[i] = static_cast<long>(d);
    }
    double J = with_dtype(X.dtype, [&](auto t) {
      using T = decltype(t);
      Parameters<T> p{dims, layer_views<T>(Ws), layer_views<T>(bs), arch.hidden, arch.head};
      Arena<T> arena(p, m);
      return gradcheck_costs<T>(p, arena.workspace(), X.as<T>(), Y.as<T>(), lambd, epsilon, idx.data(),
                                static_cast<long>(idx.size()), Jp.as<double>(), Jm.as<double>());
    });
    return Napi::Number::New(info.Env(), J);
  });
}

// firstNonFinite(a): index of the first NaN or +-Infinity in a, or -1.
Napi::Value FirstNonFinite(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Array a = typed_array(info[0], "a");
    double index = with_dtype(a.dtype, [&](auto t) {
      using T = decltype(t);
      return static_cast<double>(first_non_finite(a.as<T>(), static_cast<long>(a.length)));
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
  exports.Set("headCost", Napi::Function::New(env, HeadCost, "headCost"));
  exports.Set("softmaxForward", Napi::Function::New(env, SoftmaxForward, "softmaxForward"));
  exports.Set("optimizerStep", Napi::Function::New(env, OptimizerStep, "optimizerStep"));
  exports.Set("activationBackward", Napi::Function::New(env, ActivationBackward, "activationBackward"));
  exports.Set("linearBackward", Napi::Function::New(env, LinearBackward, "linearBackward"));
  exports.Set("modelBackward", Napi::Function::New(env, ModelBackward, "modelBackward"));
  exports.Set("update", Napi::Function::New(env, Update, "update"));
  exports.Set("firstNonFinite", Napi::Function::New(env, FirstNonFinite, "firstNonFinite"));
  exports.Set("l2Cost", Napi::Function::New(env, L2Cost, "l2Cost"));
  exports.Set("gradcheckCosts", Napi::Function::New(env, GradcheckCosts, "gradcheckCosts"));
}

}  // namespace addon
}  // namespace deepnet
