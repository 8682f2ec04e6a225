// What the native tests share: check() counting failures, bit-exact and
// ulp-level comparisons, and awkward inputs (special values, sizes that are
// not multiples of a vector, shapes large enough to split over threads).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace deepnet {
namespace testing {

inline int g_failures = 0;
inline int g_checks = 0;

// Prints the tally; the test's exit code (1 on any failure).
inline int report() {
  std::printf("%d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}

inline void check(bool ok, const std::string& what) {
  ++g_checks;
  if (!ok) {
    ++g_failures;
    std::printf("FAIL %s\n", what.c_str());
  }
}

template <typename T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
}

template <typename T>
bool same(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!same_bits(a[i], b[i])) return false;
  return true;
}

// a and b within `ulps` units in the last place (NaNs match NaNs, infinities
// themselves): for the kernels whose AVX2 path uses vmath's exp/log, which
// may round differently from glibc's by an ulp.
template <typename T>
bool close(const std::vector<T>& a, const std::vector<T>& b, long ulps) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (same_bits(a[i], b[i])) continue;
    if (std::isnan(a[i]) || std::isnan(b[i]) || std::isinf(a[i]) || std::isinf(b[i])) return false;
    const T scale = std::max(std::fabs(a[i]), std::fabs(b[i]));
    if (std::fabs(a[i] - b[i]) > ulps * std::numeric_limits<T>::epsilon() * std::max(scale, std::numeric_limits<T>::min())) return false;
  }
  return true;
}

template <typename T>
const char* tname() {
  return sizeof(T) == 8 ? "double" : "float";
}

// Values in [-3, 3) sprinkled with the special cases every kernel must handle.
template <typename T>
std::vector<T> inputs(size_t n, uint32_t seed, bool specials = true) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(-3.0, 3.0);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(u(gen));
  if (specials) {
    const T s[] = {T(0), -T(0), std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(),
                   -std::numeric_limits<T>::infinity()};
    for (size_t i = 0; i < n; i += 7) v[i] = s[(i / 7) % 5];
  }
  return v;
}

// Probabilities in (0, 1) and 0/1 labels, for the output layer.
template <typename T>
std::vector<T> probabilities(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(0.001, 0.999);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(u(gen));
  return v;
}

template <typename T>
std::vector<T> labels(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(gen() & 1u);
  return v;
}

// The last two are above kParallelMin: the public kernels split them over threads.
inline constexpr int kShapes[][2] = {{1, 1}, {1, 7}, {3, 5}, {2, 8}, {5, 17}, {4, 33}, {20, 209}, {7, 1}, {3, 30001}, {257, 300}};

}  // namespace testing
}  // namespace deepnet
