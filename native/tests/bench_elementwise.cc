// Benchmark (not a test): the elementwise kernels at AVX2 and AVX-512 side by
// side in one run, through each level's table (elementwise.h), one thread:
// ns per element, the AVX-512 speed-up, and GB/s of the arrays each kernel
// streams, in cache (16K elements: within L2) and out of it (16M), float32
// and float64, on 64-byte aligned arrays (as the training arena's). Each
// round times AVX2 then AVX-512 (the other order in odd rounds); the
// speed-up is the median of the rounds' ratios, the times are the fastest
// rounds', since the machine may be shared and busy by spells.
//
// Every table kernel is here; the first eight are the main ones. The softmax
// and its cost are for K = 10 (m = n / 10 columns), the bias kernels for 16
// rows of n / 16, the optimizers update P in place, the costs include
// numpy's pairwise sum of their terms; exp and log take doubles only.
//
//   bench_elementwise [rounds] [filter] [sizes...]
//     (default 9 rounds, every kernel, sizes 16384 and 16777216; filter: a
//     substring of the kernel names, "" for all)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "cpu.h"
#include "elementwise.h"
#include "reduce.h"

namespace {

using namespace deepnet;

volatile double sink;  // keeps the reductions' results alive

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// n elements aligned to 64 bytes, as the training arena's views are (network.cc).
template <typename T>
struct Aligned {
  std::unique_ptr<T[], void (*)(void*)> p;
  long n;
  explicit Aligned(long n)
      : p(static_cast<T*>(std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64)), std::free), n(n) {}
  T* data() { return p.get(); }
};

template <typename T>
void fill(Aligned<T>& v, unsigned long long seed, double lo, double hi) {
  unsigned long long x = seed;
  for (long i = 0; i < v.n; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    v.data()[i] = T(lo + (hi - lo) * (double(x >> 11) * 0x1p-53));
  }
}

// The arrays of one size: x, y, h in [-3, 3), v in [-1, 1), s and the
// probabilities p in (0, 1), 0/1 labels; and for "adam dead ..." and
// "momentum dead ...", dead units': y and v where 30 of every 100 values are a gradient of 0 and a momentum decayed to 4
// times the least subnormal (where it stays, 0.9 * 4 rounding to 4).
template <typename T>
struct Arrays {
  Aligned<T> x, y, h, out, v, s, p, labels, y_dead, v_dead;
  Aligned<double> dx, dp, dout;
  explicit Arrays(long n)
      : x(n), y(n), h(n), out(n), v(n), s(n), p(n), labels(n), y_dead(n), v_dead(n), dx(n), dp(n), dout(n) {
    fill(x, 1, -3, 3), fill(y, 2, -3, 3), fill(out, 9, -3, 3), fill(h, 3, -3, 3), fill(v, 4, -1, 1), fill(s, 5, 0.01, 1);
    fill(p, 6, 0.001, 0.999), fill(dx, 7, -3, 3), fill(dp, 8, 0.001, 1000);
    for (long i = 0; i < n; ++i) {
      labels.data()[i] = T(i % 3 == 0);
      const bool dead = i % 100 < 30;
      y_dead.data()[i] = dead ? T(0) : y.data()[i];
      v_dead.data()[i] = dead ? 4 * std::numeric_limits<T>::denorm_min() : v.data()[i];
    }
  }
};

template <typename T>
struct Kernel {
  const char* name;
  int arrays;  // arrays of n elements read or written, for GB/s
  bool doubles_only;
  std::function<void(const ElementwiseLevel&, Arrays<T>&, long n)> call;
};

template <typename T>
double cost(const ElementwiseKernels<T>& k, CostTerm term, const T* X, const T* Y, long n) {
  return pairwise_sum_blocks<double>(n, [&](long offset, long count, double* out) {
    k.cost_terms(term, out, X + offset, Y + offset, count);
  });
}

// dead: on the dead units' arrays, whose tiny moments take the path given
// (the subnormal-safe one, or the hardware's).
template <typename T>
bool step(const ElementwiseKernels<T>& k, OptimizerKind kind, Arrays<T>& a, long n, bool dead = false,
          TinyMomentPath path = TinyMomentPath::Checked) {
  set_tiny_moment_path(path);
  OptimizerSettings o;
  o.kind = kind;
  return k.optimizer_steps(kind, OptimizerScalars<T>(o, 1e-3, 10), a.h.data(), a.h.data(), (dead ? a.y_dead : a.y).data(),
                           (dead ? a.v_dead : a.v).data(), a.s.data(), n, nullptr, nullptr);
}

