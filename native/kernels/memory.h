// Refusing allocations the machine cannot hold, before making them. Linux
// overcommits: a too-large malloc may succeed and the process is killed
// later, when the pages are touched. So every large native allocation is
// checked first against the memory available now, and a request beyond it is
// an error the caller turns into a JavaScript RangeError.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace deepnet {

class AllocationTooLarge : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bytes of memory available to new allocations: Linux's MemAvailable, or
// less when a control group limits this process (a container, a Kubernetes
// pod): see cgroup_headroom.
size_t available_memory();

// What the control groups of this process leave before their memory limit
// (cgroup v2 memory.max, v1 memory.limit_in_bytes, at the process's own level
// or any level above it): the smallest limit minus what its group uses, page
// cache the kernel can reclaim (inactive_file) not counted as used. SIZE_MAX
// when no limit applies. `root` prefixes every path read ("" in use; tests
// pass a directory holding a fake /proc/self/cgroup and /sys/fs/cgroup).
size_t cgroup_headroom(const std::string& root);

// Throws AllocationTooLarge naming `what` when `bytes` exceed available_memory().
void check_allocation(double bytes, const std::string& what);

// A large zero-filled block, taken straight from the kernel with mmap and
// given back with munmap. malloc would keep freed blocks of this size in its
// arenas (glibc raises its mmap threshold after each large free), so a server
// that trains many models, or trains in short-lived worker threads, would see
// its resident memory only grow. Page-aligned, so SIMD-aligned too.
class LargeBuffer {
 public:
  LargeBuffer() = default;
  explicit LargeBuffer(size_t bytes);  // throws std::bad_alloc
  ~LargeBuffer();
  LargeBuffer(LargeBuffer&& other) noexcept;
  LargeBuffer& operator=(LargeBuffer&& other) noexcept;
  LargeBuffer(const LargeBuffer&) = delete;
  LargeBuffer& operator=(const LargeBuffer&) = delete;

  char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace deepnet
