// 256-bit vectors through GCC/Clang vector extensions, for numpy's pairwise
// row sum in AVX2 registers (reduce.cc; the elementwise kernels have their
// own traits, vec256.h and vec512.h). One template serves
// float (8 lanes) and double (4 lanes). Only use inside functions marked
// DEEPNET_TARGET_AVX2.
#pragma once

#include <cstring>

#include "cpu.h"

namespace deepnet {
namespace simd {

template <typename T>
struct V256;
template <>
struct V256<double> {
  typedef double type __attribute__((vector_size(32)));
  static constexpr int lanes = 4;
};
template <>
struct V256<float> {
  typedef float type __attribute__((vector_size(32)));
  static constexpr int lanes = 8;
};

template <typename T>
using vec = typename V256<T>::type;
template <typename T>
constexpr int lanes = V256<T>::lanes;

template <typename T>
DEEPNET_TARGET_AVX2 __attribute__((always_inline)) inline vec<T> load(const T* p) {
  vec<T> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <typename T>
DEEPNET_TARGET_AVX2 __attribute__((always_inline)) inline void store(T* p, vec<T> v) {
  std::memcpy(p, &v, sizeof v);
}

template <typename T>
DEEPNET_TARGET_AVX2 __attribute__((always_inline)) inline vec<T> splat(T x) {
  vec<T> v;
  for (int i = 0; i < lanes<T>; ++i) v[i] = x;
  return v;
}

}  // namespace simd
}  // namespace deepnet
