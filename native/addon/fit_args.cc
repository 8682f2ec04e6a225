#include "fit_args.h"

#include <cmath>
#include <string>

namespace deepnet {
namespace addon {

namespace {

Napi::Value field(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) throw_type(o.Env(), std::string("fit settings lack ") + key);
  return v;
}

double number(const Napi::Object& o, const char* key) { return finite_number(field(o, key), key); }

long count(const Napi::Object& o, const char* key, double min, double max) {
  return static_cast<long>(integer_in(field(o, key), key, min, max));
}

std::string text(const Napi::Object& o, const char* key) {
  Napi::Value v = field(o, key);
  if (!v.IsString()) throw_type(o.Env(), std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

Napi::Object object(const Napi::Value& v, const char* what) {
  if (!v.IsObject()) throw_type(v.Env(), std::string(what) + " must be an object");
  return v.As<Napi::Object>();
}

}  // namespace

TrainSettings fit_settings(const Napi::Value& value) {
  Napi::Object o = object(value, "settings");
  Napi::Env env = o.Env();
  TrainSettings s;
  s.learning_rate = number(o, "learningRate");
  s.epochs = count(o, "epochs", 0, 2147483647.0);
  s.log_every = count(o, "logEvery", 1, 2147483647.0);
  const std::string optimizer = text(o, "optimizer");
  if (optimizer == "gd") s.optimizer.kind = OptimizerKind::GD;
  else if (optimizer == "momentum") s.optimizer.kind = OptimizerKind::Momentum;
  else if (optimizer == "rmsprop") s.optimizer.kind = OptimizerKind::RMSprop;
  else if (optimizer == "adam") s.optimizer.kind = OptimizerKind::Adam;
  else throw_range(env, "unknown optimizer '" + optimizer + "'");
  s.optimizer.beta = number(o, "beta");
  s.optimizer.beta1 = number(o, "beta1");
  s.optimizer.beta2 = number(o, "beta2");
  s.optimizer.epsilon = number(o, "epsilon");
  s.batch_size = static_cast<int>(count(o, "batchSize", 0, 2147483647.0));
  s.shuffle = field(o, "shuffle").ToBoolean();
  s.shuffle_seed = count(o, "shuffleSeed", -1, 4294967295.0);
  const std::string decay = text(o, "decay");
  if (decay == "none") s.decay = Decay::None;
  else if (decay == "inverse") s.decay = Decay::Inverse;
  else if (decay == "step") s.decay = Decay::Step;
  else throw_range(env, "unknown decay '" + decay + "'");
  s.decay_rate = number(o, "decayRate");
  s.decay_interval = count(o, "decayInterval", 1, 2147483647.0);
  s.first_epoch = count(o, "firstEpoch", 0, 9007199254740991.0);
  s.X_rows = o.Get("xRows").ToBoolean();  // optional: false when absent
  // distributed: absent or false, true (replicated data) or { sharded, checkEvery }.
  const Napi::Value distributed = o.Get("distributed");
  if (distributed.IsObject() || (distributed.IsBoolean() && distributed.As<Napi::Boolean>().Value())) {
    std::string why;
    s.comm = mpi_world(&why);
    if (!s.comm) throw_type(env, "distributed training needs MPI: " + why);
    if (distributed.IsObject()) {
      Napi::Object d = distributed.As<Napi::Object>();
      s.sharded = d.Get("sharded").ToBoolean();
      const Napi::Value every = d.Get("checkEvery");
      if (!every.IsUndefined()) s.check_every = count(d, "checkEvery", 0, 2147483647.0);
    }
  }
  return s;
}

EarlyStopping early_stopping(const Napi::Value& value) {
  Napi::Object o = object(value, "settings");
  EarlyStopping e;
  e.patience = count(o, "patience", 0, 2147483647.0);
  e.min_delta = number(o, "minDelta");
  e.restore_best = field(o, "restoreBest").ToBoolean();
  e.best_cost = number(o, "bestCost");
  e.since_best = count(o, "sinceBest", 0, 2147483647.0);
  return e;
}

FitValues fit_values(const Napi::CallbackInfo& info) {
  FitValues v;
  v.X = info[0];
  v.Y = info[1];
  v.m = positive_int(info[2], "m");
  Napi::Object h = object(info[5], "history");
  v.costs = h.Get("costs");
  v.val_costs = h.Get("valCosts");
  v.val_accuracies = h.Get("valAccuracies");
  v.learning_rates = h.Get("learningRates");
  if (!info[6].IsNull() && !info[6].IsUndefined()) {
    Napi::Object val = object(info[6], "validation");
    v.val_X = val.Get("X");
    v.val_Y = val.Get("Y");
    v.val_m = positive_int(val.Get("m"), "validation.m");
    v.val_rows = val.Get("rows").ToBoolean();
  }
  return v;
}

FitArrays fit_arrays(const FitValues& v, DType dtype, int n_x, int K, long epochs) {
  FitArrays a;
  a.X = typed_array(v.X, "X", dtype, static_cast<size_t>(n_x) * v.m);
  a.Y = typed_array(v.Y, "Y", dtype, static_cast<size_t>(K) * v.m);
  const size_t e = static_cast<size_t>(epochs);
  a.costs = typed_array(v.costs, "history.costs", DType::Float64, e);
  a.val_costs = typed_array(v.val_costs, "history.valCosts", DType::Float64, e);
  a.val_accuracies = typed_array(v.val_accuracies, "history.valAccuracies", DType::Float64, e);
  a.learning_rates = typed_array(v.learning_rates, "history.learningRates", DType::Float64, e);
  if (v.val_m > 0) {
    a.has_validation = true;
    a.val_X = typed_array(v.val_X, "validation.X", dtype, static_cast<size_t>(n_x) * v.val_m);
    a.val_Y = typed_array(v.val_Y, "validation.Y", dtype, static_cast<size_t>(K) * v.val_m);
  }
  return a;
}

bool same_arrays(const FitArrays& a, const FitArrays& b) {
  auto same = [](const Array& x, const Array& y) { return x.data == y.data && x.length == y.length; };
  return same(a.X, b.X) && same(a.Y, b.Y) && same(a.costs, b.costs) && same(a.val_costs, b.val_costs) &&
         same(a.val_accuracies, b.val_accuracies) && same(a.learning_rates, b.learning_rates) &&
         a.has_validation == b.has_validation && (!a.has_validation || (same(a.val_X, b.val_X) && same(a.val_Y, b.val_Y)));
}

}  // namespace addon
}  // namespace deepnet
