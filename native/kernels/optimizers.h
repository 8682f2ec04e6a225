// Optimizers (Course 2 Week 2, "Optimization methods"): one step over a flat
// run of parameters P, their gradients G and the optimizer's state (v, s of
// the same length), with the course's numpy arithmetic operation by
// operation (no fused multiply-add):
//   gd        P = P - lr * G
//   momentum  v = beta * v + (1 - beta) * G;  P = P - lr * v
//   rmsprop   s = beta2 * s + (1 - beta2) * G^2;  P = P - (lr * G) / (sqrt(s) + eps)
//   adam      v = beta1 * v + (1 - beta1) * G;  v_hat = v / (1 - beta1^t)
//             s = beta2 * s + (1 - beta2) * G^2;  s_hat = s / (1 - beta2^t)
//             P = P - (lr * v_hat) / (sqrt(s_hat) + eps)
// (1 - beta) and the bias corrections 1 - beta^t are computed once, in
// double, as numpy computes its Python-float scalars, then used in T.
// P_new may be P itself or another buffer (Model double-buffers its
// parameters); v and s are updated in place.
#pragma once

#include <atomic>
#include <cmath>
#include <string>
#include <vector>

namespace deepnet {

enum class OptimizerKind { GD, Momentum, RMSprop, Adam };

struct OptimizerSettings {
  OptimizerKind kind = OptimizerKind::GD;
  double beta = 0.9;     // momentum
  double beta1 = 0.9;    // adam
  double beta2 = 0.999;  // adam, rmsprop
  double epsilon = 1e-8;
  // Whether this optimizer keeps v (momentum, adam) and s (rmsprop, adam).
  bool has_v() const { return kind == OptimizerKind::Momentum || kind == OptimizerKind::Adam; }
  bool has_s() const { return kind == OptimizerKind::RMSprop || kind == OptimizerKind::Adam; }
};

// The step's scalars in T, computed once in double as numpy computes its
// Python-float scalars (shared by the reference and the vector steps).
template <typename T>
struct OptimizerScalars {
  T lr, beta, one_minus_beta, beta1, one_minus_beta1, beta2, one_minus_beta2, eps, bias1, bias2;
  OptimizerScalars(const OptimizerSettings& o, double learning_rate, long t)
      : lr(T(learning_rate)),
        beta(T(o.beta)), one_minus_beta(T(1.0 - o.beta)),
        beta1(T(o.beta1)), one_minus_beta1(T(1.0 - o.beta1)),
        beta2(T(o.beta2)), one_minus_beta2(T(1.0 - o.beta2)),
        eps(T(o.epsilon)),
        bias1(T(1.0 - std::pow(o.beta1, static_cast<double>(t)))),
        bias2(T(1.0 - std::pow(o.beta2, static_cast<double>(t)))) {}
};

// One step over size values; t = the step number, from 1 (Adam's bias
// correction). v_hat and s_hat, when not null, receive Adam's corrected
// moments (the notes' update_parameters_with_adam returns them). Returns
// whether every P_new is finite (the divergence guard, at no extra pass).
template <typename T>
bool optimizer_step(const OptimizerSettings& o, T* P_new, const T* P, const T* G, T* v, T* s,
                    long size, double learning_rate, long t, T* v_hat = nullptr, T* s_hat = nullptr);

// Blocks of moments in which the vector steps found tiny values and so took
// their subnormal-safe paths (optimizers_simd.h), since the process started:
// lets the tests see that those paths run (their bits are the plain ones).
extern std::atomic<long> optimizer_checked_blocks;

// Where the vector steps compute a block of tiny moments: Measured (the
// default) times the subnormal-safe path against the hardware's once per
// optimizer, dtype and SIMD level, at the first such block, and keeps the
// faster (both give the same bits); Checked and Hardware force one.
// DEEPNET_SUBNORMAL=checked|hardware sets it at first use; tests set it
// directly (the addon's setSubnormalPath).
enum class TinyMomentPath { Measured, Checked, Hardware };
TinyMomentPath tiny_moment_path();
void set_tiny_moment_path(TinyMomentPath path);
// What the first use made of DEEPNET_SUBNORMAL ("" when unset).
const std::string& tiny_moment_path_reason();
// The measured kernels' choices, in the order they were made, e.g.
// "float32 adam (avx2): the hardware's, the safe path 2.91x its time".
void record_tiny_moment_choice(const std::string& choice);
std::vector<std::string> tiny_moment_choices();

namespace reference {
template <typename T>
bool optimizer_step(const OptimizerSettings& o, T* P_new, const T* P, const T* G, T* v, T* s,
                    long size, double learning_rate, long t, T* v_hat = nullptr, T* s_hat = nullptr);
}  // namespace reference

}  // namespace deepnet
