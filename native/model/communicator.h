// The processes that train one model together (synchronous data parallelism,
// as Horovod does it): each computes the gradient sums of its share of a
// batch, one allreduce adds them up, and every process applies the same
// update, so their parameters stay identical.
//
// MPI (Open MPI, or an MPICH-compatible library) is found at run time with
// dlopen, never linked, so a binary built with or without it loads and runs
// everywhere; only `distributed` training needs it. Search order:
// $DEEPNET_MPI (a path; when set, the only one tried), else libmpi.so.40
// (Open MPI), libmpi.so.12 (MPICH), libmpi.so. MPI is initialized on first use with MPI_THREAD_SERIALIZED
// (an async fit calls MPI from a libuv worker thread, one call at a time)
// and finalized when the process exits.
#pragma once

#include <cstdint>
#include <string>

namespace deepnet {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // data (n) = the element-wise sum of every process's data (n), in place.
  virtual void sum(double* data, long n) = 0;
  virtual void sum(float* data, long n) = 0;
  // Whether every process holds the same value (e.g. a hash of its parameters).
  virtual bool same_everywhere(uint64_t value) = 0;
  // data (bytes) = process 0's data, on every process.
  virtual void broadcast(void* data, size_t bytes) = 0;
};

// The MPI world (every process of the job), initialized on first call; null
// with *why set when MPI cannot be found or started. Thread-safe.
Communicator* mpi_world(std::string* why);

// A description of the MPI library found ("Open MPI v4.1.4, ..."), or why
// there is none; does not initialize MPI.
std::string mpi_library();

// FNV-1a over `bytes` bytes: the parameters' fingerprint the ranks compare.
uint64_t fingerprint(const void* data, size_t bytes);

}  // namespace deepnet
