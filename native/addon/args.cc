#include "args.h"

#include <cmath>

namespace deepnet {
namespace addon {

void throw_type(Napi::Env env, const std::string& msg) {
  throw Napi::TypeError::New(env, "deepnet: " + msg);
}

void throw_range(Napi::Env env, const std::string& msg) {
  throw Napi::RangeError::New(env, "deepnet: " + msg);
}

Array typed_array(const Napi::Value& v, const std::string& name) {
  if (!v.IsTypedArray()) throw_type(v.Env(), name + " must be a Float64Array or Float32Array");
  Napi::TypedArray ta = v.As<Napi::TypedArray>();
  switch (ta.TypedArrayType()) {
    case napi_float64_array: {
      auto a = v.As<Napi::Float64Array>();
      return {DType::Float64, a.Data(), a.ElementLength()};
    }
    case napi_float32_array: {
      auto a = v.As<Napi::Float32Array>();
      return {DType::Float32, a.Data(), a.ElementLength()};
    }
    default:
      throw_type(v.Env(), name + " must be a Float64Array or Float32Array");
  }
}

Array typed_array(const Napi::Value& v, const std::string& name, DType dtype, size_t length) {
  Array a = typed_array(v, name);
  if (a.dtype != dtype) throw_type(v.Env(), name + " has a different dtype from the other arrays");
  if (a.length != length || (length > 0 && a.data == nullptr))
    throw_range(v.Env(), name + " has " + std::to_string(a.length) + " elements, expected " +
                             std::to_string(length));
  return a;
}

std::vector<Array> typed_arrays(const std::vector<Napi::Value>& values, const std::string& name) {
  std::vector<Array> out;
  for (size_t i = 0; i < values.size(); ++i) out.push_back(typed_array(values[i], name + "[" + std::to_string(i) + "]"));
  return out;
}

std::vector<Napi::Value> elements(const Napi::Value& v, const std::string& name, long count, const char* what) {
  const std::string expected = name + " must be an array of " + (count >= 0 ? std::to_string(count) + " " : "") + what;
  if (!v.IsArray()) throw_type(v.Env(), expected);
  Napi::Array list = v.As<Napi::Array>();
  if (count >= 0 && list.Length() != static_cast<uint32_t>(count))
    throw_range(v.Env(), expected + "; received " + std::to_string(list.Length()));
  std::vector<Napi::Value> out;
  // Length() is read once: a getter below may lengthen or shorten the array.
  for (uint32_t i = 0, n = list.Length(); i < n; ++i) out.push_back(list.Get(i));
  return out;
}

int positive_int(const Napi::Value& v, const std::string& name) {
  return static_cast<int>(integer_in(v, name, 1, 2147483647.0));
}

long long integer_in(const Napi::Value& v, const std::string& name, double min, double max) {
  if (!v.IsNumber()) throw_type(v.Env(), name + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || std::floor(d) != d) {
    auto text = [](double x) {
      return x == 2147483647.0 ? std::string("2^31 - 1") : std::to_string(static_cast<long long>(x));
    };
    throw_range(v.Env(), name + " must be an integer in [" + text(min) + ", " + text(max) + "]");
  }
  return static_cast<long long>(d);
}

double finite_number(const Napi::Value& v, const std::string& name) {
  if (!v.IsNumber()) throw_type(v.Env(), name + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) throw_range(v.Env(), name + " must be finite");
  return d;
}

std::vector<int> layer_dims(const Napi::Value& v, const std::string& name) {
  if (!v.IsArray()) throw_type(v.Env(), name + " must be an array of layer sizes");
  const std::vector<Napi::Value> list = elements(v, name, -1, "layer sizes");
  if (list.size() < 2) throw_range(v.Env(), name + " needs at least 2 entries");
  std::vector<int> dims;
  for (size_t i = 0; i < list.size(); ++i) dims.push_back(positive_int(list[i], name + "[" + std::to_string(i) + "]"));
  return dims;
}

std::string string_value(const Napi::Value& v, const std::string& name) {
  if (!v.IsString()) throw_type(v.Env(), name + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

Activation activation_name(const Napi::Value& v) {
  const std::string s = string_value(v, "activation");
  if (s == "relu") return Activation::Relu;
  if (s == "tanh") return Activation::Tanh;
  if (s == "sigmoid") return Activation::Sigmoid;
  if (s == "leakyRelu") return Activation::LeakyRelu;
  throw_range(v.Env(), "unknown activation '" + s + "'");
}

Head head_name(const Napi::Value& v) {
  const std::string s = string_value(v, "output");
  if (s == "sigmoid") return Head::Sigmoid;
  if (s == "softmax") return Head::Softmax;
  if (s == "linear") return Head::Linear;
  throw_range(v.Env(), "unknown output '" + s + "'");
}

Architecture architecture(const Napi::Value& v, int L) {
  if (!v.IsObject()) throw_type(v.Env(), "architecture must be an object { hidden, output }");
  Napi::Object o = v.As<Napi::Object>();
  const std::vector<Napi::Value> hidden = elements(o.Get("hidden"), "hidden", L - 1, "activations (one per hidden layer)");
  Architecture a;
  a.hidden.assign(L, Activation::Relu);
  for (int l = 1; l < L; ++l) a.hidden[l] = activation_name(hidden[l - 1]);
  a.head = head_name(o.Get("output"));
  return a;
}

}  // namespace addon
}  // namespace deepnet
