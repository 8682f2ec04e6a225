#include "optimizers.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <mutex>

#include "elementwise.h"
#include "threads.h"

namespace deepnet {

std::atomic<long> optimizer_checked_blocks{0};

namespace {

struct TinyMomentSetting {
  std::atomic<TinyMomentPath> path{TinyMomentPath::Measured};
  std::string reason;
  std::mutex lock;  // guards choices
  std::vector<std::string> choices;
  TinyMomentSetting() {
    const char* env = std::getenv("DEEPNET_SUBNORMAL");
    if (!env || !*env) return;
    const std::string e = env;
    if (e == "checked") path = TinyMomentPath::Checked;
    else if (e == "hardware") path = TinyMomentPath::Hardware;
    reason = e == "checked" || e == "hardware" ? "DEEPNET_SUBNORMAL=" + e
                                               : "DEEPNET_SUBNORMAL=" + e + " is not a path (checked, hardware): measured";
  }
};

TinyMomentSetting& tiny_setting() {
  static TinyMomentSetting setting;
  return setting;
}

}  // namespace

TinyMomentPath tiny_moment_path() { return tiny_setting().path.load(std::memory_order_relaxed); }
void set_tiny_moment_path(TinyMomentPath path) { tiny_setting().path.store(path); }
const std::string& tiny_moment_path_reason() { return tiny_setting().reason; }

void record_tiny_moment_choice(const std::string& choice) {
  TinyMomentSetting& t = tiny_setting();
  std::lock_guard<std::mutex> hold(t.lock);
  t.choices.push_back(choice);
}

std::vector<std::string> tiny_moment_choices() {
  TinyMomentSetting& t = tiny_setting();
  std::lock_guard<std::mutex> hold(t.lock);
  return t.choices;
}

namespace {

inline bool finite(double x) { return x - x == 0.0; }

// One element of each optimizer: the reference arithmetic (optimizers_simd.h
// has the vector steps).
template <typename T>
inline T step1(OptimizerKind kind, const OptimizerScalars<T>& c, T p, T g, T* v, T* s, T* vh, T* sh) {
  switch (kind) {
    case OptimizerKind::GD: return p - c.lr * g;
    case OptimizerKind::Momentum:
      *v = c.beta * *v + c.one_minus_beta * g;
      return p - c.lr * *v;
    case OptimizerKind::RMSprop:
      *s = c.beta2 * *s + c.one_minus_beta2 * (g * g);
      return p - (c.lr * g) / (std::sqrt(*s) + c.eps);
    case OptimizerKind::Adam: break;
  }
  *v = c.beta1 * *v + c.one_minus_beta1 * g;
  const T v_hat = *v / c.bias1;
  *s = c.beta2 * *s + c.one_minus_beta2 * (g * g);
  const T s_hat = *s / c.bias2;
  if (vh) *vh = v_hat, *sh = s_hat;
  return p - (c.lr * v_hat) / (std::sqrt(s_hat) + c.eps);
}

template <typename T>
bool steps(OptimizerKind kind, const OptimizerScalars<T>& c, T* P_new, const T* P, const T* G, T* v,
           T* s, long n, T* vh, T* sh) {
  bool ok = true;
  for (long i = 0; i < n; ++i) {
    P_new[i] = step1(kind, c, P[i], G[i], v ? v + i : nullptr, s ? s + i : nullptr,
                     vh ? vh + i : nullptr, sh ? sh + i : nullptr);
    ok &= finite(P_new[i]);
  }
  return ok;
}

}  // namespace

namespace reference {
template <typename T>
bool optimizer_step(const OptimizerSettings& o, T* P_new, const T* P, const T* G, T* v, T* s,
                    long size, double learning_rate, long t, T* v_hat, T* s_hat) {
  return steps(o.kind, OptimizerScalars<T>(o, learning_rate, t), P_new, P, G, v, s, size, v_hat, s_hat);
}
}  // namespace reference

template <typename T>
bool optimizer_step(const OptimizerSettings& o, T* P_new, const T* P, const T* G, T* v, T* s,
                    long size, double learning_rate, long t, T* v_hat, T* s_hat) {
  const OptimizerScalars<T> c(o, learning_rate, t);
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  std::atomic<bool> ok{true};
  auto at = [](T* x, long i) { return x ? x + i : nullptr; };
  // kStepPieces a thread: the step takes a slow path on blocks of tiny
  // moments, which gather where units died, and even halves left one thread
  // waiting for the other.
  constexpr int kStepPieces = 8;
  parallel_range(size, 64, [&](long i0, long i1) {
    const bool chunk = simd ? simd->optimizer_steps(o.kind, c, P_new + i0, P + i0, G + i0, at(v, i0), at(s, i0),
                                                    i1 - i0, at(v_hat, i0), at(s_hat, i0))
                            : steps(o.kind, c, P_new + i0, P + i0, G + i0, at(v, i0), at(s, i0), i1 - i0,
                                    at(v_hat, i0), at(s_hat, i0));
    if (!chunk) ok.store(false, std::memory_order_relaxed);
  }, kStepPieces);
  return ok.load();
}

#define DEEPNET_INSTANTIATE(T)                                                                \
  template bool optimizer_step<T>(const OptimizerSettings&, T*, const T*, const T*, T*, T*, long, \
                                  double, long, T*, T*);                                       \
  template bool reference::optimizer_step<T>(const OptimizerSettings&, T*, const T*, const T*, T*, \
                                             T*, long, double, long, T*, T*);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
