// The L-layer network [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID.
//
// Shape legend: dims = [n_0 = n_x, n_1, ..., n_L], m = examples (columns).
//   W[l] (n_l, n_{l-1})   b[l] (n_l, 1)      l = 1..L
//   Z[l], A[l] (n_l, m)   dW[l], db[l] like W[l], b[l]
//   X = A[0] (n_x, m), Y (1, m)
//
// Parameters and Workspace are views: they may point into JavaScript typed
// arrays (the notes' single-step functions) or into an Arena, which carves
// every array of a training iteration out of one allocation made once, so the
// training loop never allocates.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "backward.h"
#include "memory.h"
#include "rng.h"

namespace deepnet {

// Course 2's regularizers, both off by default.
struct Regularization {
  double lambd = 0.0;          // L2 strength; 0 = off
  double keep_prob = 1.0;      // inverted dropout on hidden layers; 1 = off
  RandomState* rng = nullptr;  // source of the dropout masks (needed when keep_prob < 1)
  bool dropout() const { return keep_prob < 1.0; }
};

// Pointers to W[l], b[l] for l = 1..L (index 0 unused).
template <typename T>
struct Parameters {
  std::vector<int> dims;
  std::vector<T*> W, b;
  int layers() const { return static_cast<int>(dims.size()) - 1; }
};

template <typename T>
struct Workspace {
  int m = 0;
  std::vector<T*> Z, A, dW, db;  // index 1..L
  // Dropout masks D[l] (n_l, m) of 0/1 for hidden layers l = 1..L-1, when used.
  std::vector<T*> D;
  // Two ways to run backward:
  //  - keep (dA set, index 0..L): the notes' functions. Nothing is overwritten;
  //    dJ/dA^[l] is stored for every l (dA[0] = dJ/dX, dA[L] = the notes'
  //    dAL); scratch[0] and scratch[1] are (max_l n_l, m) buffers.
  //  - lean (dA empty): training. Hidden layers' Z[l] and A[l] share one
  //    buffer (relu_backward masks on Z <= 0, which is A <= 0), each layer's
  //    dZ overwrites its A once A is no longer needed, dA0 is skipped, and one
  //    scratch[0] of (max_{l<L} n_l, m) holds dA of the layer below. This
  //    halves the memory of the cached activations.
  std::vector<T*> dA;
  T* scratch[2] = {nullptr, nullptr};
};

// Owns one allocation holding a lean Workspace (see above): A (= Z for hidden
// layers), Z and A of the output layer, dW, db, one scratch buffer, and the
// dropout masks when `masks`, for (dims, m).
template <typename T>
class Arena {
 public:
  // Throws std::bad_alloc when the memory cannot be allocated.
  Arena(const std::vector<int>& dims, int m, bool masks = false);
  Workspace<T>& workspace() { return ws_; }
  size_t bytes() const { return bytes_; }

  // Bytes an Arena for (dims, m) allocates, to refuse a request up front.
  static size_t bytes_for(const std::vector<int>& dims, int m, bool masks = false);

 private:
  LargeBuffer memory_;
  size_t bytes_ = 0;
  Workspace<T> ws_;
};

// Z[l], A[l] for l = from..L from X: the notes' L_model_forward. With
// dropout, masks for the hidden layers are drawn from reg.rng into ws.D, in
// layer order, right after each ReLU (forward_propagation_with_dropout).
// from > 1 recomputes only layers from..L, reusing A[from-1]. Z1_ready:
// Z[1] already holds W1 X (network_step computed it), so only its bias and
// activation remain.
template <typename T>
void network_forward(Workspace<T>& ws, const Parameters<T>& p, const T* X,
                     const Regularization& reg = Regularization(), int from = 1,
                     bool Z1_ready = false);

// dW[l], db[l] (and dA[l] when ws.dA is set) from the cached Z, A (and masks):
// the notes' L_model_backward (form Notes) or Course 2's backward (Course2);
// L2 adds (lambd * W) / m to every dW, dropout masks and scales each hidden dA.
// first_dW false: dW1 is left to network_step's pass over X.
template <typename T>
void network_backward(Workspace<T>& ws, const Parameters<T>& p, const T* X, const T* Y,
                      BackwardForm form = BackwardForm::Notes,
                      const Regularization& reg = Regularization(), bool first_dW = true);

// into = p - learning_rate * grads for every W and b (into may be p itself);
// first_W false: all but W1.
template <typename T>
void network_update(const Parameters<T>& into, const Parameters<T>& p, const Workspace<T>& ws,
                    T learning_rate, bool first_W = true);

// One training step after the forward pass and the cost: network_backward,
// then network_update into `into`. With `next` (another iteration follows),
// a lean workspace and a first layer that gemm_streamable takes (the cat
// network's W1 on one thread), dW1, the update of W1 and the next
// iteration's product W1 X (left in Z[1], for network_forward's Z1_ready)
// are done in one pass over X, bit-identical to doing them apart; returns
// whether it did.
template <typename T>
bool network_step(const Parameters<T>& into, const Parameters<T>& p, Workspace<T>& ws,
                  const T* X, const T* Y, BackwardForm form, const Regularization& reg,
                  T learning_rate, bool next);

}  // namespace deepnet
