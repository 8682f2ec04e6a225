// CPU feature detection, done once at load time. Kernels with an AVX2/FMA path
// compile it with a function-level target attribute, so one binary runs on any
// x86-64 CPU and picks the fast path only where the CPU has it. On AArch64,
// NEON (ASIMD) is part of the base ISA: the built-in gemm's NEON micro-kernel
// runs there unless DEEPNET_SIMD=portable.
#pragma once

namespace deepnet {

enum class SimdLevel { Portable, AVX2_FMA, NEON };

SimdLevel simd_level();        // honours DEEPNET_SIMD=portable (for tests)
const char* simd_level_name(); // "avx2+fma", "neon" or "portable"

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

#if defined(__aarch64__)
#define DEEPNET_HAS_NEON 1
#else
#define DEEPNET_HAS_NEON 0
#endif
