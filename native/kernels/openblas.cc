#include "openblas.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

#include "threads.h"

namespace deepnet {
namespace openblas {

namespace {

template <typename F>
F symbol(void* handle, const char* name) {
  return reinterpret_cast<F>(dlsym(handle, name));
}

Library* load() {
  const char* force = std::getenv("DEEPNET_GEMM");
  if (force && std::strcmp(force, "builtin") == 0) return nullptr;
  const char* candidates[] = {std::getenv("DEEPNET_OPENBLAS"), "libopenblas.so.0", "libopenblas.so"};
  for (const char* name : candidates) {
    if (!name || !*name) continue;
    // RTLD_LOCAL: keep OpenBLAS's symbols out of the global namespace, so it
    // cannot clash with another BLAS some other addon loaded.
    void* handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!handle) continue;
    auto* lib = new Library();
    lib->dgemm = symbol<dgemm_fn>(handle, "cblas_dgemm");
    lib->sgemm = symbol<sgemm_fn>(handle, "cblas_sgemm");
    lib->set_num_threads = symbol<void (*)(int)>(handle, "openblas_set_num_threads");
    lib->get_config = symbol<char* (*)()>(handle, "openblas_get_config");
    lib->get_corename = symbol<char* (*)()>(handle, "openblas_get_corename");
    lib->path = name;
    if (lib->dgemm && lib->sgemm) {
      if (lib->set_num_threads) lib->set_num_threads(num_threads());
      return lib;
    }
    delete lib;
    dlclose(handle);
  }
  return nullptr;
}

}  // namespace

const Library* library() {
  static const Library* lib = load();
  return lib;
}

void set_num_threads(int n) {
  const Library* lib = library();
  if (lib && lib->set_num_threads) lib->set_num_threads(n);
}

}  // namespace openblas
}  // namespace deepnet
