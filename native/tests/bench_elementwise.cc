// Benchmark (not a test): the elementwise kernels at AVX2 and AVX-512 side by
// side in one run, through each level's table (elementwise.h), one thread:
// ns per element, the AVX-512 speed-up, and GB/s of the arrays each kernel
// streams, in cache (16K elements: within L2) and out of it (16M), float32
// and float64. Each round times AVX2 then AVX-512 (the other order in odd
// rounds); the speed-up is the median of the rounds' ratios, the times are
// medians, since the machine may be shared and busy by spells.
//
// Kernels: sigmoid, tanh, relu forward and backward (from H), vmath's exp
// (float64 only: it takes doubles), the softmax forward for K = 10 (m = n /
// 10 columns), an Adam step in place, and the sigmoid head's cost from the
// logits (its terms and numpy's pairwise sum).
//
//   bench_elementwise [rounds] [filter]   (default 9; filter: a substring of the kernel names)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "cpu.h"
#include "elementwise.h"
#include "reduce.h"

namespace {

using namespace deepnet;

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

template <typename T>
void fill(std::vector<T>& v, unsigned long long seed, double lo, double hi) {
  unsigned long long x = seed;
  for (T& e : v) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    e = T(lo + (hi - lo) * (double(x >> 11) * 0x1p-53));
  }
}

// The arrays of one size: inputs in [-3, 3), s and labels as their kernels need.
template <typename T>
struct Arrays {
  std::vector<T> x, y, h, out, v, s, labels;
  std::vector<double> dx, dout;
  explicit Arrays(long n) : x(n), y(n), h(n), out(n), v(n), s(n), labels(n), dx(n), dout(n) {
    fill(x, 1, -3, 3), fill(y, 2, -3, 3), fill(h, 3, -3, 3), fill(v, 4, -1, 1), fill(s, 5, 0, 1);
    fill(dx, 6, -3, 3);
    for (long i = 0; i < n; ++i) labels[i] = T(i % 3 == 0);
  }
};

struct Kernel {
  const char* name;
  bool f32;    // runs for float (exp takes doubles only)
  int arrays;  // arrays of n elements read or written, for GB/s
};

const Kernel kKernels[] = {
    {"sigmoid", true, 2}, {"tanh", true, 2}, {"relu fwd", true, 2}, {"relu bwd", true, 3}, {"exp", false, 2},
    {"softmax K=10", true, 2}, {"adam", true, 7}, {"binary cost", true, 2},
};

// One call of kernel `name` over n elements at the given level.
template <typename T>
void call(const char* name, const ElementwiseLevel& level, Arrays<T>& a, long n) {
  const ElementwiseKernels<T>& k = level.of<T>();
  const std::string kernel = name;
  if (kernel == "sigmoid") return k.activation_forward(a.out.data(), a.x.data(), Activation::Sigmoid, n);
  if (kernel == "tanh") return k.activation_forward(a.out.data(), a.x.data(), Activation::Tanh, n);
  if (kernel == "relu fwd") return k.activation_forward(a.out.data(), a.x.data(), Activation::Relu, n);
  if (kernel == "relu bwd") return k.activation_backward(a.out.data(), a.y.data(), a.h.data(), Activation::Relu, n);
  if (kernel == "exp") return level.vmath.exp(a.dout.data(), a.dx.data(), n);
  if (kernel == "softmax K=10") return k.softmax_columns(a.out.data(), a.x.data(), 10, n / 10, 0, n / 10);
  if (kernel == "adam") {
    OptimizerSettings o;
    o.kind = OptimizerKind::Adam;
    k.optimizer_steps(o.kind, OptimizerScalars<T>(o, 1e-3, 10), a.h.data(), a.h.data(), a.y.data(), a.v.data(),
                      a.s.data(), n, nullptr, nullptr);
    return;
  }
  // binary cost: cross_entropy_sum_from_logits at this level.
  volatile double sum = pairwise_sum_blocks<double>(n, [&](long offset, long count, double* out) {
    k.cost_terms(CostTerm::Logits, out, a.x.data() + offset, a.labels.data() + offset, count);
  });
  (void)sum;
}

// Seconds per call: enough calls to pass ~2 ms.
template <typename T>
double seconds(const char* name, const ElementwiseLevel& level, Arrays<T>& a, long n) {
  const int inner = std::max(1L, 4000000 / n);
  const double t0 = now();
  for (int i = 0; i < inner; ++i) call(name, level, a, n);
  return (now() - t0) / inner;
}

template <typename T>
void bench(long n, int rounds, const char* filter) {
  Arrays<T> a(n);
  const bool avx512 = simd_avx512();
  for (const Kernel& kernel : kKernels) {
    if ((sizeof(T) == 4 && !kernel.f32) || (filter && !std::strstr(kernel.name, filter))) continue;
    std::vector<double> t2, t512, ratio;
    call(kernel.name, avx2::elementwise, a, n);  // warm the arrays
    for (int r = 0; r < rounds; ++r) {
      double x2, x512 = 0;
      if (r % 2 == 0 || !avx512) {
        x2 = seconds(kernel.name, avx2::elementwise, a, n);
        if (avx512) x512 = seconds(kernel.name, avx512::elementwise, a, n);
      } else {
        x512 = seconds(kernel.name, avx512::elementwise, a, n);
        x2 = seconds(kernel.name, avx2::elementwise, a, n);
      }
      t2.push_back(x2);
      if (avx512) t512.push_back(x512), ratio.push_back(x2 / x512);
    }
    const double ns2 = median(t2) / n * 1e9;
    const double bytes = double(kernel.arrays) * n * (std::strcmp(kernel.name, "exp") == 0 ? 8 : sizeof(T));
    if (avx512) {
      const double ns512 = median(t512) / n * 1e9;
      std::printf("| %-12s | %s | %9ld | %7.3f | %7.3f | %5.2fx | %6.1f | %6.1f |\n", kernel.name,
                  sizeof(T) == 8 ? "f64" : "f32", n, ns2, ns512, median(ratio), bytes / median(t2) / 1e9,
                  bytes / median(t512) / 1e9);
    } else {
      std::printf("| %-12s | %s | %9ld | %7.3f | - | - | %6.1f | - |\n", kernel.name, sizeof(T) == 8 ? "f64" : "f32",
                  n, ns2, bytes / median(t2) / 1e9);
    }
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
#if DEEPNET_HAS_X86
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 9;
  const char* filter = argc > 2 ? argv[2] : nullptr;
  if (!simd_avx2_or_better()) {
    std::printf("no AVX2 here (%s): nothing to compare\n", simd_level_name());
    return 0;
  }
  std::printf("simd: %s (%s); one thread; median of %d rounds\n\n", simd_level_name(), simd_reason(), rounds);
  std::printf("| kernel | dtype | n | avx2 ns/elem | avx512 ns/elem | avx512 speed-up | avx2 GB/s | avx512 GB/s |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  for (long n : {16384L, 16L << 20}) {
    bench<float>(n, rounds, filter);
    bench<double>(n, rounds, filter);
  }
#else
  (void)argc, (void)argv;
  std::printf("x86 only: no vector levels to compare here\n");
#endif
  return 0;
}