template <typename T>
std::vector<Kernel<T>> kernels() {
  using L = const ElementwiseLevel&;
  using A = Arrays<T>&;
  auto K = [](L level) -> const ElementwiseKernels<T>& { return level.of<T>(); };
  return {
      {"sigmoid", 2, false, [=](L l, A a, long n) { K(l).activation_forward(a.out.data(), a.x.data(), Activation::Sigmoid, n); }},
      {"tanh", 2, false, [=](L l, A a, long n) { K(l).activation_forward(a.out.data(), a.x.data(), Activation::Tanh, n); }},
      {"relu fwd", 2, false, [=](L l, A a, long n) { K(l).activation_forward(a.out.data(), a.x.data(), Activation::Relu, n); }},
      {"relu bwd", 3, false,
       [=](L l, A a, long n) { K(l).activation_backward(a.out.data(), a.y.data(), a.h.data(), Activation::Relu, n); }},
      {"exp", 2, true, [=](L l, A a, long n) { l.vmath.exp(a.dout.data(), a.dx.data(), n); }},
      {"softmax K=10", 2, false, [=](L l, A a, long n) { K(l).softmax_columns(a.out.data(), a.x.data(), 10, n / 10, 0, n / 10); }},
      {"adam", 7, false, [=](L l, A a, long n) { step(K(l), OptimizerKind::Adam, a, n); }},
      {"adam dead safe", 7, false, [=](L l, A a, long n) { step(K(l), OptimizerKind::Adam, a, n, true); }},
      {"adam dead hw", 7, false,
       [=](L l, A a, long n) { step(K(l), OptimizerKind::Adam, a, n, true, TinyMomentPath::Hardware); }},
      {"binary cost", 2, false, [=](L l, A a, long n) { sink = cost(K(l), CostTerm::Logits, a.x.data(), a.labels.data(), n); }},
      {"bias add", 1, false, [=](L l, A a, long n) { K(l).bias_add(a.out.data(), a.y.data(), 16, static_cast<int>(n / 16)); }},
      {"bias+relu", 2, false,
       [=](L l, A a, long n) { K(l).bias_activation_forward(a.out.data(), a.h.data(), a.y.data(), 16, static_cast<int>(n / 16), Activation::Relu); }},
      {"leaky fwd", 2, false, [=](L l, A a, long n) { K(l).activation_forward(a.out.data(), a.x.data(), Activation::LeakyRelu, n); }},
      {"sigmoid bwd H", 3, false,
       [=](L l, A a, long n) { K(l).activation_backward(a.out.data(), a.y.data(), a.p.data(), Activation::Sigmoid, n); }},
      {"sigmoid bwd Z", 3, false, [=](L l, A a, long n) { K(l).sigmoid_backward(a.out.data(), a.y.data(), a.x.data(), n); }},
      {"tanh bwd Z", 3, false, [=](L l, A a, long n) { K(l).tanh_backward(a.out.data(), a.y.data(), a.x.data(), n); }},
      {"log", 2, true, [=](L l, A a, long n) { l.vmath.log(a.dout.data(), a.dp.data(), n); }},
      {"softmax cost", 2, false, [=](L l, A a, long n) {
         sink = pairwise_sum_blocks<double>(n / 10, [&](long offset, long count, double* out) {
           K(l).softmax_terms(out, a.x.data(), a.labels.data(), 10, n / 10, offset, count);
         });
       }},
      {"notes cost", 2, false, [=](L l, A a, long n) { sink = cost(K(l), CostTerm::Notes, a.p.data(), a.labels.data(), n); }},
      {"squared cost", 2, false, [=](L l, A a, long n) { sink = cost(K(l), CostTerm::Squared, a.p.data(), a.labels.data(), n); }},
      {"gd", 3, false, [=](L l, A a, long n) { step(K(l), OptimizerKind::GD, a, n); }},
      {"momentum", 5, false, [=](L l, A a, long n) { step(K(l), OptimizerKind::Momentum, a, n); }},
      {"momentum dead safe", 5, false, [=](L l, A a, long n) { step(K(l), OptimizerKind::Momentum, a, n, true); }},
      {"momentum dead hw", 5, false,
       [=](L l, A a, long n) { step(K(l), OptimizerKind::Momentum, a, n, true, TinyMomentPath::Hardware); }},
      {"rmsprop", 5, false, [=](L l, A a, long n) { step(K(l), OptimizerKind::RMSprop, a, n); }},
      {"update", 3, false, [=](L l, A a, long n) { K(l).update(a.out.data(), a.h.data(), a.y.data(), T(1e-3), n); }},
      {"l2 gradient", 3, false, [=](L l, A a, long n) { K(l).l2_gradient(a.out.data(), a.h.data(), T(0.7), T(64), n); }},
      {"dropout", 3, false, [=](L l, A a, long n) { K(l).dropout_apply(a.out.data(), a.labels.data(), T(0.8), n); }},
      {"output bwd", 3, false, [=](L l, A a, long n) { K(l).output_backward(a.out.data(), a.p.data(), a.labels.data(), n); }},
      {"divide by", 2, false, [=](L l, A a, long n) { K(l).divide_by(a.out.data(), T(1.0001), n); }},
      {"scale by", 2, false, [=](L l, A a, long n) { K(l).scale_by(a.out.data(), T(0.9999), n); }},
      {"first_non_finite", 1, false, [=](L l, A a, long n) { sink = double(K(l).first_non_finite(a.x.data(), n)); }},
  };
}

