// Argument helpers for the N-API glue. The TypeScript layer validates every
// public argument first and raises the user-facing errors; these checks are
// the second line that keeps a wrong call from ever touching memory it does
// not own (the process must never abort, whatever it is given).
//
// Every entry point reads its arguments in two phases. Phase 1 reads every
// JavaScript value: list elements and object fields (a getter or a Proxy may
// run JavaScript there), numbers and strings (taken only as they are: never
// through valueOf or toString). Phase 2 takes the typed arrays' memory, and no
// JavaScript runs from then until the memory's last use, so no script can
// detach, shrink (a resizable ArrayBuffer) or swap a buffer in between. Only
// typed_array() belongs to phase 2; everything else here is phase 1. Where a
// callback must run mid-call (progress), the arrays are taken again after it
// and compared (fit_args.h).
#pragma once

#include <napi.h>

#include <cstddef>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "activations.h"
#include "heads.h"
#include "memory.h"

namespace deepnet {
namespace addon {

enum class DType { Float32, Float64 };

struct Array {
  DType dtype = DType::Float64;
  void* data = nullptr;
  size_t length = 0;
  template <typename T>
  T* as() const {
    return static_cast<T*>(data);
  }
};

// Phase 2: the memory of a Float64Array or Float32Array (runs no JavaScript).
Array typed_array(const Napi::Value& v, const std::string& name);
// Same, and checks that its dtype is `dtype` and its length `length`.
Array typed_array(const Napi::Value& v, const std::string& name, DType dtype, size_t length);
// Phase 2: the memory of each of `values` (elements() read in phase 1).
std::vector<Array> typed_arrays(const std::vector<Napi::Value>& values, const std::string& name);

// Phase 1: the elements of a JS array, each read once (a getter runs here);
// count >= 0 requires exactly that many. `what` names them in errors.
std::vector<Napi::Value> elements(const Napi::Value& v, const std::string& name, long count = -1,
                                  const char* what = "typed arrays");
int positive_int(const Napi::Value& v, const std::string& name);
// An integer number in [min, max] (a count, an index, a seed).
long long integer_in(const Napi::Value& v, const std::string& name, double min, double max);
double finite_number(const Napi::Value& v, const std::string& name);
std::vector<int> layer_dims(const Napi::Value& v, const std::string& name);
std::string string_value(const Napi::Value& v, const std::string& name);
// 'relu' | 'tanh' | 'sigmoid' | 'leakyRelu'
Activation activation_name(const Napi::Value& v);
// 'sigmoid' | 'softmax' | 'linear'
Head head_name(const Napi::Value& v);
// { hidden: string[L - 1], output }: the layers' kinds, for Parameters::act and ::head.
struct Architecture {
  std::vector<Activation> hidden;  // index 1..L-1
  Head head = Head::Sigmoid;
};
Architecture architecture(const Napi::Value& v, int L);

// Calls body<float>() or body<double>() for the dtype.
template <typename Body>
auto with_dtype(DType dtype, Body&& body) {
  if (dtype == DType::Float32) return body(float{});
  return body(double{});
}

[[noreturn]] void throw_type(Napi::Env env, const std::string& msg);
[[noreturn]] void throw_range(Napi::Env env, const std::string& msg);

// After a callback ran JavaScript: whether `check` (which reads the arguments
// again, both phases, and compares them with those in use) holds. An error
// while reading them (a detached or shrunk array, a throwing getter) counts as
// a change too, so the caller reports one clear error for all of them.
template <typename Check>
bool unchanged(Check&& check) {
  try {
    return check();
  } catch (const Napi::Error&) {
    return false;
  }
}

// Runs fn and turns any C++ exception into a JavaScript error, so that no
// exception ever unwinds into Node (which would abort the process).
template <typename Fn>
Napi::Value guarded(const Napi::CallbackInfo& info, Fn&& fn) {
  Napi::Env env = info.Env();
  try {
    return fn();
  } catch (const Napi::Error&) {
    throw;
  } catch (const AllocationTooLarge& e) {
    throw Napi::RangeError::New(env, std::string("deepnet: ") + e.what());
  } catch (const std::bad_alloc&) {
    throw Napi::RangeError::New(env, "deepnet: out of memory");
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, std::string("deepnet: ") + e.what());
  }
}

}  // namespace addon
}  // namespace deepnet
