// The training loop, all native: epochs of (mini-)batches, each
// forward -> cost -> backward -> optimizer step, with shuffling, learning-rate
// decay, validation and early stopping, over one arena (nothing is allocated
// per step).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>

#include "communicator.h"
#include "network.h"
#include "optimizers.h"

namespace deepnet {

// How the reported cost is computed.
enum class CostForm {
  Notes,    // compute_cost: -sum(log(AL)*Y + log(1-AL)*(1-Y)) / m
  Course2,  // reg_utils.compute_cost: 1./m * nansum(...)
  Logits,   // each head's cost from its logits (heads.h): never NaN or Infinity (Model)
};

// Learning-rate decay after each epoch (Course 2 Week 2), from lr0 at epoch e
// (counted over every fit of a model):
enum class Decay {
  None,
  Inverse,  // update_lr:         lr0 / (1 + rate * e)
  Step,     // schedule_lr_decay: lr0 / (1 + rate * floor(e / interval))
};

inline double decayed_learning_rate(double lr0, Decay decay, double rate, long interval, long epoch) {
  if (decay == Decay::Inverse) return lr0 / (1 + rate * static_cast<double>(epoch));
  if (decay == Decay::Step) return lr0 / (1 + rate * static_cast<double>(epoch / interval));
  return lr0;
}

// What a training step keeps between steps (and between fits, and in model
// files): Adam's and momentum's moving averages and the step count.
template <typename T>
struct OptimizerState {
  T* v = nullptr;  // like the flat parameters; null when the optimizer has none
  T* s = nullptr;
  long t = 0;      // steps taken (Adam's bias correction)
};

// Examples held out to watch generalization: a cost (and accuracy) per epoch.
template <typename T>
struct Validation {
  const T* X = nullptr;  // (n_x, m), or (m, n_x) with X_rows
  const T* Y = nullptr;  // (K, m)
  int m = 0;
  bool X_rows = false;
};

struct EarlyStopping {
  long patience = 0;       // 0: off. Epochs without improvement before stopping
  double min_delta = 0.0;  // an improvement must lower the watched cost by more than this
  bool restore_best = true;
  // Where it stands, carried from one call to the next when a fit runs in
  // several (checkpoints): the best watched cost and the epochs since.
  double best_cost = std::numeric_limits<double>::infinity();
  long since_best = 0;
};

struct TrainSettings {
  double learning_rate = 0.0075;
  long epochs = 3000;    // passes over the data (with full batches: iterations)
  long log_every = 100;  // on_log runs at epoch % log_every == 0 (0: never)
  CostForm cost = CostForm::Notes;
  BackwardForm backward = BackwardForm::Notes;
  Regularization reg;
  OptimizerSettings optimizer;
  // Examples per step; 0 (or >= m): every example at once, the data used in place.
  int batch_size = 0;
  // X is given as rows (m, n_x): batches are gathered (and transposed) from
  // contiguous rows; a full batch is transposed into the arena once.
  bool X_rows = false;
  // Shuffle the examples before each epoch's batches: with shuffle_seed >= 0,
  // a generator seeded with shuffle_seed + e + 1 before epoch e (the
  // notebook's random_mini_batches(seed = seed + 1)), else draws from `rng`.
  bool shuffle = false;
  long long shuffle_seed = -1;
  RandomState* rng = nullptr;
  Decay decay = Decay::None;
  double decay_rate = 0.0;
  long decay_interval = 1000;
  // Epochs trained before this call: epoch numbers for shuffle seeds and
  // decay continue from here.
  long first_epoch = 0;
  // >= 0: re-seed reg.rng with it before every forward pass, as the course's
  // forward_propagation_with_dropout does (every step gets the same masks).
  long long dropout_seed = -1;
  // Stop, before the update, when the cost or a gradient is not finite, or
  // when the update would make a parameter non-finite (needs `spare`).
  bool stop_on_divergence = false;
  // Set from another thread to stop at the next step.
  const std::atomic<bool>* cancel = nullptr;
  // Data parallelism (communicator.h): the processes of `comm` train together,
  // each on its share of every batch; one allreduce per step adds up their
  // gradient sums (and costs), and every process applies the same update.
  // Replicated (every process passed the same X, Y): process r takes the
  // contiguous block r of a full batch, or the positions r, r + size, ... of
  // each shuffled mini-batch. Sharded: each passed its own examples (the same
  // number each for mini-batches; batch_size is the whole step's).
  Communicator* comm = nullptr;
  bool sharded = false;
  // > 0: compare the processes' parameter fingerprints every this many steps
  // (they are always compared at the end).
  long check_every = 0;
};

// One epoch's numbers, for progress reports.
struct EpochReport {
  long epoch;             // 0-based, within this call
  double cost;            // the epoch's cost (the mean over its batches, weighted by size)
  double val_cost;        // NaN without validation
  double val_accuracy;    // NaN without validation or for the linear head
  double learning_rate;   // the rate this epoch used
  bool stopping;          // early stopping ends training after this epoch
};

// Called after every logged epoch (epoch % log_every == 0, and the epoch
// early stopping ends on); return false to stop there.
using TrainLog = std::function<bool(const EpochReport&)>;

struct TrainResult {
  enum class Stop { Finished, Cancelled, ByCallback, Diverged, EarlyStopped };
  long completed = 0;  // epochs whose every step was applied
  long steps = 0;      // optimizer steps taken in this call
  Stop stop = Stop::Finished;
  const char* diverged_what = nullptr;  // "cost", "gradient" or "parameters"
  long best_epoch = -1;                 // early stopping: this call's best epoch so far (-1: none in this call)
  double communication_seconds = 0;     // data parallelism: time spent in the allreduces
};

// Per-epoch outputs of train(); any may be null. Each holds `epochs` entries.
struct TrainHistory {
  double* costs = nullptr;
  double* val_costs = nullptr;
  double* val_accuracies = nullptr;
  double* learning_rates = nullptr;
};

// The cost of the current forward pass (+ the L2 term when reg.lambd > 0).
template <typename T>
double network_cost(const Workspace<T>& ws, const Parameters<T>& p, const T* Y, CostForm form,
                    const Regularization& reg);

// The cost and the accuracy (NaN for the linear head) on (X, Y) without
// dropout, in chunks of at most `chunk` examples so that memory stays small.
// X_rows: X is (m, n_x).
template <typename T>
void network_evaluate(const Parameters<T>& p, const T* X, const T* Y, int m, int chunk,
                      double lambd, double* cost, double* accuracy, bool X_rows = false);

// AL (K, m) on X without dropout, in chunks of at most `chunk` examples.
// With check_finite, each chunk's inputs are checked first (by the thread
// that computes it, while they are in cache): false when one holds a NaN or
// an infinity, and the chunks not yet computed are left out (AL incomplete).
template <typename T>
bool network_predict(const Parameters<T>& p, const T* X, int m, int chunk, T* AL, bool X_rows = false,
                     bool check_finite = false);

// Trains p on X (n_x, m) (or (m, n_x), settings.X_rows), Y (K, m). With stop_on_divergence, `spare` has
// the shapes of p (and its own flat run when p has one): updates go there
// and p and spare swap pointers, so p always holds the last finite
// parameters. Otherwise spare may be null and p is updated in place.
// `state` holds v and s when the optimizer needs them (flat parameters only);
// `best` (like p's flat run) receives the best epoch's parameters under early
// stopping. The costs of full-batch gradient descent are the notes' (cost of
// each iteration before its update); with mini-batches, each batch's cost is
// taken before its step and the epoch's cost is their size-weighted mean.
// `early` is updated with where early stopping stands at the end.
template <typename T>
TrainResult train(Parameters<T>& p, Parameters<T>* spare, const T* X, const T* Y, int m,
                  const TrainSettings& settings, OptimizerState<T>* state,
                  const Validation<T>& validation, EarlyStopping& early, T* best,
                  const TrainHistory& history, const TrainLog& on_log);

}  // namespace deepnet
