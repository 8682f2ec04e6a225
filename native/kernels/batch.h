// Mini-batches: copying a batch's examples out of the training data into the
// arena, so that every layer's products run on contiguous columns.
//
// Shape legend: X (rows, m) holds m examples as columns; a batch of `count`
// examples, idx (count) their column numbers (a permutation's slice, or
// consecutive ones), lands in B (rows, count).
#pragma once

#include <cstdint>

namespace deepnet {

// B[i, j] = X[i, idx[j]]  (the notebook's shuffled_X[:, k * size : (k + 1) * size])
template <typename T>
void gather_columns(T* B, const T* X, const int32_t* idx, int rows, long m, int count);

// B[i, j] = X[i, j0 + j]: consecutive examples (unshuffled batches, evaluation chunks).
template <typename T>
void copy_columns(T* B, const T* X, int rows, long m, long j0, int count);

// B[i, j] = R[idx[j], i] for R (m, rows) holding the examples as rows: the
// gather and the transpose to columns in one pass. idx null: consecutive
// examples from j0.
template <typename T>
void gather_rows(T* B, const T* R, const int32_t* idx, long j0, int rows, int count);

// T (cols, rows) = X (rows, cols)^T, in cache-sized tiles.
template <typename T>
void transpose(T* out, const T* X, int rows, long cols);

namespace reference {
// gather_rows for the batch positions e0 <= j < e1, element by element (the
// vector body's twin, tested against it).
template <typename T>
void gather_rows(T* B, const T* R, const int32_t* idx, long j0, int rows, int count, int e0, int e1);
}  // namespace reference

}  // namespace deepnet
