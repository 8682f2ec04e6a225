#include "cpu.h"

#include <cstdlib>
#include <cstring>

namespace deepnet {

static SimdLevel detect() {
  const char* force = std::getenv("DEEPNET_SIMD");
  if (force && std::strcmp(force, "portable") == 0) return SimdLevel::Portable;
#if DEEPNET_HAS_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdLevel::AVX2_FMA;
#elif DEEPNET_HAS_NEON
  return SimdLevel::NEON;
#endif
  return SimdLevel::Portable;
}

SimdLevel simd_level() {
  static const SimdLevel level = detect();
  return level;
}

const char* simd_level_name() {
  switch (simd_level()) {
    case SimdLevel::AVX2_FMA: return "avx2+fma";
    case SimdLevel::NEON: return "neon";
    default: return "portable";
  }
}

}  // namespace deepnet
