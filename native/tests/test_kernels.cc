// Tests every elementwise kernel against its plain reference twin (bit for
// bit: both do the same IEEE operations in the same order), on awkward sizes
// (1, odd, not multiples of the vector width) and special values (NaN, +-0,
// +-Inf); and the RNG, numpy's pairwise sum and the cost against known values.
//
// Runs the public kernels at the level this CPU has; ctest runs it again with
// DEEPNET_SIMD=avx2 and =portable (test_elementwise tests the vector tables
// level by level, and vmath). Exits non-zero on any failure.
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "activations.h"
#include "backward.h"
#include "cost.h"
#include "cpu.h"
#include "dropout.h"
#include "forward.h"
#include "l2.h"
#include "memory.h"
#include "reduce.h"
#include "rng.h"
#include "threads.h"
#include "update.h"
#include "check.h"

namespace {

using namespace deepnet;
using namespace deepnet::testing;

template <typename T>
void test_forward() {
  for (auto& s : kShapes) {
    const int n = s[0], m = s[1];
    const size_t size = static_cast<size_t>(n) * m;
    std::string where = std::string(tname<T>()) + " " + std::to_string(n) + "x" + std::to_string(m);
    const std::vector<T> b = inputs<T>(n, 11, false);
    for (Activation act : {Activation::Relu, Activation::Sigmoid}) {
      std::vector<T> Z1 = inputs<T>(size, 1), Z2 = Z1, A1(size), A2(size);
      bias_activation_forward(Z1.data(), A1.data(), b.data(), n, m, act);
      reference::bias_activation_forward(Z2.data(), A2.data(), b.data(), n, m, act);
      std::string a = act == Activation::Relu ? "relu" : "sigmoid";
      check(same(Z1, Z2), "bias_activation_forward(" + a + ") Z " + where);
      check(act == Activation::Relu ? same(A1, A2) : close(A1, A2, 4), "bias_activation_forward(" + a + ") A " + where);
    }
    std::vector<T> Z = inputs<T>(size, 2), Zb = Z, Zr = Z, A1(size), A2(size);
    bias_add(Zb.data(), b.data(), n, m);
    reference::bias_add(Zr.data(), b.data(), n, m);
    check(same(Zb, Zr), "bias_add " + where);
    relu_forward(A1.data(), Z.data(), static_cast<long>(size));
    reference::relu_forward(A2.data(), Z.data(), static_cast<long>(size));
    check(same(A1, A2), "relu_forward " + where);
    sigmoid_forward(A1.data(), Z.data(), static_cast<long>(size));
    reference::sigmoid_forward(A2.data(), Z.data(), static_cast<long>(size));
    check(close(A1, A2, 4), "sigmoid_forward " + where);
  }
  // numpy's np.maximum(0, Z): NaN propagates, -0.0 becomes +0.0.
  const T z[] = {-T(0), std::numeric_limits<T>::quiet_NaN(), T(-2), T(3)};
  T a[4];
  relu_forward(a, z, 4);
  check(same_bits(a[0], T(0)) && std::isnan(a[1]) && a[2] == T(0) && a[3] == T(3),
        std::string("relu special values ") + tname<T>());
}

template <typename T>
void test_backward() {
  for (auto& s : kShapes) {
    const int n = s[0], m = s[1];
    const size_t size = static_cast<size_t>(n) * m;
    std::string where = std::string(tname<T>()) + " " + std::to_string(n) + "x" + std::to_string(m);
    std::vector<T> dA = inputs<T>(size, 3), Z = inputs<T>(size, 4), d1(size), d2(size);
    relu_backward(d1.data(), dA.data(), Z.data(), static_cast<long>(size));
    reference::relu_backward(d2.data(), dA.data(), Z.data(), static_cast<long>(size));
    check(same(d1, d2), "relu_backward " + where);
    std::vector<T> inplace = dA;
    relu_backward(inplace.data(), inplace.data(), Z.data(), static_cast<long>(size));
    check(same(inplace, d2), "relu_backward in place " + where);
    for (size_t i = 0; i < size; ++i)
      if (Z[i] == T(0)) check(d1[i] == T(0), "relu_backward dZ = 0 where Z == 0 " + where);

    sigmoid_backward(d1.data(), dA.data(), Z.data(), static_cast<long>(size));
    reference::sigmoid_backward(d2.data(), dA.data(), Z.data(), static_cast<long>(size));
    // 1 - s cancels when s is near 1: an ulp of s (vmath's exp vs glibc's)
    // moves dZ by up to an ulp of dA, however many ulps of dZ that is.
    bool sb_ok = true;
    for (size_t i = 0; i < size; ++i) {
      if (same_bits(d1[i], d2[i])) continue;
      sb_ok &= std::isfinite(d1[i]) && std::fabs(d1[i] - d2[i]) <= 4 * std::numeric_limits<T>::epsilon() * std::fabs(dA[i]);
    }
    check(sb_ok, "sigmoid_backward " + where);

    std::vector<T> AL = probabilities<T>(size, 5), Y = labels<T>(size, 6);
    output_backward(d1.data(), AL.data(), Y.data(), static_cast<long>(size));
    reference::output_backward(d2.data(), AL.data(), Y.data(), static_cast<long>(size));
    check(same(d1, d2), "output_backward " + where);
    // The fused form equals cost_backward followed by dAL * AL * (1 - AL).
    std::vector<T> dAL(size);
    cost_backward(dAL.data(), AL.data(), Y.data(), static_cast<long>(size));
    bool fused_ok = true;
    for (size_t i = 0; i < size; ++i) fused_ok &= same_bits(d1[i], dAL[i] * AL[i] * (T(1) - AL[i]));
    check(fused_ok, "output_backward == cost_backward then sigmoid derivative " + where);

    std::vector<T> X1 = inputs<T>(size, 7), X2 = X1;
    divide_by(X1.data(), T(m), static_cast<long>(size));
    reference::divide_by(X2.data(), T(m), static_cast<long>(size));
    check(same(X1, X2), "divide_by " + where);

    std::vector<T> S1 = inputs<T>(size, 12), S2 = S1;
    scale_by(S1.data(), T(1) / T(m), static_cast<long>(size));
    reference::scale_by(S2.data(), T(1) / T(m), static_cast<long>(size));
    check(same(S1, S2), "scale_by " + where);

    std::vector<T> G1 = inputs<T>(size, 13), G2 = G1, W = inputs<T>(size, 14);
    l2_gradient(G1.data(), W.data(), T(0.7), T(m), static_cast<long>(size));
    reference::l2_gradient(G2.data(), W.data(), T(0.7), T(m), static_cast<long>(size));
    check(same(G1, G2), "l2_gradient " + where);

    std::vector<T> D = labels<T>(size, 15), A1 = inputs<T>(size, 16), A2 = A1;
    dropout_apply(A1.data(), D.data(), T(0.86), static_cast<long>(size));
    reference::dropout_apply(A2.data(), D.data(), T(0.86), static_cast<long>(size));
    check(same(A1, A2), "dropout_apply " + where);

    std::vector<T> P1 = inputs<T>(size, 8), P2 = P1, dP = inputs<T>(size, 9);
    std::vector<T> P3(size);
    update(P3.data(), P1.data(), dP.data(), T(0.0075), static_cast<long>(size));
    update(P1.data(), P1.data(), dP.data(), T(0.0075), static_cast<long>(size));
    reference::update(P2.data(), P2.data(), dP.data(), T(0.0075), static_cast<long>(size));
    check(same(P1, P2), "update " + where);
    check(same(P3, P2), "update out of place " + where);
  }
}

void test_rng() {
  // init_genrand(s) is std::mt19937(s): the raw outputs must agree.
  for (uint32_t seed : {0u, 1u, 3u, 5489u, 4294967295u}) {
    RandomState rs(seed);
    std::mt19937 ref(seed);
    bool ok = true;
    for (int i = 0; i < 2000; ++i) ok &= rs.next_uint32() == ref();
    check(ok, "next_uint32 == std::mt19937 for seed " + std::to_string(seed));
  }
  // numpy: np.random.seed(1); np.random.randn(2) -> 1.6243453636632417, -0.6117564136500754
  RandomState rs(1);
  double a = rs.randn(), b = rs.randn();
  check(a == 1.6243453636632417 && b == -0.6117564136500754, "randn(seed 1) first pair");
  rs.seed(1);
  check(rs.rand() == 0.417022004702574, "rand(seed 1) first value");
  // ConsecutiveSeeds gives seed(s)'s state, for runs, jumps back and
  // forward, and seeds that wrap past 2^32 - 1.
  ConsecutiveSeeds seeds;
  RandomState fast(7), plain(7);
  bool ok = true;
  for (uint32_t s : {10u, 11u, 12u, 13u, 14u, 15u, 3u, 4u, 9u, 4294967294u, 4294967295u, 0u, 1u, 2u, 11u}) {
    fast.randn();  // a cached normal, which seeding drops
    seeds.seed(fast, s);
    plain.seed(s);
    for (int i = 0; i < 700; ++i) ok &= fast.next_uint32() == plain.next_uint32();
    ok &= fast.randn() == plain.randn();
  }
  check(ok, "ConsecutiveSeeds::seed(rng, s) == rng.seed(s)");
}

// Masks are U < keep_prob with U the generator's rand() stream, in order.
void test_dropout_masks() {
  std::vector<double> A(37, 1.0), D(37);
  RandomState rs(1), ref(1);
  dropout_forward(A.data(), D.data(), rs, 0.5, 37);
  bool ok = true;
  for (int i = 0; i < 37; ++i) {
    const bool keep = ref.rand() < 0.5;
    ok &= D[i] == (keep ? 1.0 : 0.0) && A[i] == (keep ? 2.0 : 0.0);
  }
  check(ok, "dropout_forward draws D = rand() < keep_prob in order and scales by 1/keep_prob");
}

void test_reduce_and_cost() {
  // numpy's pairwise grouping: for n = 9, ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) + a8.
  const double big = 1e16;
  std::vector<double> v = {big, 1, -big, 1, 1, 1, 1, 1, 1};
  double r[8] = {big, 1, -big, 1, 1, 1, 1, 1};
  double grouped = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + 1.0;
  check(numpy_sum(v.data(), 9) == grouped, "pairwise_sum grouping for n = 9");
  // Long runs split at a multiple of 8 and recurse; compare with a naive sum loosely.
  std::vector<double> w = inputs<double>(1000, 10, false);
  double naive = 0;
  for (double x : w) naive += x;
  check(std::fabs(numpy_sum(w.data(), 1000) - naive) < 1e-12, "pairwise_sum n = 1000 close to naive");
  check(same_bits(numpy_sum<double>(nullptr, 0), 0.0), "sum of nothing is +0.0");
  // The AVX2 row sum is numpy's grouping too: bit-identical for every length.
  if (simd_avx2_or_better()) {
    bool ok = true;
    for (long n = 0; n < 700; n += (n < 40 ? 1 : 37)) {
      std::vector<double> d = inputs<double>(n + 1, 20 + n, false);
      std::vector<float> f = inputs<float>(n + 1, 21 + n, false);
      ok &= same_bits(pairwise_sum_avx2(d.data(), n), pairwise_sum<double>(n, [&](long i) { return d[i]; }));
      ok &= same_bits(pairwise_sum_avx2(f.data(), n), pairwise_sum<float>(n, [&](long i) { return f[i]; }));
    }
    check(ok, "pairwise_sum_avx2 == pairwise_sum, bit for bit");
  }

  // compute_cost for AL = 0.5 everywhere is log(2).
  std::vector<double> AL(13, 0.5), Y = labels<double>(13, 1);
  check(std::fabs(cross_entropy_cost(AL.data(), Y.data(), 13) - std::log(2.0)) < 1e-15, "cost at AL = 0.5");
  check(std::fabs(cross_entropy_cost_course2(AL.data(), Y.data(), 13) - std::log(2.0)) < 1e-15, "course 2 cost at AL = 0.5");
  // nansum: an AL of exactly 1 with label 1 gives 0 * log(0) = NaN, which Course 2 drops.
  std::vector<double> sat = {1.0, 0.5}, y = {1.0, 1.0};
  check(std::isnan(cross_entropy_cost(sat.data(), y.data(), 2)), "notes cost is NaN at AL = 1");
  check(std::fabs(cross_entropy_cost_course2(sat.data(), y.data(), 2) - std::log(2.0) / 2) < 1e-15,
        "course 2 cost skips NaN terms");
  // From logits: equal to the course formula where that is finite, finite where it is not.
  std::vector<double> Z = {-3.0, 0.5, 2.0}, Yz = {0.0, 1.0, 0.0}, Az(3);
  sigmoid_forward(Az.data(), Z.data(), 3);
  check(std::fabs(cross_entropy_cost_from_logits(Z.data(), Yz.data(), 3) -
                  cross_entropy_cost_course2(Az.data(), Yz.data(), 3)) < 1e-15, "cost from logits == course formula");
  std::vector<double> z800 = {800.0}, y0 = {0.0};
  check(cross_entropy_cost_from_logits(z800.data(), y0.data(), 1) == 800.0, "cost from logits at z = 800, y = 0 is 800");
  // L2: (1/m) * (lambd/2) * sum of squares.
  std::vector<double> w3 = {1.0, -2.0, 3.0};
  check(sum_of_squares(w3.data(), 3) == 14.0 && l2_cost(14.0, 7, 0.7) == 1.0 / 7.0 * 0.35 * 14.0, "l2 cost");
}

}  // namespace

