#include "network.h"

#include <algorithm>
#include <cstdlib>
#include <new>
#include <utility>

#include "backward.h"
#include "forward.h"
#include "gemm.h"
#include "update.h"

namespace deepnet {

namespace {

constexpr size_t kAlign = 64;  // cache line; also keeps every view SIMD-aligned

size_t padded_bytes(size_t count, size_t elem) {
  return (count * elem + kAlign - 1) / kAlign * kAlign;
}

// Visits every view of the arena in layout order: (count) per array.
template <typename Visit>
void layout(const std::vector<int>& dims, int m, Visit visit) {
  const int L = static_cast<int>(dims.size()) - 1;
  size_t widest = 0;
  for (int l = 1; l <= L; ++l) {
    const size_t n = dims[l], k = dims[l - 1];
    visit(l, 'Z', n * m);
    visit(l, 'A', n * m);
    visit(l, 'W', n * k);
    visit(l, 'b', n);
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
size_t Arena<T>::bytes_for(const std::vector<int>& dims, int m) {
  size_t total = 0;
  layout(dims, m, [&](int, char, size_t count) { total += padded_bytes(count, sizeof(T)); });
  return total;
}

template <typename T>
Arena<T>::Arena(const std::vector<int>& dims, int m) {
  bytes_ = bytes_for(dims, m);
  void* mem = std::aligned_alloc(kAlign, std::max(bytes_, kAlign));
  if (!mem) throw std::bad_alloc();
  memory_.reset(static_cast<char*>(mem));

  const int L = static_cast<int>(dims.size()) - 1;
  ws_.m = m;
  ws_.Z.assign(L + 1, nullptr);
  ws_.A.assign(L + 1, nullptr);
  ws_.dW.assign(L + 1, nullptr);
  ws_.db.assign(L + 1, nullptr);
  char* cursor = memory_.get();
  layout(dims, m, [&](int l, char what, size_t count) {
    T* view = reinterpret_cast<T*>(cursor);
    cursor += padded_bytes(count, sizeof(T));
    switch (what) {
      case 'Z': ws_.Z[l] = view; break;
      case 'A': ws_.A[l] = view; break;
      case 'W': ws_.dW[l] = view; break;
      case 'b': ws_.db[l] = view; break;
      default: ws_.scratch[l] = view; break;
    }
  });
}

template <typename T>
void network_forward(Workspace<T>& ws, const Parameters<T>& p, const T* X) {
  const int L = p.layers(), m = ws.m;
  const T* A_prev = X;
  for (int l = 1; l <= L; ++l) {
    const int n = p.dims[l], k = p.dims[l - 1];
    gemm<T>(false, false, n, m, k, T(1), p.W[l], k, A_prev, m, T(0), ws.Z[l], m);
    bias_activation_forward(ws.Z[l], ws.A[l], p.b[l], n, m,
                            l == L ? Activation::Sigmoid : Activation::Relu);
    A_prev = ws.A[l];
  }
}

template <typename T>
void network_backward(Workspace<T>& ws, const Parameters<T>& p, const T* X, const T* Y) {
  const int L = p.layers(), m = ws.m;
  const bool keep_dA = !ws.dA.empty();
  T* dZ = ws.scratch[0];
  T* below = ws.scratch[1];
  if (keep_dA) {
    cost_backward(ws.dA[L], ws.A[L], Y, m);
    sigmoid_backward(dZ, ws.dA[L], ws.Z[L], m);
  } else {
    output_backward(dZ, ws.A[L], Y, m);  // same arithmetic, fused, s = AL
  }
  for (int l = L; l >= 1; --l) {
    const int n = p.dims[l], k = p.dims[l - 1];
    const T* A_prev = l == 1 ? X : ws.A[l - 1];
    T* dA_prev = keep_dA ? ws.dA[l - 1] : (l == 1 ? nullptr : below);
    linear_backward(dA_prev, ws.dW[l], ws.db[l], dZ, A_prev, p.W[l], n, k, m);
    if (l > 1) {
      relu_backward(below, dA_prev, ws.Z[l - 1], static_cast<long>(k) * m);
      std::swap(dZ, below);
    }
  }
}

template <typename T>
void network_update(const Parameters<T>& p, const Workspace<T>& ws, T learning_rate) {
  for (int l = 1; l <= p.layers(); ++l) {
    const long n = p.dims[l], k = p.dims[l - 1];
    update(p.W[l], ws.dW[l], learning_rate, n * k);
    update(p.b[l], ws.db[l], learning_rate, n);
  }
}

#define DEEPNET_INSTANTIATE(T)                                                                \
  template class Arena<T>;                                                                    \
  template void network_forward<T>(Workspace<T>&, const Parameters<T>&, const T*);            \
  template void network_backward<T>(Workspace<T>&, const Parameters<T>&, const T*, const T*); \
  template void network_update<T>(const Parameters<T>&, const Workspace<T>&, T);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
