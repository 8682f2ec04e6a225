#include "memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace deepnet {

namespace {

// The first number in `file` (or the value after "key " when key is given),
// or -1 when the file, the key or a number is missing ("max" is missing too).
long long read_number(const std::string& file, const char* key = nullptr) {
  FILE* f = std::fopen(file.c_str(), "r");
  if (!f) return -1;
  char line[256];
  long long value = -1;
  const size_t n = key ? std::strlen(key) : 0;
  while (std::fgets(line, sizeof line, f)) {
    if (key && !(std::strncmp(line, key, n) == 0 && line[n] == ' ')) continue;
    char* end = nullptr;
    const long long v = std::strtoll(key ? line + n + 1 : line, &end, 10);
    if (end != (key ? line + n + 1 : line)) value = v;
    break;
  }
  std::fclose(f);
  return value;
}

// The headroom left by the groups from `dir` up to `mount` (inclusive): the
// files are named `limit`, `usage` and `stat` (with `inactive` in it).
size_t headroom_up(std::string dir, const std::string& mount, const char* limit, const char* usage,
                   const char* inactive) {
  size_t best = SIZE_MAX;
  for (;;) {
    const long long max = read_number(dir + "/" + limit);
    // v1 writes "no limit" as a huge page-rounded number.
    if (max >= 0 && max < (1LL << 62)) {
      const long long used = std::max(0LL, read_number(dir + "/" + usage));
      const long long reclaimable = std::max(0LL, read_number(dir + "/memory.stat", inactive));
      const long long left = max - std::max(0LL, used - reclaimable);
      best = std::min(best, static_cast<size_t>(std::max(0LL, left)));
    }
    if (dir.size() <= mount.size()) return best;
    dir.erase(dir.rfind('/'));
  }
}

}  // namespace

size_t cgroup_headroom(const std::string& root) {
  FILE* f = std::fopen((root + "/proc/self/cgroup").c_str(), "r");
  if (!f) return SIZE_MAX;
  size_t best = SIZE_MAX;
  char line[4096];
  while (std::fgets(line, sizeof line, f)) {
    // "hierarchy:controllers:path"; v2 is "0::path", v1's memory line lists "memory".
    std::string entry(line);
    if (!entry.empty() && entry.back() == '\n') entry.pop_back();
    const size_t a = entry.find(':'), b = a == std::string::npos ? a : entry.find(':', a + 1);
    if (b == std::string::npos) continue;
    const std::string controllers = entry.substr(a + 1, b - a - 1);
    std::string path = entry.substr(b + 1);
    if (path == "/") path.clear();
    if (controllers.empty()) {
      // The unified hierarchy, mounted alone or (hybrid systems) under unified/. Paths the
      // mount does not show (a container's own group is its root) fall back to their parents.
      for (const char* mount : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"})
        best = std::min(best, headroom_up(root + mount + path, root + mount, "memory.max", "memory.current", "inactive_file"));
    } else if (("," + controllers + ",").find(",memory,") != std::string::npos) {
      const std::string mount = root + "/sys/fs/cgroup/memory";
      best = std::min(best, headroom_up(mount + path, mount, "memory.limit_in_bytes", "memory.usage_in_bytes",
                                        "total_inactive_file"));
    }
  }
  std::fclose(f);
  return best;
}

size_t available_memory() {
  size_t available = SIZE_MAX;
  if (FILE* f = std::fopen("/proc/meminfo", "r")) {
    char line[256];
    unsigned long long kib = 0;
    while (std::fgets(line, sizeof line, f)) {
      if (std::sscanf(line, "MemAvailable: %llu kB", &kib) == 1) {
        available = static_cast<size_t>(kib) * 1024;
        break;
      }
    }
    std::fclose(f);
  }
  if (available == SIZE_MAX) {
    const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) available = static_cast<size_t>(pages) * static_cast<size_t>(page);
  }
  return std::min(available, cgroup_headroom(""));
}

void check_allocation(double bytes, const std::string& what) {
  const size_t available = available_memory();
  if (bytes <= static_cast<double>(available)) return;
  char msg[320];
  std::snprintf(msg, sizeof msg, "%s would need %.2f GiB, more than the %.2f GiB of memory available",
                what.c_str(), bytes / 1073741824.0, available / 1073741824.0);
  throw AllocationTooLarge(msg);
}

LargeBuffer::LargeBuffer(size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  data_ = static_cast<char*>(p);
}

LargeBuffer::~LargeBuffer() {
  if (data_) munmap(data_, size_);
}

LargeBuffer::LargeBuffer(LargeBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

LargeBuffer& LargeBuffer::operator=(LargeBuffer&& other) noexcept {
  std::swap(data_, other.data_);
  std::swap(size_, other.size_);
  return *this;
}

}  // namespace deepnet
