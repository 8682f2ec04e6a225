// The L-layer network: [LINEAR -> activation]*(L-1) -> LINEAR -> head, with
// the notes' default relu hidden layers and sigmoid head.
//
// Shape legend: dims = [n_0 = n_x, n_1, ..., n_L], K = n_L, m = examples (columns).
//   W[l] (n_l, n_{l-1})   b[l] (n_l, 1)      l = 1..L
//   Z[l], A[l] (n_l, m)   dW[l], db[l] like W[l], b[l]
//   X = A[0] (n_x, m), Y (K, m)
//
// Parameters and Workspace are views: they may point into JavaScript typed
// arrays (the notes' single-step functions) or into an Arena, which carves
// every array of a training step out of one allocation made once, so the
// training loop never allocates.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "activations.h"
#include "backward.h"
#include "heads.h"
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

// Pointers to W[l], b[l] for l = 1..L (index 0 unused), and the layers' kinds.
template <typename T>
struct Parameters {
  Parameters() = default;
  // Views for dims' layers, W and b indexed 1..L (index 0 unused).
  Parameters(std::vector<int> d, std::vector<T*> w, std::vector<T*> bias, std::vector<Activation> a = {},
             Head h = Head::Sigmoid)
      : dims(std::move(d)), W(std::move(w)), b(std::move(bias)), act(std::move(a)), head(h) {}
  std::vector<int> dims;
  std::vector<T*> W, b;
  std::vector<Activation> act;  // act[l] for hidden layers l = 1..L-1; empty: relu
  Head head = Head::Sigmoid;
  // W1, b1, ..., WL, bL as one run (Model's storage), or null (separate arrays).
  T* flat = nullptr;
  int layers() const { return static_cast<int>(dims.size()) - 1; }
  Activation hidden(int l) const { return act.empty() ? Activation::Relu : act[l]; }
  // Number of parameters (every W and b).
  size_t count() const {
    size_t n = 0;
    for (int l = 1; l <= layers(); ++l) n += static_cast<size_t>(dims[l]) * (dims[l - 1] + 1);
    return n;
  }
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
  //    dAL); scratch[0] and scratch[1] are (max_l n_l, m) buffers. Hidden
  //    derivatives are taken from Z.
  //  - lean (dA empty): training. A hidden layer's Z[l] and A[l] share one
  //    buffer (the activation is applied in place and its derivative taken
  //    from its output, see activations.h), each layer's dZ overwrites its A
  //    once A is no longer needed, dA0 is skipped, and one scratch[0] of
  //    (max_{l<L} n_l, m) holds dA of the layer below. This halves the memory
  //    of the cached activations. With dropout on a layer whose activation
  //    is not relu, H[l] keeps the output before dropout (Z[l] = H[l]),
  //    since the dropped-out A[l] no longer gives the derivative.
  std::vector<T*> dA;
  std::vector<T*> H;  // lean: the derivative's source for hidden layers
  T* scratch[2] = {nullptr, nullptr};
  // dW1, db1, ..., dWL, dbL as one run in the parameters' order (the arena's
  // layout), or null.
  T* grad_flat = nullptr;
};

// Owns one allocation holding a lean Workspace (see above) for (p's layers, m):
// A (= Z for hidden layers), Z and A of the output layer, H where needed, the
// gradients in one run, one scratch buffer, and the dropout masks when
// `masks`. With `batch_inputs`, also X (n_x, m) and Y (K, m) buffers a
// mini-batch is gathered into.
template <typename T>
class Arena {
 public:
  // Throws std::bad_alloc when the memory cannot be allocated. `reuse`, when
  // large enough, is taken instead of new memory (its contents are garbage
  // to the arena, as fresh memory would be: every view is written first).
  Arena(const Parameters<T>& p, int m, bool masks = false, bool batch_inputs = false,
        LargeBuffer reuse = LargeBuffer());
  // Gives up the memory, for another arena; this one is unusable after it.
  LargeBuffer release() && { return std::move(memory_); }
  Workspace<T>& workspace() { return ws_; }
  size_t bytes() const { return bytes_; }
  size_t capacity() const { return memory_.size(); }  // bytes() or more, when reused
  T* X() const { return X_; }
  T* Y() const { return Y_; }

  // Bytes an Arena for (p's layers, m) allocates, to refuse a request up front.
  static size_t bytes_for(const Parameters<T>& p, int m, bool masks = false, bool batch_inputs = false);

 private:
  LargeBuffer memory_;
  size_t bytes_ = 0;
  Workspace<T> ws_;
  T* X_ = nullptr;
  T* Y_ = nullptr;
};

// Z[l], A[l] for l = from..L from X: the notes' L_model_forward, with each
// hidden layer's activation and the head. With dropout, masks for the
// hidden layers are drawn from reg.rng into ws.D, in layer order, right
// after each activation (forward_propagation_with_dropout). from > 1
// recomputes only layers from..L, reusing A[from-1]. Z1_ready: Z[1] already
// holds W1 X (network_step computed it), so only its bias and activation remain.
// ldx: X's row stride (0: ws.m, its m columns contiguous; more: a chunk of
// a wider X read in place).
template <typename T>
void network_forward(Workspace<T>& ws, const Parameters<T>& p, const T* X,
                     const Regularization& reg = Regularization(), int from = 1,
                     bool Z1_ready = false, int ldx = 0);

// dW[l], db[l] (and dA[l] when ws.dA is set) from the cached Z, A (and masks):
// the notes' L_model_backward (form Notes), Course 2's backward (Course2) or
// the optimization notebook's (Week2); heads other than sigmoid always start
// from dZ_L = A_L - Y. L2 adds (lambd * W) / m to every dW, dropout masks and
// scales each hidden dA. first_dW false: dW1 is left to network_step's pass over X.
template <typename T>
void network_backward(Workspace<T>& ws, const Parameters<T>& p, const T* X, const T* Y,
                      BackwardForm form = BackwardForm::Notes,
                      const Regularization& reg = Regularization(), bool first_dW = true);

// into = p - learning_rate * grads for every W and b (into may be p itself);
// first_W false: all but W1.
template <typename T>
void network_update(const Parameters<T>& into, const Parameters<T>& p, const Workspace<T>& ws,
                    T learning_rate, bool first_W = true);

// One gradient-descent step after the forward pass and the cost:
// network_backward, then network_update into `into`. With `next` (another
// iteration follows), a lean workspace and a first layer that
// gemm_streamable takes (the cat network's W1 on one thread), dW1, the
// update of W1 and the next iteration's product W1 X (left in Z[1], for
// network_forward's Z1_ready) are done in one pass over X, bit-identical to
// doing them apart; returns whether it did.
template <typename T>
bool network_step(const Parameters<T>& into, const Parameters<T>& p, Workspace<T>& ws,
                  const T* X, const T* Y, BackwardForm form, const Regularization& reg,
                  T learning_rate, bool next);

}  // namespace deepnet
