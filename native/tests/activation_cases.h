// The activations the native tests run through every kernel, with the
// names their messages use.
#pragma once

#include "activations.h"

namespace deepnet {
namespace testing {

inline const Activation kActivations[] = {Activation::Relu, Activation::Sigmoid, Activation::Tanh,
                                          Activation::LeakyRelu, Activation::Linear};

inline const char* name(Activation a) {
  switch (a) {
    case Activation::Relu: return "relu";
    case Activation::Sigmoid: return "sigmoid";
    case Activation::Tanh: return "tanh";
    case Activation::LeakyRelu: return "leakyRelu";
    case Activation::Linear: return "linear";
  }
  return "?";
}

// The ones computed through vmath's exp (within a few ulp, not bit-exact).
inline bool uses_exp(Activation a) { return a == Activation::Sigmoid || a == Activation::Tanh; }

}  // namespace testing
}  // namespace deepnet
