// Tests the dispatcher's composite entry points and routing (gemm.h):
// gemm_fused (a product and its relu epilogue), gemm_streamed (the NT and NN
// products of a training step's first layer, interleaved) against their
// definitions, bit for bit with 1 and 2 threads; and on an AVX-512 CPU the
// per-class level the dispatch names. Exits non-zero on any failure.
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include "cpu.h"
#include "gemm_cases.h"
#include "openblas.h"
#include "threads.h"

namespace {

using namespace deepnet;
using namespace deepnet::testing;

// gemm_fused must equal gemm() followed by the epilogue (relu's mask applied
// as forward.cc and backward.cc do), bit for bit, with 1 and 2 threads, on
// both of its paths: small K (1..4) and thin (K up to one thin block; M up to
// 32, so the thin path whatever N), A transposed or not, vector tails and
// right edges (N = 1, 9, 13, 211, 813), negative values, NaN and in-place
// masks. The bias and mask have negative and NaN entries so every branch
// runs. Then which products it takes: I1's and a backward TN product, not
// K = 300 (several thin blocks), nor a thin product sent to OpenBLAS.
template <typename T>
void run_fused_cases() {
  if (!gemm_fusable<T>(false, 1, 1, 1, 1)) {
    std::printf("gemm_fused<%s>: not available on this CPU (no AVX2): skipped\n", type_name<T>());
    return;
  }
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const int saved = num_threads();
  uint64_t seed = 5000;
  struct Shape {
    int M, N;
  };
  int thin_cases = 0;
  for (const Shape s : {Shape{1, 1}, Shape{20, 211}, Shape{3, 13}, Shape{7, 9}, Shape{64, 4099},
                        Shape{16, 813}, Shape{32, 13}})
    for (int K : {1, 2, 3, 4, 5, 8, 16, 30, 32})
      for (bool tA : {false, true})
        for (Epilogue e : {Epilogue::BiasRelu, Epilogue::ReluMask})
          for (bool in_place : {false, true}) {
            if (in_place && e == Epilogue::BiasRelu) continue;
            const Case c{tA, false, s.M, s.N, K, 0, 1, 2, 1.0, 0.0};
            const Operands<T> o = make_operands<T>(c, seed++);
            const bool fusable = gemm_fusable<T>(tA, c.M, c.N, K, o.ldb);
            ++g_checks;
            if (fusable != (K <= 4 || s.M <= 32)) {
              ++g_failures;
              std::printf("FAIL %s: gemm_fusable %d\n", describe("gemm_fused", type_name<T>(), c).c_str(),
                          fusable);
            }
            if (!fusable) continue;
            if (K > 4) ++thin_cases;
            Lcg rng(seed++);
            std::vector<T> data(e == Epilogue::BiasRelu ? s.M : o.C0.size());
            for (size_t i = 0; i < data.size(); ++i) data[i] = i % 17 == 5 ? nan : T(rng.next());
            // Expected: the product, then the epilogue.
            std::vector<T> want = o.C0;
            gemm<T>(tA, false, c.M, c.N, K, T(1), o.A.data(), o.lda, o.B.data(), o.ldb, T(0),
                    want.data(), o.ldc);
            for (int i = 0; i < c.M; ++i)
              for (int j = 0; j < c.N; ++j) {
                T& w = want[static_cast<size_t>(i) * o.ldc + j];
                if (e == Epilogue::BiasRelu) w = w + data[i];
                const T z = e == Epilogue::BiasRelu ? w : data[static_cast<size_t>(i) * o.ldc + j];
                w = z <= T(0) ? T(0) : w;
              }
            for (int threads : {1, 2}) {
              set_num_threads(threads);
              std::vector<T> C = in_place ? data : o.C0;
              gemm_fused<T>(e, in_place ? C.data() : data.data(), tA, c.M, c.N, K, o.A.data(),
                            o.lda, o.B.data(), o.ldb, C.data(), o.ldc);
              ++g_checks;
              bool same = true;
              for (int i = 0; i < c.M; ++i)
                same = same && std::memcmp(&C[static_cast<size_t>(i) * o.ldc],
                                           &want[static_cast<size_t>(i) * o.ldc], c.N * sizeof(T)) == 0;
              if (!same) {
                ++g_failures;
                std::printf("FAIL %s %s%s, %d thread(s): differs from gemm + epilogue\n",
                            describe("gemm_fused", type_name<T>(), c).c_str(),
                            e == Epilogue::BiasRelu ? "bias+relu" : "relu mask", in_place ? " in place" : "",
                            threads);
              }
            }
          }
  set_num_threads(saved);
  const bool i1 = gemm_fusable<T>(false, 16, 813, 30, 813), tn = gemm_fusable<T>(true, 16, 813, 8, 813);
  const bool deep = gemm_fusable<T>(false, 16, 813, 300, 813);
  ++g_checks;
  if (thin_cases == 0 || !i1 || !tn || deep) {
    ++g_failures;
    std::printf("FAIL gemm_fusable<%s>: %d thin cases; I1 %d, TN %d (want 1), K = 300 %d (want 0)\n",
                type_name<T>(), thin_cases, i1, tn, deep);
  }
  if (openblas::library()) {
    const GemmDispatch d0 = gemm_dispatch();
    GemmDispatch d = d0;
    d.openblas[sizeof(T) == 8][num_threads() > 1][int(GemmClass::Thin)] = true;
    set_gemm_dispatch(d);
    ++g_checks;
    if (gemm_fusable<T>(false, 16, 813, 30, 813)) {
      ++g_failures;
      std::printf("FAIL gemm_fusable<%s>: true for a thin product the dispatch sends to OpenBLAS\n",
                  type_name<T>());
    }
    set_gemm_dispatch(d0);
  }
  std::printf("gemm_fused<%s>: %d thin-path cases\n", type_name<T>(), thin_cases);
}

// The thin path reads B in place at a stride that aliases in L1 while a K
// block of its rows stays within half of the ways of the sets they fall in:
// I1's first layer read from X (100000 values a row: 16 sets in double, 32
// in float; 30 rows) is thin. At a stride of 512 bytes times an odd number
// (8 sets), K = 12 (2 rows a set) is thin and K = 300 is not: its K blocks
// are of 32 rows or more at every level. A 4K stride (one set) is not thin.
template <typename T>
void run_strided_class_cases() {
  ++g_checks;
  if (!gemm_fusable<T>(false, 1, 1, 1, 1)) {
    std::printf("strided classes<%s>: no x86 vector level: skipped\n", type_name<T>());
    return;
  }
  const int wide = 100000, eight_sets = 512 / sizeof(T) * 781, page = 4096 / sizeof(T);
  const GemmClass i1 = gemm_builtin_class<T>(false, false, 16, 813, 30, wide);
  const GemmClass shallow = gemm_builtin_class<T>(false, false, 16, 813, 12, eight_sets);
  const GemmClass deep = gemm_builtin_class<T>(false, false, 16, 813, 300, eight_sets);
  const GemmClass one_set = gemm_builtin_class<T>(false, false, 16, 813, 30, page);
  if (i1 != GemmClass::Thin || shallow != GemmClass::Thin || deep == GemmClass::Thin ||
      one_set == GemmClass::Thin) {
    ++g_failures;
    std::printf("FAIL strided classes<%s>: K 30 at %d: %s (want thin), at %d K 12: %s (want thin), "
                "K 300: %s (want not thin), K 30 at %d: %s (want not thin)\n",
                type_name<T>(), wide, gemm_class_name(i1), eight_sets, gemm_class_name(shallow),
                gemm_class_name(deep), page, gemm_class_name(one_set));
  }
}

// gemm_streamed against its definition: the NT product, `between` over all
// columns, then the NN product, all bit for bit. `between` halves G's columns
// and writes W' = W - 0.1 G (elementwise, like the training update), and the
// NN product uses W'; once more with Z written over D. Shapes: the cat
// network's first layer, K not a multiple of the thin block or of a vector,
// M = 32 (whose NT product takes two K blocks in double), a small N.
template <typename T>
void run_streamed_cases() {
  const int saved = num_threads();
  set_num_threads(2);
  const bool two = gemm_streamable<T>(20, 209, 12288, 209);
  set_num_threads(1);
  ++g_checks;
  if (!gemm_fusable<T>(false, 1, 1, 1, 1)) {
    std::printf("gemm_streamed<%s>: not available on this CPU (no AVX2): skipped\n", type_name<T>());
    set_num_threads(saved);
    return;
  }
  if (!gemm_streamable<T>(20, 209, 12288, 209) || two) {
    ++g_failures;
    std::printf("FAIL gemm_streamable<%s>(20, 209, 12288): want true with 1 thread, false with 2\n",
                type_name<T>());
  }
  if (openblas::library()) {
    // Streaming is the built-in kernel's: not when the dispatch sends the
    // thin products to OpenBLAS (training then follows the dispatch).
    const GemmDispatch saved = gemm_dispatch();
    GemmDispatch d = saved;
    d.openblas[sizeof(T) == 8][0][int(GemmClass::Thin)] = true;
    set_gemm_dispatch(d);
    ++g_checks;
    if (gemm_streamable<T>(20, 209, 12288, 209)) {
      ++g_failures;
      std::printf("FAIL gemm_streamable<%s>: true with the thin class on OpenBLAS\n", type_name<T>());
    }
    set_gemm_dispatch(saved);
  }
  struct Shape {
    int M, N, K;
  };
  uint64_t seed = 7000;
  // The smallest M whose dW takes the thin NT path at every level: 7/8 of
  // a vector, AVX-512's 16 floats or 8 doubles.
  const int small = sizeof(T) == 4 ? 14 : 7;
  for (const Shape s : {Shape{20, 209, 12288}, Shape{small, 61, 1001}, Shape{small + 1, 100, 300},
                        Shape{32, 209, 515}, Shape{small, 9, 129}}) {
    ++g_checks;
    if (!gemm_streamable<T>(s.M, s.N, s.K, s.N)) {
      ++g_failures;
      std::printf("FAIL gemm_streamable<%s>(%d, %d, %d): want true\n", type_name<T>(), s.M, s.N, s.K);
      continue;
    }
    Lcg rng(seed++);
    const auto fill = [&](size_t n) {
      std::vector<T> v(n);
      for (T& x : v) x = T(rng.next());
      return v;
    };
    const std::vector<T> D = fill(size_t(s.M) * s.N), X = fill(size_t(s.K) * s.N),
                         W = fill(size_t(s.M) * s.K);
    const auto between = [&](std::vector<T>& G, std::vector<T>& Wn, int k0, int k1) {
      for (int i = 0; i < s.M; ++i)
        for (int k = k0; k < k1; ++k) {
          T& g = G[size_t(i) * s.K + k];
          g = g * T(0.5);
          Wn[size_t(i) * s.K + k] = W[size_t(i) * s.K + k] - T(0.1) * g;
        }
    };
    std::vector<T> G1(W.size()), W1(W.size()), Z1(size_t(s.M) * s.N);
    gemm<T>(false, true, s.M, s.K, s.N, T(1), D.data(), s.N, X.data(), s.N, T(0), G1.data(), s.K);
    between(G1, W1, 0, s.K);
    gemm<T>(false, false, s.M, s.N, s.K, T(1), W1.data(), s.K, X.data(), s.N, T(0), Z1.data(), s.N);
    std::vector<T> G2(W.size()), W2(W.size()), Z2(Z1.size(), T(7));
    gemm_streamed<T>(s.M, s.N, s.K, D.data(), s.N, X.data(), s.N, G2.data(), s.K, W2.data(), s.K,
                     Z2.data(), s.N, [&](int k0, int k1) { between(G2, W2, k0, k1); });
    ++g_checks;
    if (G1 != G2 || W1 != W2 || std::memcmp(Z1.data(), Z2.data(), Z1.size() * sizeof(T)) != 0) {
      ++g_failures;
      std::printf("FAIL gemm_streamed<%s> %dx%dx%d: differs from gemm NT, between, gemm NN\n",
                  type_name<T>(), s.M, s.N, s.K);
    }
    // Z over D itself (training writes the next W1 X over dZ1).
    std::vector<T> G3(W.size()), W3(W.size()), DZ = D;
    gemm_streamed<T>(s.M, s.N, s.K, DZ.data(), s.N, X.data(), s.N, G3.data(), s.K, W3.data(), s.K,
                     DZ.data(), s.N, [&](int k0, int k1) { between(G3, W3, k0, k1); });
    ++g_checks;
    if (G1 != G3 || std::memcmp(Z1.data(), DZ.data(), Z1.size() * sizeof(T)) != 0) {
      ++g_failures;
      std::printf("FAIL gemm_streamed<%s> %dx%dx%d with Z = D: differs\n", type_name<T>(), s.M,
                  s.N, s.K);
    }
  }
  set_num_threads(saved);
}

// The dispatch's per-class level (gemm.h): on an AVX-512 CPU, a class the
// dispatch names for AVX2 is computed by the AVX2 kernels, bit for bit as
// gemm_builtin_at(AVX2_FMA) and whatever the thread count; the others (and
// small-K, always) stay at AVX-512. Then the streamed pair with its two
// classes at AVX2 (both must share a level: one at AVX2 alone stops it).
template <typename T>
void run_level_dispatch_cases() {
  ++g_checks;
  if (!simd_avx512()) {
    std::printf("level dispatch<%s>: this CPU does not run AVX-512: skipped\n", type_name<T>());
    return;
  }
  // A class is its level's: 7 rows are one AVX-512 row tile (thin whatever
  // B's stride) but more than one AVX2 tile (thin only while B's rows, 512
  // apart, do not alias in L1). train.cc's chunk_in_place relies on it.
  for (const int ldb : {512, 509}) {
    const GemmClass at512 = gemm_builtin_class_at<T>(SimdLevel::AVX512, false, false, 7, 200, 30, ldb);
    const GemmClass at2 = gemm_builtin_class_at<T>(SimdLevel::AVX2_FMA, false, false, 7, 200, 30, ldb);
    const GemmClass want2 = ldb == 512 ? GemmClass::PackedShallow : GemmClass::Thin;
    ++g_checks;
    if (at512 != GemmClass::Thin || at2 != want2 || gemm_builtin_class<T>(false, false, 7, 200, 30, ldb) != at512) {
      ++g_failures;
      std::printf("FAIL level classes<%s>, ldb %d: AVX-512 %s, AVX2 %s (want thin, %s)\n", type_name<T>(), ldb,
                  gemm_class_name(at512), gemm_class_name(at2), gemm_class_name(want2));
    }
  }
  const GemmDispatch saved = gemm_dispatch();
  const int saved_threads = num_threads();
  const bool f64 = sizeof(T) == 8;
  struct Shape {
    GemmClass c;
    bool tA, tB;
    int M, N, K;
  };
  uint64_t seed = 9100;
  for (const Shape s : {Shape{GemmClass::Thin, false, false, 20, 209, 1200},
                        Shape{GemmClass::ThinNT, false, true, 20, 1200, 209},
                        Shape{GemmClass::Dot, false, true, 1, 3, 211},
                        Shape{GemmClass::PackedShallow, false, true, 256, 256, 64},
                        Shape{GemmClass::Packed, false, false, 200, 300, 150},
                        Shape{GemmClass::SmallK, false, false, 20, 209, 2}}) {
    const int lda = s.tA ? s.M : s.K, ldb = s.tB ? s.K : s.N;
    if (gemm_builtin_class<T>(s.tA, s.tB, s.M, s.N, s.K, ldb) != s.c) {
      ++g_failures;
      std::printf("FAIL level dispatch<%s>: %dx%dx%d is not of class %s\n", type_name<T>(), s.M, s.N,
                  s.K, gemm_class_name(s.c));
      continue;
    }
    Lcg rng(seed++);
    std::vector<T> A(size_t(s.M) * s.K), B(size_t(s.K) * s.N);
    for (T& x : A) x = T(rng.next());
    for (T& x : B) x = T(rng.next());
    const auto product = [&](auto&& f) {
      std::vector<T> C(size_t(s.M) * s.N);
      f(C.data());
      return C;
    };
    const std::vector<T> at_avx2 = product([&](T* C) {
      gemm_builtin_at<T>(SimdLevel::AVX2_FMA, s.tA, s.tB, s.M, s.N, s.K, T(1), A.data(), lda, B.data(), ldb, T(0), C, s.N);
    });
    const std::vector<T> at_avx512 = product([&](T* C) {
      gemm_builtin<T>(s.tA, s.tB, s.M, s.N, s.K, T(1), A.data(), lda, B.data(), ldb, T(0), C, s.N);
    });
    GemmDispatch d{};  // every class built-in; this one (and only it) at AVX2
    d.avx2[f64][int(s.c)] = true;
    set_gemm_dispatch(d);
    const bool moved = s.c != GemmClass::SmallK;
    const std::vector<T>& want = moved ? at_avx2 : at_avx512;
    for (int threads : {1, 2}) {
      set_num_threads(threads);
      const std::vector<T> got = product([&](T* C) {
        gemm<T>(s.tA, s.tB, s.M, s.N, s.K, T(1), A.data(), lda, B.data(), ldb, T(0), C, s.N);
      });
      const SimdLevel level = gemm_builtin_level_for<T>(s.tA, s.tB, s.M, s.N, s.K, ldb);
      ++g_checks;
      if (std::memcmp(got.data(), want.data(), got.size() * sizeof(T)) != 0 ||
          level != (moved ? SimdLevel::AVX2_FMA : SimdLevel::AVX512)) {
        ++g_failures;
        std::printf("FAIL level dispatch<%s> %s, %d thread(s): gemm() at %s, want %s's bits\n",
                    type_name<T>(), gemm_class_name(s.c), threads, simd_level_name(level),
                    moved ? "AVX2" : "AVX-512");
      }
    }
    GemmDispatch other{};  // the other dtype's entry leaves this one alone
    other.avx2[!f64][int(s.c)] = true;
    set_gemm_dispatch(other);
    ++g_checks;
    if (gemm_builtin_level_for<T>(s.tA, s.tB, s.M, s.N, s.K, ldb) != SimdLevel::AVX512) {
      ++g_failures;
      std::printf("FAIL level dispatch<%s> %s: the other dtype's entry moved it\n", type_name<T>(), gemm_class_name(s.c));
    }
  }
  set_num_threads(1);
  GemmDispatch thin_only{};
  thin_only.avx2[f64][int(GemmClass::Thin)] = true;
  set_gemm_dispatch(thin_only);
  ++g_checks;
  if (gemm_streamable<T>(20, 209, 12288, 209)) {
    ++g_failures;
    std::printf("FAIL level dispatch<%s>: streamable with its two products at different levels\n", type_name<T>());
  }
  GemmDispatch both{};
  both.avx2[f64][int(GemmClass::Thin)] = both.avx2[f64][int(GemmClass::ThinNT)] = true;
  set_gemm_dispatch(both);
  std::printf("level dispatch<%s>: the streamed pair with both classes at AVX2\n", type_name<T>());
  run_streamed_cases<T>();
  set_gemm_dispatch(saved);
  set_num_threads(saved_threads);
}

}  // namespace

int main() {
  std::printf("test_gemm_dispatch: simd=%s, gemm backend=%s, threads=%d\n", simd_level_name(),
              gemm_backend_name(), num_threads());
  run_fused_cases<double>();
  run_fused_cases<float>();
  run_strided_class_cases<double>();
  run_strided_class_cases<float>();
  run_streamed_cases<double>();
  run_streamed_cases<float>();
  run_level_dispatch_cases<double>();
  run_level_dispatch_cases<float>();
  return report();
}
