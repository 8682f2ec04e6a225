// The arguments of NativeModel.fit / fitSync, read in two phases: first every
// JavaScript value (object fields, strings, numbers: reading them may run
// getters or toString), then the typed arrays' memory, with no JavaScript in
// between, so no script can detach or shrink a buffer after its pointer is taken.
//
//   fitSync(X, Y, m, settings, onProgress, history, validation)
//     settings   { learningRate, epochs, logEvery, optimizer, beta, beta1, beta2,
//                  epsilon, batchSize, shuffle, shuffleSeed, decay, decayRate,
//                  decayInterval, firstEpoch, patience, minDelta, restoreBest,
//                  bestCost, sinceBest, xRows? }   (early stopping's state, carried
//                  between calls; xRows: X is (m, n_x), one example per row;
//                  distributed?: true | { sharded, checkEvery }, over MPI)
//     history    { costs, valCosts, valAccuracies, learningRates }: Float64Array (epochs)
//     validation null or { X, Y, m, rows? }
// The TypeScript layer has validated every value; these checks only keep
// memory safe and counts sane.
#pragma once

#include <napi.h>

#include "args.h"
#include "train.h"

namespace deepnet {
namespace addon {

// Phase 1: the values of `settings`; throws a JS error for a missing or
// non-finite field.
TrainSettings fit_settings(const Napi::Value& settings);
EarlyStopping early_stopping(const Napi::Value& settings);

// The JavaScript handles of one fit's arrays, collected in phase 1.
struct FitValues {
  Napi::Value X, Y, costs, val_costs, val_accuracies, learning_rates, val_X, val_Y;
  int m = 0, val_m = 0;
  bool val_rows = false;
};
FitValues fit_values(const Napi::CallbackInfo& info);

// Phase 2: their memory, checked against the dtype and the shapes.
struct FitArrays {
  Array X, Y, costs, val_costs, val_accuracies, learning_rates, val_X, val_Y;
  bool has_validation = false;
};
FitArrays fit_arrays(const FitValues& v, DType dtype, int n_x, int K, long epochs);

// Whether the same memory (pointer and length) is still behind every array:
// a progress callback may have detached or shrunk one.
bool same_arrays(const FitArrays& a, const FitArrays& b);

}  // namespace addon
}  // namespace deepnet
