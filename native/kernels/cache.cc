#include "cache.h"

#include <unistd.h>

namespace deepnet {

namespace {

size_t query(int name, size_t fallback) {
#ifdef _SC_LEVEL1_DCACHE_SIZE
  const long v = sysconf(name);
  if (v >= 4096) return static_cast<size_t>(v);
#else
  (void)name;
#endif
  return fallback;
}

}  // namespace

const CacheSizes& cache_sizes() {
#ifdef _SC_LEVEL1_DCACHE_SIZE
  static const CacheSizes sizes{query(_SC_LEVEL1_DCACHE_SIZE, 32 << 10), query(_SC_LEVEL2_CACHE_SIZE, 512 << 10)};
#else
  static const CacheSizes sizes{32 << 10, 512 << 10};
#endif
  return sizes;
}

}  // namespace deepnet
