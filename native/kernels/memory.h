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

// Bytes of memory available to new allocations (Linux: MemAvailable).
size_t available_memory();

// Throws AllocationTooLarge naming `what` when `bytes` exceed available_memory().
void check_allocation(double bytes, const std::string& what);

}  // namespace deepnet
