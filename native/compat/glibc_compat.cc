// Only in the prebuilt binaries (binding.gyp, deepnet_sysroot): they link this
// machine's GCC and its static libstdc++ against glibc 2.17's libraries, so
// that every symbol they take from glibc is one that glibc 2.28 (RHEL 8) has.
// That libstdc++ was built against a new glibc and refers to a few symbols
// the old one lacks; these stand in for them, hidden inside the addon (so
// they never replace glibc's for anyone else). scripts/glibc-floor.js fails a
// prebuild that still needs one that is not here.
#include <dlfcn.h>
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#define DEEPNET_HIDDEN __attribute__((visibility("hidden")))

extern "C" {

// glibc 2.32: libstdc++ skips atomic reference counting while this is nonzero
// (the process has one thread). Zero means "maybe several": always atomic,
// which is correct everywhere.
DEEPNET_HIDDEN char __libc_single_threaded = 0;

// glibc 2.18 (for thread_local destructors: the gemm pack buffers). Every
// glibc at or above the floor has it; the 2.17 libraries we link against do
// not, so it is looked up when first used.
DEEPNET_HIDDEN int __cxa_thread_atexit_impl(void (*dtor)(void*), void* obj, void* dso) {
  using Fn = int (*)(void (*)(void*), void*, void*);
  static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "__cxa_thread_atexit_impl"));
  if (!real) std::abort();  // glibc older than 2.18: below the floor
  return real(dtor, obj, dso);
}

// glibc 2.25 and 2.36, for std::random_device (deepnet never constructs one,
// but libstdc++'s exception classes pull its object file in): the kernel's
// getrandom, which Linux has had since 3.17.
DEEPNET_HIDDEN int getentropy(void* buffer, size_t length) {
  if (length > 256) {
    errno = EIO;
    return -1;
  }
  auto* p = static_cast<unsigned char*>(buffer);
  while (length > 0) {
    const long got = syscall(SYS_getrandom, p, length, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += got;
    length -= static_cast<size_t>(got);
  }
  return 0;
}

DEEPNET_HIDDEN uint32_t arc4random() {
  uint32_t v;
  if (getentropy(&v, sizeof v) != 0) std::abort();
  return v;
}

}  // extern "C"