// Seconds per call: enough calls to pass 4M elements (a few ms).
template <typename T>
double seconds(const Kernel<T>& kernel, const ElementwiseLevel& level, Arrays<T>& a, long n) {
  const long inner = std::max(1L, 4000000 / n);
  const double t0 = now();
  for (long i = 0; i < inner; ++i) kernel.call(level, a, n);
  return (now() - t0) / inner;
}

template <typename T>
void bench(long n, int rounds, const std::string& filter) {
  Arrays<T> a(n);
  const bool avx512 = simd_avx512();
  for (const Kernel<T>& kernel : kernels<T>()) {
    if ((sizeof(T) == 4 && kernel.doubles_only) || std::string(kernel.name).find(filter) == std::string::npos) continue;
    std::vector<double> t2, t512, ratio;
    kernel.call(avx2::elementwise, a, n);  // warm the arrays
    for (int r = 0; r < rounds; ++r) {
      double x2, x512 = 0;
      if (r % 2 == 0 || !avx512) {
        x2 = seconds(kernel, avx2::elementwise, a, n);
        if (avx512) x512 = seconds(kernel, avx512::elementwise, a, n);
      } else {
        x512 = seconds(kernel, avx512::elementwise, a, n);
        x2 = seconds(kernel, avx2::elementwise, a, n);
      }
      t2.push_back(x2);
      if (avx512) t512.push_back(x512), ratio.push_back(x2 / x512);
    }
    const double bytes = double(kernel.arrays) * n * (kernel.doubles_only ? 8 : sizeof(T));
    const char* dtype = sizeof(T) == 8 || kernel.doubles_only ? "f64" : "f32";
    const double best2 = *std::min_element(t2.begin(), t2.end());
    if (avx512) {
      const double best512 = *std::min_element(t512.begin(), t512.end());
      std::printf("| %-18s | %s | %8ld | %7.3f | %7.3f | %5.2fx | %6.1f | %6.1f |\n", kernel.name, dtype, n,
                  best2 / n * 1e9, best512 / n * 1e9, median(ratio), bytes / best2 / 1e9, bytes / best512 / 1e9);
    } else {
      std::printf("| %-18s | %s | %8ld | %7.3f | - | - | %6.1f | - |\n", kernel.name, dtype, n, best2 / n * 1e9,
                  bytes / best2 / 1e9);
    }
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
#if DEEPNET_HAS_X86
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 9;
  const std::string filter = argc > 2 ? argv[2] : "";
  std::vector<long> sizes;
  for (int i = 3; i < argc; ++i) sizes.push_back(std::atol(argv[i]));
  if (sizes.empty()) sizes = {16384, 16L << 20};
  if (!simd_avx2_or_better()) {
    std::printf("no AVX2 here (%s): nothing to compare\n", simd_level_name());
    return 0;
  }
  std::printf("simd: %s (%s); one thread; %d rounds: fastest times, median speed-up\n\n", simd_level_name(), simd_reason(), rounds);
  std::printf("| kernel | dtype | n | avx2 ns/elem | avx512 ns/elem | avx512 speed-up | avx2 GB/s | avx512 GB/s |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  for (long n : sizes) {
    bench<float>(n, rounds, filter);
    bench<double>(n, rounds, filter);
  }
#else
  (void)argc, (void)argv;
  std::printf("x86 only: no vector levels to compare here\n");
#endif
  return 0;
}
