#include "cpu.h"

#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace deepnet {

namespace {

SimdLevel detect_best() {
#if DEEPNET_HAS_X86
  __builtin_cpu_init();
  // AVX-512 as Skylake-SP and Zen 4 have it: F, VL, DQ and BW (GCC's check
  // also requires the OS to save the zmm and mask registers).
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw"))
    return SimdLevel::AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdLevel::AVX2_FMA;
#elif DEEPNET_HAS_NEON
  return SimdLevel::NEON;
#endif
  return SimdLevel::Portable;
}

// A level the CPU can run: `want`, or the best one below it.
bool runs(SimdLevel want, SimdLevel best) {
  if (want == SimdLevel::Portable || want == best) return true;
  return best == SimdLevel::AVX512 && want == SimdLevel::AVX2_FMA;
}

struct Choice {
  SimdLevel level;
  std::string reason;
};

Choice choose() {
  const SimdLevel best = detect_best();
  const char* force = std::getenv("DEEPNET_SIMD");
  if (!force || !*force) return {best, "the best this CPU has"};
  const std::string f = force;
  SimdLevel want;
  if (f == "avx512") want = SimdLevel::AVX512;
  else if (f == "avx2" || f == "avx2+fma") want = SimdLevel::AVX2_FMA;
  else if (f == "neon") want = SimdLevel::NEON;
  else if (f == "portable") want = SimdLevel::Portable;
  else return {best, "DEEPNET_SIMD=" + f + " is not a level (avx512, avx2, neon, portable): the best this CPU has"};
  if (runs(want, best)) return {want, "DEEPNET_SIMD=" + f};
  return {best, "DEEPNET_SIMD=" + f + " asked, but this CPU lacks it: the best it has"};
}

const Choice& choice() {
  static const Choice c = choose();
  return c;
}

}  // namespace

SimdLevel simd_best() {
  static const SimdLevel best = detect_best();
  return best;
}

SimdLevel simd_level() {
  static const SimdLevel level = choice().level;
  return level;
}

const char* simd_level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::AVX512: return "avx512";
    case SimdLevel::AVX2_FMA: return "avx2+fma";
    case SimdLevel::NEON: return "neon";
    default: return "portable";
  }
}

const char* simd_level_name() { return simd_level_name(simd_level()); }

const char* simd_reason() { return choice().reason.c_str(); }

const char* cpu_vendor() {
  static const std::string vendor = [] {
    std::string v;
#if DEEPNET_HAS_X86
    unsigned a, b, c, d;
    if (__get_cpuid(0, &a, &b, &c, &d)) {
      for (unsigned r : {b, d, c})  // the 12 characters come in EBX, EDX, ECX
        for (int i = 0; i < 4; ++i) v += static_cast<char>(r >> (8 * i) & 0xff);
    }
#endif
    if (v == "AuthenticAMD") return std::string("AMD");
    if (v == "GenuineIntel") return std::string("Intel");
    return v;
  }();
  return vendor.c_str();
}

const char* cpu_model() {
  static const std::string model = [] {
#if DEEPNET_HAS_X86
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
      // Linux's rule (x86_family, x86_model), so that /proc/cpuinfo agrees:
      // the extended family counts from base family 15, the extended model
      // from family 6.
      const unsigned base_family = a >> 8 & 0xf, base_model = a >> 4 & 0xf;
      const unsigned family = base_family == 0xf ? base_family + (a >> 20 & 0xff) : base_family;
      const unsigned model = family >= 0x6 ? (a >> 16 & 0xf) << 4 | base_model : base_model;
      return "family " + std::to_string(family) + " model " + std::to_string(model);
    }
#endif
    return std::string();
  }();
  return model.c_str();
}

}  // namespace deepnet
