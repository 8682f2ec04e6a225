// The elementwise kernels compiled for AVX-512 F/VL/DQ/BW (elementwise_level.h).
//
// -Wpsabi: as in elementwise_avx2.cc. -Wmaybe-uninitialized: GCC 12's
// AVX-512 intrinsics (min, max, sqrt, roundscale, conversions) warn about
// their own _mm512_undefined_pd() source operand (GCC bug 105593); the
// warning points into the intrinsics header, so it is ignored before any
// include.
#pragma GCC diagnostic ignored "-Wpsabi"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "elementwise.h"

#include "target_avx512.h"

#if DEEPNET_HAS_X86
#define DEEPNET_LEVEL avx512
#include "vec256.h"
#include "vec512.h"

namespace deepnet {
namespace avx512 {
// The level's vectors; the kernels that measured no faster on them use
// Vec256 here too (see each body).
template <typename T>
using Vec = Vec512<T>;
}  // namespace avx512
}  // namespace deepnet

#include "elementwise_level.h"
#endif
