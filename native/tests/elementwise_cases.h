// What the elementwise kernel tests share: the x86 levels this process runs,
// sizes and misaligned starts that hit every tail, guarded buffers, and
// check_kernel (each level against the reference twin, AVX-512 against AVX2).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "cpu.h"
#include "elementwise.h"

namespace deepnet {
namespace testing {

struct Level {
  const char* name;
  const ElementwiseLevel* kernels;
};

inline std::vector<Level> levels() {
  std::vector<Level> out;
#if DEEPNET_HAS_X86
  if (simd_avx2_or_better()) out.push_back({"avx2", &avx2::elementwise});
  if (simd_avx512()) out.push_back({"avx512", &avx512::elementwise});
#endif
  return out;
}

const long kSizes[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 127, 129, 255, 257, 1001, 4099};
const long kOffsets[] = {0, 1, 3};  // elements before the first one: misaligned starts
constexpr long kGuard = 19;         // elements after the last one

// What a kernel run wrote (every buffer, guards included) and, per value,
// the error allowed against the other run (0: the same bits).
struct Run {
  std::vector<double> out, tol;
  template <typename T>
  void add(const std::vector<T>& v, double ulps = 0) {
    for (T x : v) {
      out.push_back(x);
      tol.push_back(ulps * std::numeric_limits<T>::epsilon() * std::max<double>(std::fabs(x), std::numeric_limits<T>::min()));
    }
  }
  void add_within(const std::vector<double>& v, const std::vector<double>& allowed) {
    out.insert(out.end(), v.begin(), v.end());
    tol.insert(tol.end(), allowed.begin(), allowed.end());
  }
};

// The same bits, or both finite and within the larger of the two runs' tolerances.
inline bool matches(const Run& a, const Run& b, bool bits, std::string* where) {
  if (a.out.size() != b.out.size()) return *where = "sizes differ", false;
  for (size_t i = 0; i < a.out.size(); ++i) {
    if (same_bits(a.out[i], b.out[i])) continue;
    const double tol = bits ? 0 : std::max(a.tol[i], b.tol[i]);
    if (tol > 0 && std::isfinite(a.out[i]) && std::isfinite(b.out[i]) && std::fabs(a.out[i] - b.out[i]) <= tol) continue;
    char buf[160];
    std::snprintf(buf, sizeof buf, "value %zu: %.17g vs %.17g", i, a.out[i], b.out[i]);
    return *where = buf, false;
  }
  return true;
}

// n values at data() + offset, with `offset` sentinels before and kGuard after.
template <typename T>
struct Buf {
  std::vector<T> all;
  long offset;
  Buf(const std::vector<T>& values, long offset) : all(offset + values.size() + kGuard, T(-1234.5)), offset(offset) {
    std::copy(values.begin(), values.end(), all.begin() + offset);
  }
  Buf(long n, long offset) : Buf(std::vector<T>(n, T(-1234.5)), offset) {}
  T* data() { return all.data() + offset; }
};

template <typename T>
std::vector<T> scaled(std::vector<T> v, T by) {
  for (T& x : v) x *= by;
  return v;
}

// A kernel's test: run(k, n, offset) with k a level's table, or null for the
// reference twin; the same inputs each time.
template <typename T>
using RunFn = std::function<Run(const ElementwiseKernels<T>* k, long n, long offset)>;

// Every level against the reference (`bits`: the same bits, else within the
// runs' tolerances), and AVX-512 against AVX2 bit for bit; one check per
// kernel, level and dtype, naming the first failing size.
template <typename T>
void check_kernel(const std::string& name, bool bits, const RunFn<T>& run) {
  const std::vector<Level> ls = levels();
  for (const Level& level : ls) {
    std::string fail, cross_fail;
    for (long n : kSizes) {
      for (long offset : kOffsets) {
        const ElementwiseKernels<T>* k = &level.kernels->of<T>();
        const Run got = run(k, n, offset), want = run(nullptr, n, offset);
        std::string where;
        if (fail.empty() && !matches(got, want, bits, &where))
          fail = "n " + std::to_string(n) + " offset " + std::to_string(offset) + ": " + where;
        if (level.kernels != ls[0].kernels && cross_fail.empty() &&
            !matches(got, run(&ls[0].kernels->of<T>(), n, offset), true, &where))
          cross_fail = "n " + std::to_string(n) + " offset " + std::to_string(offset) + ": " + where;
      }
    }
    const std::string what = name + " " + tname<T>() + " " + level.name;
    check(fail.empty(), what + " vs reference " + fail);
    if (level.kernels != ls[0].kernels) check(cross_fail.empty(), what + " vs " + ls[0].name + " bit for bit " + cross_fail);
  }
}
}  // namespace testing
}  // namespace deepnet
