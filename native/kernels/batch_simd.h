// The vector body of gather_rows (batch.h): a mini-batch gathered from
// examples stored as rows into the network's columns, lanes x lanes blocks
// at a time through in-register transposes (transpose_simd.h), so each
// source row is read in whole vectors and each destination row written in
// them. Pure copies: the reference's bits. 256-bit at both levels (a copy;
// the transposes are AVX's).
//
// Level-generic: see elementwise_level.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {
namespace batch {

// B[i, j] (rows, count) = R[example j, i] for the batch positions e0 <= j < e1,
// example j being idx[j], or j0 + j without idx.
template <typename T>
void gather_rows(T* B, const T* R, const int32_t* idx, long j0, int rows, int count, int e0, int e1) {
  constexpr int L = kLanes256<T>;
  const auto row_of = [&](int j) { return R + (idx ? static_cast<long>(idx[j]) : j0 + j) * rows; };
  int j = e0;
  for (; j + L <= e1; j += L) {
    const T* src[L];
    for (int t = 0; t < L; ++t) src[t] = row_of(j + t);
    int i = 0;
    for (; i + L <= rows; i += L) transpose_block<false>(src, i, B + static_cast<long>(i) * count + j, count);
    for (; i < rows; ++i)
      for (int t = 0; t < L; ++t) B[static_cast<long>(i) * count + j + t] = src[t][i];
  }
  for (; j < e1; ++j) {
    const T* r = row_of(j);
    for (int i = 0; i < rows; ++i) B[static_cast<long>(i) * count + j] = r[i];
  }
}

}  // namespace batch
}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
