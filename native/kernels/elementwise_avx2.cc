// The elementwise kernels compiled for AVX2 + FMA (elementwise_level.h).
//
// -Wpsabi notes that a function returning a vector (here: the static
// invoker GCC gives every captureless lambda of the bodies) has another ABI
// without AVX; no such function crosses this file (the table's kernels take
// pointers and scalars).
#pragma GCC diagnostic ignored "-Wpsabi"

#include "elementwise.h"

#include "target_avx2.h"

#if DEEPNET_HAS_X86
#define DEEPNET_LEVEL avx2
#include "vec256.h"

namespace deepnet {
namespace avx2 {
template <typename T>
using Vec = Vec256<T>;  // the level's vectors
}  // namespace avx2
}  // namespace deepnet

#include "elementwise_level.h"
#endif
