#include "openblas.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

namespace deepnet {
namespace openblas {

namespace {

template <typename F>
F symbol(void* handle, const char* name) {
  return reinterpret_cast<F>(dlsym(handle, name));
}

// OPENBLAS_NUM_THREADS=1 while it lives, then the environment as it was.
// OpenBLAS reads it once, as it loads (use_threads sets the count after);
// the environment's other readers see the change only while dlopen runs.
class OneThreadEnv {
 public:
  OneThreadEnv() {
    const char* v = std::getenv(kName);
    had_ = v != nullptr;
    if (had_) saved_ = v;
    setenv(kName, "1", 1);
  }
  ~OneThreadEnv() {
    if (had_) setenv(kName, saved_.c_str(), 1);
    else unsetenv(kName);
  }

 private:
  static constexpr const char* kName = "OPENBLAS_NUM_THREADS";
  bool had_;
  std::string saved_;
};

Library* load() {
  const char* force = std::getenv("DEEPNET_GEMM");
  if (force && std::strcmp(force, "builtin") == 0) return nullptr;
  const OneThreadEnv one_thread;
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
    if (lib->dgemm && lib->sgemm) return lib;
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

void use_threads(int n) {
  // 0: not set by deepnet yet. Loading asked for one thread, but an OpenMP
  // build reads OMP_NUM_THREADS instead, and a library the process had
  // already loaded keeps its count: the first product sets it whatever n is.
  static std::atomic<int> current{0};
  static std::mutex change;
  if (current.load(std::memory_order_acquire) == n) return;
  const Library* lib = library();
  if (!lib || !lib->set_num_threads) return;
  std::lock_guard<std::mutex> lock(change);
  if (current.load(std::memory_order_relaxed) == n) return;
  lib->set_num_threads(n);
  current.store(n, std::memory_order_release);
}

}  // namespace openblas
}  // namespace deepnet
