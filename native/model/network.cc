#include "network.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#include "backward.h"
#include "dropout.h"
#include "forward.h"
#include "gemm.h"
#include "l2.h"
#include "memory.h"
#include "update.h"

namespace deepnet {

namespace {

constexpr size_t kAlign = 64;  // cache line; also keeps every view SIMD-aligned

// Saturates instead of wrapping, so that absurd sizes are refused, not wrapped.
constexpr size_t kHuge = SIZE_MAX / 4;
size_t padded_bytes(size_t count, size_t elem) {
  if (count > kHuge / elem) return kHuge;
  return (count * elem + kAlign - 1) / kAlign * kAlign;
}

// Whether the lean arena keeps hidden layer l's output before dropout apart
// from its dropped-out A (see Workspace::H).
template <typename T>
bool separate_h(const Parameters<T>& p, int l, bool masks) {
  return masks && p.hidden(l) != Activation::Relu;
}

// Visits every view of the lean arena in layout order: (layer, kind, count).
// 'A' of a hidden layer also serves as its Z (and H); 'G' is every gradient,
// in the parameters' order.
template <typename T, typename Visit>
void layout(const Parameters<T>& p, int m, bool masks, bool batch_inputs, Visit visit) {
  const std::vector<int>& dims = p.dims;
  const int L = p.layers();
  size_t widest_hidden = 0;
  for (int l = 1; l <= L; ++l) {
    const size_t n = dims[l];
    if (l == L) visit(l, 'Z', n * m);
    visit(l, 'A', n * m);
    if (l < L) {
      if (separate_h(p, l, masks)) visit(l, 'H', n * m);
      if (masks) visit(l, 'D', n * m);
      widest_hidden = std::max(widest_hidden, n * m);
    }
  }
  visit(0, 'G', p.count());
  if (widest_hidden > 0) visit(0, 's', widest_hidden);
  if (batch_inputs) {
    visit(0, 'X', static_cast<size_t>(dims[0]) * m);
    visit(0, 'Y', static_cast<size_t>(dims[L]) * m);
  }
}

}  // namespace

template <typename T>
size_t Arena<T>::bytes_for(const Parameters<T>& p, int m, bool masks, bool batch_inputs) {
  size_t total = 0;
  layout(p, m, masks, batch_inputs, [&](int, char, size_t count) {
    total = std::min(kHuge, total + padded_bytes(count, sizeof(T)));
  });
  return total;
}

template <typename T>
Arena<T>::Arena(const Parameters<T>& p, int m, bool masks, bool batch_inputs, LargeBuffer reuse) {
  bytes_ = bytes_for(p, m, masks, batch_inputs);
  if (reuse.size() >= bytes_) {
    memory_ = std::move(reuse);
  } else {
    check_allocation(bytes_, "the training arena (activations and gradients)");
    memory_ = LargeBuffer(bytes_);
  }

  const std::vector<int>& dims = p.dims;
  const int L = p.layers();
  ws_.m = m;
  for (std::vector<T*>* v : {&ws_.Z, &ws_.A, &ws_.H, &ws_.dW, &ws_.db}) v->assign(L + 1, nullptr);
  if (masks) ws_.D.assign(L + 1, nullptr);
  char* cursor = memory_.data();
  layout(p, m, masks, batch_inputs, [&](int l, char what, size_t count) {
    T* view = reinterpret_cast<T*>(cursor);
    cursor += padded_bytes(count, sizeof(T));
    switch (what) {
      case 'Z': ws_.Z[l] = view; break;
      case 'A': ws_.A[l] = view; if (l < L) ws_.Z[l] = ws_.H[l] = view; break;
      case 'H': ws_.Z[l] = ws_.H[l] = view; break;
      case 'D': ws_.D[l] = view; break;
      case 'G':
        ws_.grad_flat = view;
        for (int k = 1; k <= L; ++k) {
          ws_.dW[k] = view;
          view += static_cast<size_t>(dims[k]) * dims[k - 1];
          ws_.db[k] = view;
          view += dims[k];
        }
        break;
      case 'X': X_ = view; break;
      case 'Y': Y_ = view; break;
      default: ws_.scratch[0] = view; break;
    }
  });
}

template <typename T>
void network_forward(Workspace<T>& ws, const Parameters<T>& p, const T* X, const Regularization& reg,
                     int from, bool Z1_ready, int ldx) {
  const int L = p.layers(), m = ws.m;
  for (int l = from; l <= L; ++l) {
    const int n = p.dims[l], k = p.dims[l - 1];
    const long size = static_cast<long>(n) * m;
    const T* A_prev = l == 1 ? X : ws.A[l - 1];
    const int ld_prev = l == 1 && ldx > 0 ? ldx : m;
    if (l == L) {
      gemm<T>(false, false, n, m, k, T(1), p.W[l], k, A_prev, ld_prev, T(0), ws.Z[l], m);
      if (p.head == Head::Softmax) {
        bias_add(ws.Z[l], p.b[l], n, m);
        softmax_forward(ws.A[l], ws.Z[l], n, m);
      } else {
        bias_activation_forward(ws.Z[l], ws.A[l], p.b[l], n, m,
                                p.head == Head::Sigmoid ? Activation::Sigmoid : Activation::Linear);
      }
      break;
    }
    // The activation goes to A, or (lean, dropout, not relu) to H, then A.
    const Activation act = p.hidden(l);
    T* out = ws.H.empty() ? ws.A[l] : ws.H[l];
    if (l == 1 && Z1_ready) {
      bias_activation_forward(ws.Z[1], out, p.b[1], n, m, act);
    } else if (ws.Z[l] == ws.A[l] && act == Activation::Relu && gemm_fusable<T>(false, n, m, k, ld_prev)) {
      // Bias and relu in the product's stores (a few inputs, or a thin layer).
      gemm_fused<T>(Epilogue::BiasRelu, p.b[l], false, n, m, k, p.W[l], k, A_prev, ld_prev, ws.A[l], m);
    } else {
      gemm<T>(false, false, n, m, k, T(1), p.W[l], k, A_prev, ld_prev, T(0), ws.Z[l], m);
      bias_activation_forward(ws.Z[l], out, p.b[l], n, m, act);
    }
    if (out != ws.A[l]) std::copy(out, out + size, ws.A[l]);
    if (reg.dropout()) dropout_forward(ws.A[l], ws.D[l], *reg.rng, reg.keep_prob, size);
  }
}

template <typename T>
void network_backward(Workspace<T>& ws, const Parameters<T>& p, const T* X, const T* Y,
                      BackwardForm form, const Regularization& reg, bool first_dW) {
  const int L = p.layers(), m = ws.m;
  const long outputs = static_cast<long>(p.dims[L]) * m;
  const bool keep = !ws.dA.empty();
  // dZ of the output layer: in scratch (keep), or in place of AL (lean: AL
  // is not needed once the cost is known).
  T* dZ = keep ? ws.scratch[0] : ws.A[L];
  if (p.head == Head::Sigmoid && form == BackwardForm::Notes) {
    if (keep) {
      cost_backward(ws.dA[L], ws.A[L], Y, outputs);
      sigmoid_backward(dZ, ws.dA[L], ws.Z[L], outputs);
    } else {
      output_backward(dZ, ws.A[L], Y, outputs);  // the same arithmetic, fused, with s = AL
    }
  } else {
    // dZ_L = A_L - Y (Week2: times 1./m); the notes' dA{L} then holds it too.
    head_backward(dZ, ws.A[L], Y, outputs);
    if (form == BackwardForm::Week2) scale_by(dZ, T(1.0 / m), outputs);
    if (keep && ws.dA[L]) std::copy(dZ, dZ + outputs, ws.dA[L]);
  }
  for (int l = L; l >= 1; --l) {
    const int n = p.dims[l], k = p.dims[l - 1];
    const long below = static_cast<long>(k) * m;
    const T* A_prev = l == 1 ? X : ws.A[l - 1];
    if (l == 1 && !first_dW) {
      bias_backward(ws.db[1], dZ, n, m, form);
      break;
    }
    // Lean, above a relu layer, when the product fuses (a layer of few
    // units, or a thin product): dZ_{l-1} = W^T dZ masked by relu, in the
    // product's stores, over A_{l-1}; no dA_{l-1}.
    const bool fused = !keep && l > 1 && !reg.dropout() && p.hidden(l - 1) == Activation::Relu &&
                       gemm_fusable<T>(true, k, m, n, m);
    T* dA_prev = keep ? ws.dA[l - 1] : (l == 1 || fused ? nullptr : ws.scratch[0]);
    linear_backward(dA_prev, ws.dW[l], ws.db[l], dZ, A_prev, p.W[l], n, k, m, form);
    if (reg.lambd > 0)
      l2_gradient(ws.dW[l], p.W[l], static_cast<T>(reg.lambd), T(m), static_cast<long>(n) * k);
    if (fused) {
      gemm_fused<T>(Epilogue::ReluMask, ws.Z[l - 1], true, k, m, n, p.W[l], k, dZ, m, ws.A[l - 1], m);
      dZ = ws.A[l - 1];
    } else if (l > 1) {
      if (reg.dropout()) dropout_backward(dA_prev, ws.D[l - 1], static_cast<T>(reg.keep_prob), below);
      // Lean: dZ_{l-1} replaces A_{l-1} (its derivative's source is read before each write).
      T* dZ_prev = keep ? (dZ == ws.scratch[0] ? ws.scratch[1] : ws.scratch[0]) : ws.A[l - 1];
      if (keep) activation_backward_from_input(dZ_prev, dA_prev, ws.Z[l - 1], p.hidden(l - 1), below);
      else activation_backward(dZ_prev, dA_prev, ws.H[l - 1], p.hidden(l - 1), below);
      dZ = dZ_prev;
    }
  }
}

template <typename T>
void network_update(const Parameters<T>& into, const Parameters<T>& p, const Workspace<T>& ws,
                    T learning_rate, bool first_W) {
  for (int l = 1; l <= p.layers(); ++l) {
    const long n = p.dims[l], k = p.dims[l - 1];
    if (l > 1 || first_W) update(into.W[l], p.W[l], ws.dW[l], learning_rate, n * k);
    update(into.b[l], p.b[l], ws.db[l], learning_rate, n);
  }
}

template <typename T>
bool network_step(const Parameters<T>& into, const Parameters<T>& p, Workspace<T>& ws,
                  const T* X, const T* Y, BackwardForm form, const Regularization& reg,
                  T learning_rate, bool next) {
  const int n = p.dims[1], k = p.dims[0], m = ws.m;
  const bool stream = next && ws.dA.empty() && p.layers() >= 2 && gemm_streamable<T>(n, m, k, m);
  network_backward(ws, p, X, Y, form, reg, !stream);
  network_update(into, p, ws, learning_rate, !stream);
  if (!stream) return false;
  // Lean backward leaves dZ1 over A1 (= Z1), which the product then
  // overwrites (gemm_streamed allows it). Per block of X's rows, dW1's
  // columns get what linear_backward, l2_gradient and update do to them.
  T* dW = ws.dW[1];
  gemm_streamed<T>(n, m, k, ws.A[1], m, X, m, dW, k, into.W[1], k, ws.Z[1], m, [&](int k0, int k1) {
    const long len = k1 - k0;
    for (long i = 0; i < n; ++i) {
      T* g = dW + i * k + k0;
      if (form == BackwardForm::Notes) divide_by(g, T(m), len);
      else scale_by(g, T(1) / T(m), len);
      if (reg.lambd > 0) l2_gradient(g, p.W[1] + i * k + k0, static_cast<T>(reg.lambd), T(m), len);
      update(into.W[1] + i * k + k0, p.W[1] + i * k + k0, g, learning_rate, len);
    }
  });
  return true;
}

#define DEEPNET_INSTANTIATE(T)                                                                 \
  template class Arena<T>;                                                                     \
  template void network_forward<T>(Workspace<T>&, const Parameters<T>&, const T*,              \
                                   const Regularization&, int, bool, int);                     \
  template void network_backward<T>(Workspace<T>&, const Parameters<T>&, const T*, const T*,   \
                                    BackwardForm, const Regularization&, bool);                \
  template void network_update<T>(const Parameters<T>&, const Parameters<T>&,                  \
                                  const Workspace<T>&, T, bool);                               \
  template bool network_step<T>(const Parameters<T>&, const Parameters<T>&, Workspace<T>&,     \
                                const T*, const T*, BackwardForm, const Regularization&, T, bool);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
