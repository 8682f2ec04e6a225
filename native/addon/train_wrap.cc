// The notes' whole training loops in one native call each:
//   train(...)          L_layer_model (Course 1): full-batch gradient descent
//   trainMiniBatch(...) the optimization notebook's model() (Course 2 Week 2):
//                       mini-batches, gd / momentum / adam, learning-rate decay
#include <string>
#include <vector>

#include "addon_data.h"
#include "args.h"
#include "fit_args.h"
#include "memory.h"
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
    const std::vector<int> dims = layer_dims(info[4], "dims");
    const int L = static_cast<int>(dims.size()) - 1;
    const int m = positive_int(info[5], "m");
    const double lr = finite_number(info[6], "learningRate");
    const long iterations = static_cast<long>(integer_in(info[7], "iterations", 0, 2147483647.0));
    const long log_every = static_cast<long>(integer_in(info[8], "logEvery", 0, 2147483647.0));  // 0: never
    Napi::Function on_log = info[9].IsFunction() ? info[9].As<Napi::Function>() : Napi::Function();

    // Every JavaScript value first (list elements may run getters), then the
    // memory behind them; read again after each callback: JavaScript code that
    // ran in between could have detached, shrunk or replaced a buffer.
    auto read = [&]() {
      std::vector<Napi::Value> values{info[0], info[1]};
      for (const Napi::Value& list : {info[2], info[3]}) {
        const std::vector<Napi::Value> layers = elements(list, "W and b", L, "typed arrays (one per layer)");
        values.insert(values.end(), layers.begin(), layers.end());
      }
      values.push_back(info[10]);
      std::vector<Array> a;
      Array X = typed_array(values[0], "X");
      a.push_back(typed_array(values[0], "X", X.dtype, static_cast<size_t>(dims[0]) * m));
      a.push_back(typed_array(values[1], "Y", X.dtype, m));
      for (int l = 1; l <= L; ++l)
        a.push_back(typed_array(values[1 + l], "W", X.dtype, static_cast<size_t>(dims[l]) * dims[l - 1]));
      for (int l = 1; l <= L; ++l) a.push_back(typed_array(values[1 + L + l], "b", X.dtype, dims[l]));
      a.push_back(typed_array(values.back(), "costs", DType::Float64, static_cast<size_t>(iterations)));
      return a;
    };
    const std::vector<Array> arrays = read();
    auto same = [&]() {
      std::vector<Array> now = read();
      for (size_t i = 0; i < now.size(); ++i)
        if (now[i].data != arrays[i].data || now[i].length != arrays[i].length) return false;
      return true;
    };

    TrainResult result = with_dtype(arrays[0].dtype, [&](auto t) -> TrainResult {
      using T = decltype(t);
      Parameters<T> p{dims, std::vector<T*>(L + 1), std::vector<T*>(L + 1)};
      for (int l = 1; l <= L; ++l) {
        p.W[l] = arrays[1 + l].as<T>();
        p.b[l] = arrays[1 + L + l].as<T>();
      }
      TrainSettings settings;
      settings.learning_rate = lr;
      settings.epochs = iterations;
      settings.log_every = log_every;
      TrainLog log;
      if (!on_log.IsEmpty()) {
        log = [&](const EpochReport& r) {
          Napi::Value keep = on_log.Call({Napi::Number::New(env, static_cast<double>(r.epoch)),
                                          Napi::Number::New(env, r.cost)});
          if (!unchanged(same)) throw_type(env, "an array was detached, resized or replaced during training");
          return !(keep.IsBoolean() && !keep.As<Napi::Boolean>().Value());
        };
      }
      TrainHistory history;
      history.costs = arrays.back().as<double>();
      EarlyStopping off;
      return train<T>(p, nullptr, arrays[0].as<T>(), arrays[1].as<T>(), m, settings, nullptr, Validation<T>(),
                      off, nullptr, history, log);
    });
    return Napi::Number::New(env, static_cast<double>(result.completed));
  });
}

// trainMiniBatch(X, Y, m, settings, onLog, history, null, parameters, dims)
//   the notebook's model(): relu hidden layers, a sigmoid output, its summed
//   cost and backward_propagation (BackwardForm::Week2), shuffled batches
//   (settings.shuffleSeed), gd / momentum / adam from zero state.
//   parameters: W1, b1, ..., WL, bL in one typed array, updated in place;
//   history as Model.fit's (costs, learningRates per epoch).
//   onLog(epoch, cost) runs every settings.logEvery epochs.
// Returns the number of epochs completed.
Napi::Value TrainMiniBatch(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    TrainSettings settings = fit_settings(info[3]);
    const FitValues values = fit_values(info);
    const std::vector<int> dims = layer_dims(info[8], "dims");
    Napi::Function on_log = info[4].IsFunction() ? info[4].As<Napi::Function>() : Napi::Function();
    Napi::Value flat_value = info[7];
    const FitArrays arrays = fit_arrays(values, typed_array(flat_value, "parameters").dtype, dims.front(),
                                        dims.back(), settings.epochs);
    const int L = static_cast<int>(dims.size()) - 1;
    TrainResult result = with_dtype(arrays.X.dtype, [&](auto t) -> TrainResult {
      using T = decltype(t);
      Parameters<T> p{dims, std::vector<T*>(L + 1), std::vector<T*>(L + 1)};
      Array flat = typed_array(flat_value, "parameters", arrays.X.dtype, p.count());
      p.flat = flat.as<T>();
      T* cursor = p.flat;
      for (int l = 1; l <= L; ++l) {
        p.W[l] = cursor;
        cursor += static_cast<size_t>(dims[l]) * dims[l - 1];
        p.b[l] = cursor;
        cursor += dims[l];
      }
      settings.cost = CostForm::Notes;
      settings.backward = BackwardForm::Week2;
      settings.shuffle = true;
      OptimizerState<T> state;
      LargeBuffer memory;
      if (settings.optimizer.kind != OptimizerKind::GD) {
        check_allocation(2.0 * p.count() * sizeof(T), "the optimizer's state");
        memory = LargeBuffer(2 * p.count() * sizeof(T));  // zero-filled: initialize_velocity / initialize_adam
        state.v = reinterpret_cast<T*>(memory.data());
        state.s = state.v + p.count();
      }
      TrainLog log;
      if (!on_log.IsEmpty()) {
        log = [&](const EpochReport& r) {
          on_log.Call({Napi::Number::New(env, static_cast<double>(r.epoch)), Napi::Number::New(env, r.cost)});
          const bool same = unchanged([&] {
            const FitArrays now = fit_arrays(fit_values(info), arrays.X.dtype, dims.front(), dims.back(), settings.epochs);
            return same_arrays(arrays, now) && typed_array(info[7], "parameters", arrays.X.dtype, p.count()).data == flat.data;
          });
          if (!same) throw_type(env, "an array was detached, resized or replaced during training");
          return true;
        };
      }
      TrainHistory history{arrays.costs.as<double>(), nullptr, nullptr, arrays.learning_rates.as<double>()};
      EarlyStopping off;
      return train<T>(p, nullptr, arrays.X.as<T>(), arrays.Y.as<T>(), values.m, settings,
                      state.v ? &state : nullptr, Validation<T>(), off, nullptr, history, log);
    });
    return Napi::Number::New(env, static_cast<double>(result.completed));
  });
}

}  // namespace

void register_train(Napi::Env env, Napi::Object exports) {
  exports.Set("train", Napi::Function::New(env, Train, "train"));
  exports.Set("trainMiniBatch", Napi::Function::New(env, TrainMiniBatch, "trainMiniBatch"));
}

}  // namespace addon
}  // namespace deepnet
