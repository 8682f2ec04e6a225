// Benchmark (not a test): GFLOP/s of gemm_builtin vs OpenBLAS (when the
// loader finds it) on square 1024 and the products of one training step of
// the three reference networks, float64 and float32, with 1 and 2 threads:
//   W1 [12288, 20, 7, 5, 1], m = 209 (the first layer's two big products)
//   W2 [784, 256, 128, 1],   m = 8192
//   W3 [2, 20, 3, 1],        m = 211 (tiny: per-call overhead is what counts)
// Each is timed with the built-in kernel, OpenBLAS and gemm() (the
// dispatcher), one after the other, best of several repetitions, since the
// machine may be shared. "path" is the
// built-in kernel's: unpacked (thin, thin NT or dot) or packed; gemm() runs
// the default dispatch rules (gemm.h: this program loads no measured table,
// and times gemm() right after OpenBLAS, so that column is indicative only).
// After each network, its products' summed time per step with each. Then,
// per shape, how far 1 and 2 threads' results are apart with each backend
// (the built-in kernel is bit-identical by construction; OpenBLAS runs a
// different driver with 1 thread than with more, so its bits may differ).
//
//   bench_gemm [--json] [reps] [filter]   (default 7; filter: a substring of the shape names)
// W4, W5, I1 and I2 (mini-batches of bench/suite/minibatch.js, inference
// chunks of Model.predictProba) come after W1-W3; "class" is the dispatch's
// shape class (gemm.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "cpu.h"
#include "gemm.h"
#include "openblas.h"
#include "threads.h"

namespace {

using namespace deepnet;

bool g_json = false;  // --json: one JSON line per measurement (bench/calibrate.js reads them)

struct Shape {
  const char* name;
  bool tA, tB;
  int M, N, K;
};

struct Network {
  const char* name;
  std::vector<Shape> shapes;
};

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Seconds per call: best over reps timings of enough calls to pass ~2 ms.
template <typename Call>
double best_seconds(double flops, int reps, Call call) {
  const int inner = std::max(1, static_cast<int>(2e7 / flops));
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const double t0 = now();
    for (int i = 0; i < inner; ++i) call();
    best = std::min(best, (now() - t0) / inner);
  }
  return best;
}

// Uniform in [-0.5, 0.5) with every mantissa bit used: with fewer, float64
// products and their sums can be exact, and no order of summation would show.
template <typename T>
void fill(std::vector<T>& v) {
  unsigned long long x = 12345;
  for (T& e : v) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    e = T(double(x >> 11) * 0x1p-53 - 0.5);
  }
}

struct Times {
  double builtin, blas, dispatch;  // seconds per call; blas 0 without OpenBLAS
};

// shape (M, N, K), both backends and gemm(), alternating repetitions.
template <typename T>
Times bench(const Shape& s, int threads, int reps) {
  const int a_cols = s.tA ? s.M : s.K, a_rows = s.tA ? s.K : s.M;
  const int b_cols = s.tB ? s.K : s.N, b_rows = s.tB ? s.N : s.K;
  std::vector<T> A(static_cast<size_t>(a_rows) * a_cols), B(static_cast<size_t>(b_rows) * b_cols),
      C(static_cast<size_t>(s.M) * s.N);
  fill(A);
  fill(B);
  const openblas::Library* lib = openblas::library();
  set_num_threads(threads);
  const double flops = 2.0 * s.M * s.N * s.K;
  const auto builtin = [&] {
    gemm_builtin<T>(s.tA, s.tB, s.M, s.N, s.K, T(1), A.data(), a_cols, B.data(), b_cols, T(0),
                    C.data(), s.N);
  };
  const auto dispatch = [&] {
    gemm<T>(s.tA, s.tB, s.M, s.N, s.K, T(1), A.data(), a_cols, B.data(), b_cols, T(0), C.data(),
            s.N);
  };
  const auto blas = [&] {
    const int ta = s.tA ? openblas::kTrans : openblas::kNoTrans;
    const int tb = s.tB ? openblas::kTrans : openblas::kNoTrans;
    openblas::use_threads(num_threads());
    if constexpr (sizeof(T) == 8)
      lib->dgemm(openblas::kRowMajor, ta, tb, s.M, s.N, s.K, 1.0, A.data(), a_cols, B.data(),
                 b_cols, 0.0, C.data(), s.N);
    else
      lib->sgemm(openblas::kRowMajor, ta, tb, s.M, s.N, s.K, 1.0f, A.data(), a_cols, B.data(),
                 b_cols, 0.0f, C.data(), s.N);
  };
  // Each backend timed on its own: OpenBLAS's threads spin for a while after
  // each call (about 0.1 s by default), which would take a core from the
  // built-in kernel's threads timed right after it. So the built-in kernel
  // goes first, once they are idle, then OpenBLAS, then gemm(). The wait is
  // busy: an idle core of a VM comes back slowly clocked.
  if (lib && threads > 1) {
    const double until = now() + 0.15;
    while (now() < until) {
    }
  }
  builtin();
  Times t{1e30, lib ? 1e30 : 0, 1e30};
  for (int r = 0; r < reps; ++r) t.builtin = std::min(t.builtin, best_seconds(flops, 1, builtin));
  if (lib) {
    blas();
    for (int r = 0; r < reps; ++r) t.blas = std::min(t.blas, best_seconds(flops, 1, blas));
  }
  for (int r = 0; r < reps; ++r) t.dispatch = std::min(t.dispatch, best_seconds(flops, 1, dispatch));
  const double gf = flops * 1e-9;
  const char* cls = gemm_class_name(gemm_builtin_class<T>(s.tA, s.tB, s.M, s.N, s.K, b_cols));
  if (g_json) {
    std::printf("{\"shape\":\"%s\",\"op\":\"%s%s\",\"dtype\":\"%s\",\"threads\":%d,\"M\":%d,\"N\":%d,\"K\":%d,"
                "\"class\":\"%s\",\"builtin_us\":%.3f,\"openblas_us\":%.3f}\n",
                s.name, s.tA ? "T" : "N", s.tB ? "T" : "N", sizeof(T) == 8 ? "float64" : "float32", threads,
                s.M, s.N, s.K, cls, t.builtin * 1e6, lib ? t.blas * 1e6 : 0.0);
    std::fflush(stdout);
    return t;
  }
  std::printf("%-22s %s%s %-4s %2d %6d %6d %6d  %-13s %8.1f %8.1f %6.2f  %10.2f %10.2f %10.2f\n",
              s.name, s.tA ? "T" : "N", s.tB ? "T" : "N", sizeof(T) == 8 ? "f64" : "f32", threads,
              s.M, s.N, s.K, cls,
              gf / t.builtin, lib ? gf / t.blas : 0.0, lib ? t.blas / t.builtin : 0.0,
              t.builtin * 1e6, lib ? t.blas * 1e6 : 0.0, t.dispatch * 1e6);
  std::fflush(stdout);
  return t;
}

