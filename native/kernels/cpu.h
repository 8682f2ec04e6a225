// CPU feature detection, done once at load time. Kernels with an AVX2/FMA path
// compile it with a function-level target attribute, so one binary runs on any
// x86-64 CPU and picks the fast path only where the CPU has it.
#pragma once

namespace deepnet {

enum class SimdLevel { Portable, AVX2_FMA };

SimdLevel simd_level();        // honours DEEPNET_SIMD=portable (for tests)
const char* simd_level_name(); // "avx2+fma" or "portable"

}  // namespace deepnet

// Marks a function to be compiled for AVX2 + FMA. Only call it after
// simd_level() == SimdLevel::AVX2_FMA.
#if defined(__x86_64__) || defined(__i386__)
#define DEEPNET_HAS_X86 1
#define DEEPNET_TARGET_AVX2 __attribute__((target("avx2,fma")))
#else
#define DEEPNET_HAS_X86 0
#define DEEPNET_TARGET_AVX2
#endif