// first_non_finite against its reference: every length up to 300, one
// NaN/+Inf/-Inf at each position (and a second one after it), extreme finite
// values elsewhere.
template <typename T>
void test_first_non_finite() {
  const T specials[] = {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(),
                        -std::numeric_limits<T>::infinity()};
  const T extremes[] = {std::numeric_limits<T>::max(), -std::numeric_limits<T>::max(),
                        std::numeric_limits<T>::denorm_min(), T(-0.0), T(1)};
  bool ok = true;
  for (long n = 0; n <= 300; n += (n < 140 ? 1 : 7)) {
    std::vector<T> a(n);
    for (long i = 0; i < n; ++i) a[i] = extremes[i % 5];
    ok &= first_non_finite(a.data(), n) == -1 && reference::first_non_finite(a.data(), n) == -1;
    for (long at = 0; at < n; ++at) {
      std::vector<T> b = a;
      b[at] = specials[at % 3];
      if (at + 5 < n) b[at + 5] = specials[(at + 1) % 3];
      ok &= first_non_finite(b.data(), n) == at && reference::first_non_finite(b.data(), n) == at;
    }
  }
  check(ok, std::string("first_non_finite<") + (sizeof(T) == 8 ? "double" : "float") + "> finds the first NaN or Inf");
}