// Entries of C that differ between 1 and 2 threads, and the largest
// difference relative to max(1, max |C|), for one backend's call.
template <typename T, typename Call>
void thread_difference(const char* backend, const Shape& s, Call call) {
  std::vector<T> C1(static_cast<size_t>(s.M) * s.N), C2(C1.size());
  set_num_threads(1);
  call(C1.data());
  set_num_threads(2);
  call(C2.data());
  size_t differ = 0;
  double diff = 0, scale = 1;
  for (size_t i = 0; i < C1.size(); ++i) {
    if (std::memcmp(&C1[i], &C2[i], sizeof(T)) != 0) ++differ;
    diff = std::max(diff, std::abs(double(C1[i]) - double(C2[i])));
    scale = std::max(scale, std::abs(double(C2[i])));
  }
  std::printf("%-22s %s%s %-4s %-8s %9zu of %9zu differ, largest %.2e relative\n", s.name,
              s.tA ? "T" : "N", s.tB ? "T" : "N", sizeof(T) == 8 ? "f64" : "f32", backend, differ,
              C1.size(), diff / scale);
}

template <typename T>
void thread_differences(const Shape& s) {
  const int a_cols = s.tA ? s.M : s.K, a_rows = s.tA ? s.K : s.M;
  const int b_cols = s.tB ? s.K : s.N, b_rows = s.tB ? s.N : s.K;
  std::vector<T> A(static_cast<size_t>(a_rows) * a_cols), B(static_cast<size_t>(b_rows) * b_cols);
  fill(A);
  fill(B);
  thread_difference<T>("builtin", s, [&](T* C) {
    gemm_builtin<T>(s.tA, s.tB, s.M, s.N, s.K, T(1), A.data(), a_cols, B.data(), b_cols, T(0), C,
                    s.N);
  });
  const openblas::Library* lib = openblas::library();
  if (!lib) return;
  thread_difference<T>("openblas", s, [&](T* C) {
    const int ta = s.tA ? openblas::kTrans : openblas::kNoTrans;
    const int tb = s.tB ? openblas::kTrans : openblas::kNoTrans;
    openblas::use_threads(num_threads());
    if constexpr (sizeof(T) == 8)
      lib->dgemm(openblas::kRowMajor, ta, tb, s.M, s.N, s.K, 1.0, A.data(), a_cols, B.data(),
                 b_cols, 0.0, C, s.N);
    else
      lib->sgemm(openblas::kRowMajor, ta, tb, s.M, s.N, s.K, 1.0f, A.data(), a_cols, B.data(),
                 b_cols, 0.0f, C, s.N);
  });
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<const char*> positional;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) g_json = true;
    else positional.push_back(argv[i]);
  }
  const int reps = positional.size() > 0 ? std::max(1, std::atoi(positional[0])) : 7;
  const char* filter = positional.size() > 1 ? positional[1] : "";
  const openblas::Library* lib = openblas::library();
  std::printf("bench_gemm: simd=%s, openblas=%s%s%s\n", simd_level_name(),
              lib ? lib->path : "not found", lib && lib->get_corename ? " core=" : "",
              lib && lib->get_corename ? lib->get_corename() : "");
  // Forward Z = W A (NN), dW = dZ A^T (NT), dA = W^T dZ (TN), as network.cc calls them.
  const Network networks[] = {
      {"square", {{"square 1024", false, false, 1024, 1024, 1024}}},
      {"W1",
       {{"W1 fwd Z1 = W1.X", false, false, 20, 209, 12288},
        {"W1 dW1 = dZ1.X^T", false, true, 20, 12288, 209}}},
      {"W2",
       {{"W2 fwd Z1", false, false, 256, 8192, 784},
        {"W2 fwd Z2", false, false, 128, 8192, 256},
        {"W2 fwd Z3", false, false, 1, 8192, 128},
        {"W2 dW1", false, true, 256, 784, 8192},
        {"W2 dW2", false, true, 128, 256, 8192},
        {"W2 dW3", false, true, 1, 128, 8192},
        {"W2 dA1", true, false, 256, 8192, 128},
        {"W2 dA2", true, false, 128, 8192, 1}}},
      {"W3",
       {{"W3 fwd Z1", false, false, 20, 211, 2},
        {"W3 fwd Z2", false, false, 3, 211, 20},
        {"W3 fwd Z3", false, false, 1, 211, 3},
        {"W3 dW1", false, true, 20, 2, 211},
        {"W3 dW2", false, true, 3, 20, 211},
        {"W3 dW3", false, true, 1, 3, 211},
        {"W3 dA1", true, false, 20, 211, 3},
        {"W3 dA2", true, false, 3, 211, 1}}},
      {"W4",  // [784, 256, 128, 10], batches of 128
       {{"W4 fwd Z1", false, false, 256, 128, 784},
        {"W4 fwd Z2", false, false, 128, 128, 256},
        {"W4 fwd Z3", false, false, 10, 128, 128},
        {"W4 dW1", false, true, 256, 784, 128},
        {"W4 dW2", false, true, 128, 256, 128},
        {"W4 dW3", false, true, 10, 128, 128},
        {"W4 dA1", true, false, 256, 128, 128},
        {"W4 dA2", true, false, 128, 128, 10}}},
      {"W5",  // [2, 5, 2, 1], batches of 64
       {{"W5 fwd Z1", false, false, 5, 64, 2},
        {"W5 fwd Z2", false, false, 2, 64, 5},
        {"W5 fwd Z3", false, false, 1, 64, 2},
        {"W5 dW1", false, true, 5, 2, 64},
        {"W5 dW2", false, true, 2, 5, 64},
        {"W5 dW3", false, true, 1, 2, 64},
        {"W5 dA1", true, false, 5, 64, 2},
        {"W5 dA2", true, false, 2, 64, 1}}},
      {"I1",  // [30, 16, 8, 1], predict's chunks
       {{"I1 fwd Z1", false, false, 16, 8184, 30},
        {"I1 fwd Z2", false, false, 8, 8184, 16},
        {"I1 fwd Z3", false, false, 1, 8184, 8}}},
      {"I2",  // [784, 256, 128, 10], predict's chunks
       {{"I2 fwd Z1", false, false, 256, 8184, 784},
        {"I2 fwd Z2", false, false, 128, 8184, 256},
        {"I2 fwd Z3", false, false, 10, 8184, 128}}},
  };
  if (!g_json)
    std::printf("%-22s %-2s %-4s %2s %6s %6s %6s  %-13s %8s %8s %6s  %10s %10s %10s\n", "shape",
                "op", "type", "th", "M", "N", "K", "class", "builtin", "openblas", "ratio",
                "builtin us", "openblas us", "gemm() us");
  for (const Network& net : networks) {
    for (int threads : {1, 2}) {
      for (int f64 = 1; f64 >= 0; --f64) {
        Times sum{0, 0, 0};
        int n = 0;
        for (const Shape& s : net.shapes) {
          if (!std::strstr(s.name, filter)) continue;
          const Times t = f64 ? bench<double>(s, threads, reps) : bench<float>(s, threads, reps);
          sum.builtin += t.builtin;
          sum.blas += t.blas;
          sum.dispatch += t.dispatch;
          ++n;
        }
        if (n > 1 && !g_json)
          std::printf("%-22s    %-4s %2d  per step: builtin %.2f us, openblas %.2f us, gemm() %.2f us\n",
                      net.name, f64 ? "f64" : "f32", threads, sum.builtin * 1e6, sum.blas * 1e6,
                      sum.dispatch * 1e6);
      }
    }
  }
  if (g_json) return 0;
  std::printf("\n1 vs 2 threads, bit for bit:\n");
  for (const Network& net : networks) {
    for (const Shape& s : net.shapes) {
      if (!std::strstr(s.name, filter)) continue;
      thread_differences<double>(s);
      thread_differences<float>(s);
    }
  }
  return 0;
}
