// Benchmark (not a test): GFLOP/s of gemm_builtin vs OpenBLAS (when the
// loader finds it) on square 1024 and the deep-learning shapes, float64 and
// float32, with 1 and 2 threads. Each figure is the best of several timed
// repetitions, since the machine may be shared.
//
//   bench_gemm [reps]        (default 7)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "cpu.h"
#include "gemm.h"
#include "openblas.h"
#include "threads.h"

namespace {

using namespace deepnet;

struct Shape {
  const char* name;
  bool tA, tB;
  int M, N, K;
};

template <typename T>
using Fn = void (*)(bool, bool, int, int, int, T, const T*, int, const T*, int, T, T*, int);

// Best GFLOP/s over reps calls (after one warm-up call).
template <typename T, typename Call>
double best_gflops(const Shape& s, int reps, Call call) {
  call();
  double best = 1e30;
  // Enough calls per timing to get past ~20 ms, so short shapes are not noise.
  const double flops = 2.0 * s.M * s.N * s.K;
  const int inner = std::max(1, static_cast<int>(2e8 / flops));
  for (int r = 0; r < reps; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < inner; ++i) call();
    auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count() / inner);
  }
  return flops / best * 1e-9;
}

template <typename T>
void bench(const Shape& s, int reps) {
  const int a_cols = s.tA ? s.M : s.K, a_rows = s.tA ? s.K : s.M;
  const int b_cols = s.tB ? s.K : s.N, b_rows = s.tB ? s.N : s.K;
  std::vector<T> A(static_cast<size_t>(a_rows) * a_cols), B(static_cast<size_t>(b_rows) * b_cols),
      C(static_cast<size_t>(s.M) * s.N);
  unsigned x = 12345;
  for (T& v : A) v = T((x = x * 1664525u + 1013904223u) >> 8) / T(1 << 24) - T(0.5);
  for (T& v : B) v = T((x = x * 1664525u + 1013904223u) >> 8) / T(1 << 24) - T(0.5);
  const openblas::Library* lib = openblas::library();
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    const double ours = best_gflops<T>(s, reps, [&] {
      gemm_builtin<T>(s.tA, s.tB, s.M, s.N, s.K, T(1), A.data(), a_cols, B.data(), b_cols, T(0),
                      C.data(), s.N);
    });
    double blas = 0;
    if (lib) {
      blas = best_gflops<T>(s, reps, [&] {
        const int ta = s.tA ? openblas::kTrans : openblas::kNoTrans;
        const int tb = s.tB ? openblas::kTrans : openblas::kNoTrans;
        if constexpr (sizeof(T) == 8)
          lib->dgemm(openblas::kRowMajor, ta, tb, s.M, s.N, s.K, 1.0, A.data(), a_cols, B.data(),
                     b_cols, 0.0, C.data(), s.N);
        else
          lib->sgemm(openblas::kRowMajor, ta, tb, s.M, s.N, s.K, 1.0f, A.data(), a_cols,
                     B.data(), b_cols, 0.0f, C.data(), s.N);
      });
    }
    if (lib)
      std::printf("%-26s %-6s %2d %6d %6d %6d   %8.1f   %8.1f   %6.2f\n", s.name,
                  sizeof(T) == 8 ? "f64" : "f32", threads, s.M, s.N, s.K, ours, blas, ours / blas);
    else
      std::printf("%-26s %-6s %2d %6d %6d %6d   %8.1f   %8s   %6s\n", s.name,
                  sizeof(T) == 8 ? "f64" : "f32", threads, s.M, s.N, s.K, ours, "n/a", "n/a");
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
  const openblas::Library* lib = openblas::library();
  std::printf("bench_gemm: simd=%s, openblas=%s%s%s\n", simd_level_name(),
              lib ? lib->path : "not found", lib && lib->get_corename ? " core=" : "",
              lib && lib->get_corename ? lib->get_corename() : "");
  const Shape shapes[] = {
      {"square 1024", false, false, 1024, 1024, 1024},
      {"fwd W1.X (20x209x12288)", false, false, 20, 209, 12288},
      {"dW1 = dZ.X^T", false, true, 20, 12288, 209},
      {"fwd 256x8192x784", false, false, 256, 8192, 784},
      {"dW = dZ.A^T 256x784x8192", false, true, 256, 784, 8192},
      {"fwd 128x8192x256", false, false, 128, 8192, 256},
  };
  std::printf("%-26s %-6s %2s %6s %6s %6s   %8s   %8s   %6s\n", "shape", "dtype", "th", "M", "N",
              "K", "builtin", "openblas", "ratio");
  for (const Shape& s : shapes) {
    bench<double>(s, reps);
    bench<float>(s, reps);
  }
  return 0;
}