// A fake filesystem for cgroup_headroom: `files` maps paths under root to contents.
std::string fake_root(const std::vector<std::pair<std::string, std::string>>& files) {
  char tmpl[] = "/tmp/deepnet-cgroup-XXXXXX";
  const std::string root = mkdtemp(tmpl);
  for (const auto& [path, text] : files) {
    for (size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1))
      mkdir((root + path.substr(0, at)).c_str(), 0755);
    if (FILE* f = std::fopen((root + path).c_str(), "w")) {
      std::fputs(text.c_str(), f);
      std::fclose(f);
    }
  }
  return root;
}

void test_cgroup_headroom() {
  const size_t MiB = 1 << 20;
  check(cgroup_headroom("/nonexistent-root") == SIZE_MAX, "no /proc/self/cgroup: no limit");
  // cgroup v2, a pod's container: the pod's 512 MiB less 100 MiB used (4 MiB of it reclaimable
  // page cache), below it a group without a limit; above it a 300 MiB group using 200 MiB.
  const std::string v2 = fake_root({
      {"/proc/self/cgroup", "0::/kubepods/pod1/c1\n"},
      {"/sys/fs/cgroup/kubepods/pod1/c1/memory.max", "max\n"},
      {"/sys/fs/cgroup/kubepods/pod1/memory.max", "536870912\n"},
      {"/sys/fs/cgroup/kubepods/pod1/memory.current", "104857600\n"},
      {"/sys/fs/cgroup/kubepods/pod1/memory.stat", "anon 100\nfile 9\ninactive_file 4194304\n"},
  });
  check(cgroup_headroom(v2) == 416 * MiB, "cgroup v2: memory.max - (memory.current - inactive_file)");
  const std::string v2parent = fake_root({
      {"/proc/self/cgroup", "0::/kubepods/pod1\n"},
      {"/sys/fs/cgroup/kubepods/pod1/memory.max", "536870912\n"},
      {"/sys/fs/cgroup/kubepods/pod1/memory.current", "0\n"},
      {"/sys/fs/cgroup/kubepods/memory.max", "314572800\n"},
      {"/sys/fs/cgroup/kubepods/memory.current", "209715200\n"},
  });
  check(cgroup_headroom(v2parent) == 100 * MiB, "cgroup v2: a parent's tighter limit counts");
  // cgroup v1 in a container: /proc/self/cgroup names a path the container's mount does not
  // show (its own group is the mount's root); other controllers' lines are ignored.
  const std::string v1 = fake_root({
      {"/proc/self/cgroup", "5:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n0::/\n"},
      {"/sys/fs/cgroup/memory/memory.limit_in_bytes", "1073741824\n"},
      {"/sys/fs/cgroup/memory/memory.usage_in_bytes", "268435456\n"},
      {"/sys/fs/cgroup/memory/memory.stat", "cache 5\ntotal_inactive_file 0\n"},
  });
  check(cgroup_headroom(v1) == 768 * MiB, "cgroup v1: memory.limit_in_bytes - memory.usage_in_bytes");
  const std::string unlimited = fake_root({
      {"/proc/self/cgroup", "4:memory:/\n"},
      {"/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n"},
      {"/sys/fs/cgroup/memory/memory.usage_in_bytes", "268435456\n"},
  });
  check(cgroup_headroom(unlimited) == SIZE_MAX, "cgroup v1 without a limit (its huge 'unlimited' value)");
  const std::string over = fake_root({
      {"/proc/self/cgroup", "0::/\n"},
      {"/sys/fs/cgroup/memory.max", "1048576\n"},
      {"/sys/fs/cgroup/memory.current", "2097152\n"},
  });
  check(cgroup_headroom(over) == 0, "a group over its limit leaves nothing");
  for (const std::string& r : {v2, v2parent, v1, unlimited, over}) {
    const std::string rm = "rm -rf '" + r + "'";
    check(std::system(rm.c_str()) == 0, "cleanup " + r);
  }
}

// A task's exception reaches parallel_for's caller (never a worker's top
// level, which would end the process), and the pool runs the next region.
void test_pool_exceptions() {
  std::atomic<int> ran{0};
  bool caught = false;
  try {
    parallel_for(8, [&](int t) {
      ran.fetch_add(1);
      if (t == 3) throw std::runtime_error("task 3 failed");
    });
  } catch (const std::runtime_error& e) {
    caught = std::string(e.what()) == "task 3 failed";
  }
  check(caught, "the task's exception reaches the caller");
  check(ran.load() >= 1 && ran.load() <= 8, "tasks ran, those after the failure may be skipped");
  std::atomic<int> after{0};
  parallel_for(8, [&](int) { after.fetch_add(1); });
  check(after.load() == 8, "the next region runs every task");
}

int main() {
  set_num_threads(2);  // the large shapes run split over two threads, against serial twins
  std::printf("simd: %s\n", simd_level_name());
  test_forward<double>();
  test_forward<float>();
  test_backward<double>();
  test_backward<float>();
  test_rng();
  test_dropout_masks();
  test_reduce_and_cost();
  test_first_non_finite<double>();
  test_first_non_finite<float>();
  test_cgroup_headroom();
  test_pool_exceptions();
  return report();
}
