// Included last by a translation unit that compiles kernels for AVX-512:
// every function defined after this point is compiled for AVX-512 F, VL,
// DQ and BW with FMA (Skylake-SP, Ice Lake, Sapphire Rapids, Zen 4), and
// runs only after simd_level() == SimdLevel::AVX512 (cpu.h).
//
// Rules for such a file (test/simd_isolation.test.ts checks the binary):
//   - include every other header (the C++ library, deepnet's own) before
//     this one: functions defined earlier keep the baseline target, so the
//     inline functions and templates shared with the rest of the addon never
//     carry AVX-512 instructions into it;
//   - define everything after it inside namespace deepnet::avx512, so each
//     symbol holding AVX-512 code is named for its level.
// Templates defined earlier but instantiated here stay baseline code too
// (GCC takes the target from the definition).
#pragma once

#include "cpu.h"

#if DEEPNET_HAS_X86
#pragma GCC target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma,bmi,bmi2,popcnt,lzcnt,f16c")
#include <immintrin.h>
#endif
