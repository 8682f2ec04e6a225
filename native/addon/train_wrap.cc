// train(...): the notes' L_layer_model loop in one native call.
#include <string>
#include <vector>

#include "addon_data.h"
#include "args.h"
#include "network.h"
#include "train.h"

namespace deepnet {
namespace addon {

namespace {

// train(X, Y, Ws, bs, dims, m, learningRate, iterations, logEvery, onLog, costs)
//   X (n_x, m), Y (1, m); Ws[l-1], bs[l-1] are updated in place;
//   costs (iterations) receives the cost of every iteration (before its update);
//   onLog(i, cost) runs every logEvery iterations and may return false to stop.
// Returns the number of iterations completed.
Napi::Value Train(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    std::vector<int> dims = layer_dims(info[4], "dims");
    const int L = static_cast<int>(dims.size()) - 1;
    int m = positive_int(info[5], "m");
    double lr = finite_number(info[6], "learningRate");
    double iterations = finite_number(info[7], "iterations");
    double log_every = finite_number(info[8], "logEvery");
    if (iterations < 0 || log_every < 0) throw_range(env, "iterations and logEvery must be >= 0");
    Napi::Function on_log = info[9].IsFunction() ? info[9].As<Napi::Function>() : Napi::Function();

    // Every array is re-read after each callback: JavaScript code that ran in
    // between could have detached or replaced a buffer.
    auto read = [&]() {
      std::vector<Array> a;
      Array X = typed_array(info[0], "X");
      a.push_back(typed_array(info[0], "X", X.dtype, static_cast<size_t>(dims[0]) * m));
      a.push_back(typed_array(info[1], "Y", X.dtype, m));
      std::vector<Array> Ws = typed_arrays(info[2], "W"), bs = typed_arrays(info[3], "b");
      if (static_cast<int>(Ws.size()) != L || static_cast<int>(bs.size()) != L)
        throw_range(env, "W and b must hold one array per layer");
      for (int l = 1; l <= L; ++l)
        a.push_back(typed_array(info[2].As<Napi::Array>().Get(l - 1), "W", X.dtype,
                                static_cast<size_t>(dims[l]) * dims[l - 1]));
      for (int l = 1; l <= L; ++l)
        a.push_back(typed_array(info[3].As<Napi::Array>().Get(l - 1), "b", X.dtype, dims[l]));
      a.push_back(typed_array(info[10], "costs", DType::Float64, static_cast<size_t>(iterations)));
      return a;
    };
    const std::vector<Array> arrays = read();
    auto unchanged = [&]() {
      std::vector<Array> now = read();
      for (size_t i = 0; i < now.size(); ++i)
        if (now[i].data != arrays[i].data) return false;
      return true;
    };

    TrainResult result = with_dtype(arrays[0].dtype, [&](auto t) -> TrainResult {
      using T = decltype(t);
      Parameters<T> p{dims, std::vector<T*>(L + 1), std::vector<T*>(L + 1)};
      for (int l = 1; l <= L; ++l) {
        p.W[l] = arrays[1 + l].as<T>();
        p.b[l] = arrays[1 + L + l].as<T>();
      }
      Arena<T> arena(dims, m);
      TrainSettings settings;
      settings.learning_rate = lr;
      settings.iterations = static_cast<long>(iterations);
      settings.log_every = static_cast<long>(log_every);
      TrainLog log;
      if (!on_log.IsEmpty()) {
        log = [&](long i, double cost) {
          Napi::Value keep = on_log.Call({Napi::Number::New(env, static_cast<double>(i)),
                                          Napi::Number::New(env, cost)});
          if (!unchanged()) throw_type(env, "an array was detached or replaced during training");
          return !(keep.IsBoolean() && !keep.As<Napi::Boolean>().Value());
        };
      }
      return train<T>(p, nullptr, arena.workspace(), arrays[0].as<T>(), arrays[1].as<T>(), settings,
                      arrays.back().as<double>(), log);
    });
    return Napi::Number::New(env, static_cast<double>(result.completed));
  });
}

}  // namespace

void register_train(Napi::Env env, Napi::Object exports) {
  exports.Set("train", Napi::Function::New(env, Train, "train"));
}

}  // namespace addon
}  // namespace deepnet
