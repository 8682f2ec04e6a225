#include "batch.h"

#include <algorithm>
#include <cstring>

#include "elementwise.h"
#include "threads.h"

namespace deepnet {

template <typename T>
void gather_columns(T* B, const T* X, const int32_t* idx, int rows, long m, int count) {
  parallel_rows(rows, count, [&](long r0, long r1) {
    for (long i = r0; i < r1; ++i) {
      const T* x = X + i * m;
      T* b = B + i * count;
      for (int j = 0; j < count; ++j) b[j] = x[idx[j]];
    }
  });
}

template <typename T>
void copy_columns(T* B, const T* X, int rows, long m, long j0, int count) {
  parallel_rows(rows, count, [&](long r0, long r1) {
    for (long i = r0; i < r1; ++i) std::memcpy(B + i * count, X + i * m + j0, sizeof(T) * count);
  });
}

namespace reference {
template <typename T>
void gather_rows(T* B, const T* R, const int32_t* idx, long j0, int rows, int count, int e0, int e1) {
  for (int j = e0; j < e1; ++j) {
    const T* r = R + (idx ? static_cast<long>(idx[j]) : j0 + j) * rows;
    for (int i = 0; i < rows; ++i) B[static_cast<long>(i) * count + j] = r[i];
  }
}
}  // namespace reference

template <typename T>
void gather_rows(T* B, const T* R, const int32_t* idx, long j0, int rows, int count) {
  // Blocks of 16 examples per task: each source row is read once,
  // contiguously, and the writes of one block stay in a few cache lines per
  // destination row (the vector body transposes them in registers).
  constexpr int kBlock = 16;
  const ElementwiseKernels<T>* simd = simd_elementwise<T>();
  parallel_rows((count + kBlock - 1) / kBlock, static_cast<long>(kBlock) * rows, [&](long q0, long q1) {
    const int e0 = static_cast<int>(q0 * kBlock), e1 = static_cast<int>(std::min<long>(count, q1 * kBlock));
    if (simd) simd->gather_rows(B, R, idx, j0, rows, count, e0, e1);
    else reference::gather_rows(B, R, idx, j0, rows, count, e0, e1);
  });
}

template <typename T>
void transpose(T* out, const T* X, int rows, long cols) {
  constexpr long kTile = 32;
  parallel_rows((cols + kTile - 1) / kTile, kTile * static_cast<long>(rows), [&](long q0, long q1) {
    for (long j0 = q0 * kTile; j0 < std::min(cols, q1 * kTile); j0 += kTile) {
      const long j1 = std::min(cols, j0 + kTile);
      for (long i0 = 0; i0 < rows; i0 += kTile) {
        const long i1 = std::min<long>(rows, i0 + kTile);
        for (long i = i0; i < i1; ++i)
          for (long j = j0; j < j1; ++j) out[j * rows + i] = X[i * cols + j];
      }
    }
  });
}

#define DEEPNET_INSTANTIATE(T)                                                           \
  template void gather_columns<T>(T*, const T*, const int32_t*, int, long, int);        \
  template void copy_columns<T>(T*, const T*, int, long, long, int);                    \
  template void gather_rows<T>(T*, const T*, const int32_t*, long, int, int);            \
  template void reference::gather_rows<T>(T*, const T*, const int32_t*, long, int, int, int, int); \
  template void transpose<T>(T*, const T*, int, long);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
