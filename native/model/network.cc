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

// Visits every view of the lean arena in layout order: (layer, kind, count).
// 'A' of a hidden layer also serves as its Z.
template <typename Visit>
void layout(const std::vector<int>& dims, int m, bool masks, Visit visit) {
  const int L = static_cast<int>(dims.size()) - 1;
  size_t widest_hidden = 0;
  for (int l = 1; l <= L; ++l) {
    const size_t n = dims[l], k = dims[l - 1];
    if (l == L) visit(l, 'Z', n * m);
    visit(l, 'A', n * m);
    visit(l, 'W', n * k);
    visit(l, 'b', n);
    if (l < L) {
      if (masks) visit(l, 'D', n * m);
      widest_hidden = std::max(widest_hidden, n * m);
    }
  }
  if (widest_hidden > 0) visit(0, 's', widest_hidden);
}

}  // namespace

template <typename T>
size_t Arena<T>::bytes_for(const std::vector<int>& dims, int m, bool masks) {
  size_t total = 0;
  layout(dims, m, masks, [&](int, char, size_t count) { total = std::min(kHuge, total + padded_bytes(count, sizeof(T))); });
  return total;
}

template <typename T>
Arena<T>::Arena(const std::vector<int>& dims, int m, bool masks) {
  bytes_ = bytes_for(dims, m, masks);
  check_allocation(bytes_, "the training arena (activations and gradients)");
  memory_ = LargeBuffer(bytes_);

  const int L = static_cast<int>(dims.size()) - 1;
  ws_.m = m;
  ws_.Z.assign(L + 1, nullptr);
  ws_.A.assign(L + 1, nullptr);
  ws_.dW.assign(L + 1, nullptr);
  ws_.db.assign(L + 1, nullptr);
  if (masks) ws_.D.assign(L + 1, nullptr);
  char* cursor = memory_.data();
  layout(dims, m, masks, [&](int l, char what, size_t count) {
    T* view = reinterpret_cast<T*>(cursor);
    cursor += padded_bytes(count, sizeof(T));
    switch (what) {
      case 'Z': ws_.Z[l] = view; break;
      case 'A': ws_.A[l] = view; if (l < L) ws_.Z[l] = view; break;
      case 'W': ws_.dW[l] = view; break;
      case 'b': ws_.db[l] = view; break;
      case 'D': ws_.D[l] = view; break;
      default: ws_.scratch[l] = view; break;
    }
  });
}

template <typename T>
void network_forward(Workspace<T>& ws, const Parameters<T>& p, const T* X, const Regularization& reg,
                     int from, bool Z1_ready) {
  const int L = p.layers(), m = ws.m;
  for (int l = from; l <= L; ++l) {
    const int n = p.dims[l], k = p.dims[l - 1];
    const T* A_prev = l == 1 ? X : ws.A[l - 1];
    if (l == 1 && Z1_ready) {
      bias_activation_forward(ws.Z[1], ws.A[1], p.b[1], n, m,
                              L == 1 ? Activation::Sigmoid : Activation::Relu);
    } else if (l < L && ws.Z[l] == ws.A[l] && gemm_fusable(k)) {
      // A 2-D input layer: bias and relu in the product's stores.
      gemm_fused<T>(Epilogue::BiasRelu, p.b[l], false, n, m, k, p.W[l], k, A_prev, m, ws.A[l], m);
    } else {
      gemm<T>(false, false, n, m, k, T(1), p.W[l], k, A_prev, m, T(0), ws.Z[l], m);
      bias_activation_forward(ws.Z[l], ws.A[l], p.b[l], n, m,
                              l == L ? Activation::Sigmoid : Activation::Relu);
    }
    if (l < L && reg.dropout())
      dropout_forward(ws.A[l], ws.D[l], *reg.rng, reg.keep_prob, static_cast<long>(n) * m);
  }
}

template <typename T>
void network_backward(Workspace<T>& ws, const Parameters<T>& p, const T* X, const T* Y,
                      BackwardForm form, const Regularization& reg, bool first_dW) {
  const int L = p.layers(), m = ws.m;
  const bool keep = !ws.dA.empty();
  // dZ of the output layer: in scratch (keep), or in place of AL (lean: AL
  // is not needed once the cost is known).
  T* dZ = keep ? ws.scratch[0] : ws.A[L];
  if (form == BackwardForm::Course2) {
    output_backward_course2(dZ, ws.A[L], Y, m);
  } else if (keep) {
    cost_backward(ws.dA[L], ws.A[L], Y, m);
    sigmoid_backward(dZ, ws.dA[L], ws.Z[L], m);
  } else {
    output_backward(dZ, ws.A[L], Y, m);  // the same arithmetic, fused, with s = AL
  }
  for (int l = L; l >= 1; --l) {
    const int n = p.dims[l], k = p.dims[l - 1];
    const long below = static_cast<long>(k) * m;
    const T* A_prev = l == 1 ? X : ws.A[l - 1];
    if (l == 1 && !first_dW) {
      bias_backward(ws.db[1], dZ, n, m, form);
      break;
    }
    // Lean, after a layer of few units (n <= 4): dZ_{l-1} = W^T dZ masked by
    // relu, in the product's stores, over A_{l-1}; no dA_{l-1}.
    const bool fused = !keep && l > 1 && !reg.dropout() && gemm_fusable(n);
    T* dA_prev = keep ? ws.dA[l - 1] : (l == 1 || fused ? nullptr : ws.scratch[0]);
    linear_backward(dA_prev, ws.dW[l], ws.db[l], dZ, A_prev, p.W[l], n, k, m, form);
    if (reg.lambd > 0)
      l2_gradient(ws.dW[l], p.W[l], static_cast<T>(reg.lambd), T(m), static_cast<long>(n) * k);
    if (fused) {
      gemm_fused<T>(Epilogue::ReluMask, ws.Z[l - 1], true, k, m, n, p.W[l], k, dZ, m, ws.A[l - 1], m);
      dZ = ws.A[l - 1];
    } else if (l > 1) {
      if (reg.dropout()) dropout_backward(dA_prev, ws.D[l - 1], static_cast<T>(reg.keep_prob), below);
      // Lean: dZ_{l-1} replaces A_{l-1} (its mask, read before each write).
      T* dZ_prev = keep ? (dZ == ws.scratch[0] ? ws.scratch[1] : ws.scratch[0]) : ws.A[l - 1];
      relu_backward(dZ_prev, dA_prev, ws.Z[l - 1], below);
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
                                   const Regularization&, int, bool);                          \
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
