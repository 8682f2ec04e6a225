// This CPU's data caches (one core's L1d and L2), read once from the C
// library (sysconf), so that blocking follows the machine instead of the
// one it was tuned on. Where the library does not say (musl, some VMs):
// a Zen 3's 32K and 512K, the sizes the built-in gemm was first tuned for.
#pragma once

#include <cstddef>

namespace deepnet {

struct CacheSizes {
  size_t l1d, l2;
};

const CacheSizes& cache_sizes();

}  // namespace deepnet
