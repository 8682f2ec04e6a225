#include "network.h"

#include <algorithm>
#include <cstdlib>
#include <new>
#include <utility>

#include "backward.h"
#include "dropout.h"
#include "forward.h"
#include "gemm.h"
#include "l2.h"
#include "update.h"

namespace deepnet {

namespace {

constexpr size_t kAlign = 64;  // cache line; also keeps every view SIMD-aligned

size_t padded_bytes(size_t count, size_t elem) {
  return (count * elem + kAlign - 1) / kAlign * kAlign;
}

// Visits every view of the arena in layout order: (layer, kind, count).
template <typename Visit>
void layout(const std::vector<int>& dims, int m, bool masks, Visit visit) {
  const int L = static_cast<int>(dims.size()) - 1;
  size_t widest = 0;
  for (int l = 1; l <= L; ++l) {
    const size_t n = dims[l], k = dims[l - 1];
    visit(l, 'Z', n * m);
    visit(l, 'A', n * m);
    visit(l, 'W', n * k);
    visit(l, 'b', n);
    if (masks && l < L) visit(l, 'D', n * m);
    widest = std::max(widest, n * m);
  }
  visit(0, 's', widest);
  visit(1, 's', widest);
}

}  // namespace

template <typename T>
void Arena<T>::Free::operator()(void* p) const {
  std::free(p);
}

template <typename T>
size_t Arena<T>::bytes_for(const std::vector<int>& dims, int m, bool masks) {
  size_t total = 0;
  layout(dims, m, masks, [&](int, char, size_t count) { total += padded_bytes(count, sizeof(T)); });
  return total;
}

template <typename T>
Arena<T>::Arena(const std::vector<int>& dims, int m, bool masks) {
  bytes_ = bytes_for(dims, m, masks);
  void* mem = std::aligned_alloc(kAlign, std::max(bytes_, kAlign));
  if (!mem) throw std::bad_alloc();
  memory_.reset(static_cast<char*>(mem));

  const int L = static_cast<int>(dims.size()) - 1;
  ws_.m = m;
  ws_.Z.assign(L + 1, nullptr);
  ws_.A.assign(L + 1, nullptr);
  ws_.dW.assign(L + 1, nullptr);
  ws_.db.assign(L + 1, nullptr);
  if (masks) ws_.D.assign(L + 1, nullptr);
  char* cursor = memory_.get();
  layout(dims, m, masks, [&](int l, char what, size_t count) {
    T* view = reinterpret_cast<T*>(cursor);
    cursor += padded_bytes(count, sizeof(T));
    switch (what) {
      case 'Z': ws_.Z[l] = view; break;
      case 'A': ws_.A[l] = view; break;
      case 'W': ws_.dW[l] = view; break;
      case 'b': ws_.db[l] = view; break;
      case 'D': ws_.D[l] = view; break;
      default: ws_.scratch[l] = view; break;
    }
  });
}

template <typename T>
void network_forward(Workspace<T>& ws, const Parameters<T>& p, const T* X, const Regularization& reg,
                     int from) {
  const int L = p.layers(), m = ws.m;
  for (int l = from; l <= L; ++l) {
    const int n = p.dims[l], k = p.dims[l - 1];
    const T* A_prev = l == 1 ? X : ws.A[l - 1];
    gemm<T>(false, false, n, m, k, T(1), p.W[l], k, A_prev, m, T(0), ws.Z[l], m);
    bias_activation_forward(ws.Z[l], ws.A[l], p.b[l], n, m,
                            l == L ? Activation::Sigmoid : Activation::Relu);
    if (l < L && reg.dropout())
      dropout_forward(ws.A[l], ws.D[l], *reg.rng, reg.keep_prob, static_cast<long>(n) * m);
  }
}

template <typename T>
void network_backward(Workspace<T>& ws, const Parameters<T>& p, const T* X, const T* Y,
                      BackwardForm form, const Regularization& reg) {
  const int L = p.layers(), m = ws.m;
  const bool keep_dA = !ws.dA.empty();
  T* dZ = ws.scratch[0];
  T* below = ws.scratch[1];
  if (form == BackwardForm::Course2) {
    output_backward_course2(dZ, ws.A[L], Y, m);
  } else if (keep_dA) {
    cost_backward(ws.dA[L], ws.A[L], Y, m);
    sigmoid_backward(dZ, ws.dA[L], ws.Z[L], m);
  } else {
    output_backward(dZ, ws.A[L], Y, m);  // the same arithmetic, fused, with s = AL
  }
  for (int l = L; l >= 1; --l) {
    const int n = p.dims[l], k = p.dims[l - 1];
    const long below_size = static_cast<long>(k) * m;
    const T* A_prev = l == 1 ? X : ws.A[l - 1];
    T* dA_prev = keep_dA ? ws.dA[l - 1] : (l == 1 ? nullptr : below);
    linear_backward(dA_prev, ws.dW[l], ws.db[l], dZ, A_prev, p.W[l], n, k, m, form);
    if (reg.lambd > 0)
      l2_gradient(ws.dW[l], p.W[l], static_cast<T>(reg.lambd), T(m), static_cast<long>(n) * k);
    if (l > 1) {
      if (reg.dropout()) dropout_backward(dA_prev, ws.D[l - 1], static_cast<T>(reg.keep_prob), below_size);
      relu_backward(below, dA_prev, ws.Z[l - 1], below_size);
      std::swap(dZ, below);
    }
  }
}

template <typename T>
void network_update(const Parameters<T>& into, const Parameters<T>& p, const Workspace<T>& ws,
                    T learning_rate) {
  for (int l = 1; l <= p.layers(); ++l) {
    const long n = p.dims[l], k = p.dims[l - 1];
    update(into.W[l], p.W[l], ws.dW[l], learning_rate, n * k);
    update(into.b[l], p.b[l], ws.db[l], learning_rate, n);
  }
}

#define DEEPNET_INSTANTIATE(T)                                                                 \
  template class Arena<T>;                                                                     \
  template void network_forward<T>(Workspace<T>&, const Parameters<T>&, const T*,              \
                                   const Regularization&, int);                                \
  template void network_backward<T>(Workspace<T>&, const Parameters<T>&, const T*, const T*,   \
                                    BackwardForm, const Regularization&);                      \
  template void network_update<T>(const Parameters<T>&, const Parameters<T>&,                  \
                                  const Workspace<T>&, T);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
