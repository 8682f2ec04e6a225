// Included last by a translation unit that compiles kernels for AVX2 + FMA
// (Haswell, Zen and later): every function defined after this point is
// compiled for them, and runs only after simd_avx2_or_better() (cpu.h).
// The rules of target_avx512.h apply, with namespace deepnet::avx2.
#pragma once

#include "cpu.h"

#if DEEPNET_HAS_X86
#pragma GCC target("avx2,fma,bmi,bmi2,popcnt,lzcnt,f16c")
#include <immintrin.h>
#endif
