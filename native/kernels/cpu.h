// CPU feature detection, done once at load time. SIMD kernels are compiled
// per level (AVX-512 and AVX2 in their own translation units, see
// target_avx2.h and target_avx512.h; NEON on AArch64) so one binary runs on any CPU of its
// architecture and each kernel runs the best level the CPU has.
//
// DEEPNET_SIMD forces a level for testing and comparison: avx512, avx2,
// neon or portable. A level the CPU lacks falls back to the best it has
// (simd_reason() says so); the kernels never run instructions the CPU lacks.
#pragma once

namespace deepnet {

// Ordered: a level includes the x86 ones below it.
enum class SimdLevel { Portable, AVX2_FMA, AVX512, NEON };

SimdLevel simd_level();        // the level the kernels run at
SimdLevel simd_best();         // the best level this CPU supports
const char* simd_level_name(); // "avx512", "avx2+fma", "neon" or "portable"
const char* simd_level_name(SimdLevel level);
const char* simd_reason();     // why simd_level() was chosen, for backendInfo()
// "AMD", "Intel", or the CPUID vendor string as given ("" off x86): with the
// SIMD level and OpenBLAS's kernel family, the key of the gemm dispatch table
// (OpenBLAS 0.3.21 calls a Zen 4 "Cooperlake", as it does Intel's).
const char* cpu_vendor();
// "family F model M" from CPUID (the display family and model, as
// /proc/cpuinfo gives them; "" off x86): what tells a Zen 4 (25, 17) from a
// Zen 5 (26, 2), which share the SIMD level and vendor, where no OpenBLAS
// names a kernel family.
const char* cpu_model();

// The x86 vector levels (AVX-512 includes AVX2's instructions).
inline bool simd_avx512() { return simd_level() == SimdLevel::AVX512; }
inline bool simd_avx2_or_better() {
  return simd_level() == SimdLevel::AVX2_FMA || simd_level() == SimdLevel::AVX512;
}

}  // namespace deepnet

// Marks a function to be compiled for AVX2 + FMA. Only call it after
// simd_avx2_or_better().
#if defined(__x86_64__) || defined(__i386__)
#define DEEPNET_HAS_X86 1
#define DEEPNET_TARGET_AVX2 __attribute__((target("avx2,fma")))
#else
#define DEEPNET_HAS_X86 0
#define DEEPNET_TARGET_AVX2
#endif

// The per-level files' small vector helpers: always inlined into their
// callers, so they are compiled for the caller's level.
#define DEEPNET_X86_INLINE __attribute__((always_inline)) static inline

#if defined(__aarch64__)
#define DEEPNET_HAS_NEON 1
#else
#define DEEPNET_HAS_NEON 0
#endif
