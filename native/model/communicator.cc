#include "communicator.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace deepnet {

namespace {

constexpr int kThreadSerialized = 2;  // MPI_THREAD_SERIALIZED in Open MPI and MPICH alike
constexpr int kSuccess = 0;           // MPI_SUCCESS

// The entry points we call, for one ABI: Open MPI's handles are pointers to
// predefined objects (found with dlsym), MPICH's are integer constants.
template <typename Handle>
struct Api {
  int (*init_thread)(int*, char***, int, int*) = nullptr;
  int (*initialized)(int*) = nullptr;
  int (*finalized)(int*) = nullptr;
  int (*finalize)() = nullptr;
  int (*comm_rank)(Handle, int*) = nullptr;
  int (*comm_size)(Handle, int*) = nullptr;
  int (*allreduce)(const void*, void*, int, Handle, Handle, Handle) = nullptr;
  int (*bcast)(void*, int, Handle, int, Handle) = nullptr;
  Handle world{}, f64{}, f32{}, u64{}, byte{}, sum{}, max{}, min{};
  void* in_place = nullptr;
};

template <typename F>
bool bind(void* lib, const char* name, F* out) {
  *out = reinterpret_cast<F>(dlsym(lib, name));
  return *out != nullptr;
}

template <typename Handle>
bool bind_functions(void* lib, Api<Handle>* a) {
  return bind(lib, "MPI_Init_thread", &a->init_thread) && bind(lib, "MPI_Initialized", &a->initialized) &&
         bind(lib, "MPI_Finalized", &a->finalized) && bind(lib, "MPI_Finalize", &a->finalize) &&
         bind(lib, "MPI_Comm_rank", &a->comm_rank) && bind(lib, "MPI_Comm_size", &a->comm_size) &&
         bind(lib, "MPI_Allreduce", &a->allreduce) && bind(lib, "MPI_Bcast", &a->bcast);
}

template <typename Handle>
class MpiWorld final : public Communicator {
 public:
  explicit MpiWorld(const Api<Handle>& api) : api_(api) {
    int provided = 0, done = 0;
    api_.initialized(&done);
    if (!done && api_.init_thread(nullptr, nullptr, kThreadSerialized, &provided) != kSuccess)
      throw std::runtime_error("MPI_Init_thread failed");
    if (!done && provided < kThreadSerialized)
      throw std::runtime_error("MPI provides thread level " + std::to_string(provided) +
                               " (deepnet needs MPI_THREAD_SERIALIZED: a fit calls MPI from a worker thread)");
    api_.comm_rank(api_.world, &rank_);
    api_.comm_size(api_.world, &size_);
    if (!done) std::atexit(&MpiWorld::finalize_at_exit);
    instance_api_ = &api_;
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void sum(double* data, long n) override { reduce(data, n, api_.f64, sizeof(double)); }
  void sum(float* data, long n) override { reduce(data, n, api_.f32, sizeof(float)); }
  bool same_everywhere(uint64_t value) override {
    uint64_t lo = value, hi = value;
    check(api_.allreduce(api_.in_place, &lo, 1, api_.u64, api_.min, api_.world));
    check(api_.allreduce(api_.in_place, &hi, 1, api_.u64, api_.max, api_.world));
    return lo == hi;
  }
  void broadcast(void* data, size_t bytes) override {
    constexpr size_t kPiece = size_t(1) << 30;
    for (size_t at = 0; at < bytes; at += kPiece) {
      const int count = static_cast<int>(bytes - at < kPiece ? bytes - at : kPiece);
      check(api_.bcast(static_cast<char*>(data) + at, count, api_.byte, 0, api_.world));
    }
  }

 private:
  void reduce(void* data, long n, Handle type, size_t bytes) {
    // MPI counts are ints: very large buffers go in pieces.
    constexpr long kPiece = 1L << 30;
    for (long at = 0; at < n; at += kPiece) {
      const int count = static_cast<int>(n - at < kPiece ? n - at : kPiece);
      check(api_.allreduce(api_.in_place, static_cast<char*>(data) + at * bytes, count, type, api_.sum, api_.world));
    }
  }
  static void check(int rc) {
    if (rc != kSuccess) throw std::runtime_error("an MPI collective failed (error " + std::to_string(rc) + ")");
  }
  static void finalize_at_exit() {
    int finalized = 0;
    instance_api_->finalized(&finalized);
    if (!finalized) instance_api_->finalize();
  }
  Api<Handle> api_;
  int rank_ = 0, size_ = 1;
  static inline const Api<Handle>* instance_api_ = nullptr;
};

struct Loaded {
  void* lib = nullptr;
  std::string name, why;
};

// RTLD_GLOBAL: Open MPI's own plugins resolve their symbols against libmpi.
Loaded open_library() {
  Loaded out;
  // $DEEPNET_MPI, when set, is the only candidate (a test can hide MPI with it).
  const char* chosen = std::getenv("DEEPNET_MPI");
  const char* defaults[] = {"libmpi.so.40", "libmpi.so.12", "libmpi.so"};
  std::vector<const char*> candidates;
  if (chosen && *chosen) candidates.push_back(chosen);
  else candidates.assign(std::begin(defaults), std::end(defaults));
  std::string tried;
  for (const char* name : candidates) {
    if (!name || !*name) continue;
    if (void* lib = dlopen(name, RTLD_NOW | RTLD_GLOBAL)) {
      out.lib = lib;
      out.name = name;
      return out;
    }
    tried += std::string(tried.empty() ? "" : ", ") + name;
  }
  out.why = "no MPI library found (tried " + tried + "): install Open MPI (Debian/Ubuntu: apt-get install " +
            "openmpi-bin libopenmpi3) or MPICH, or set DEEPNET_MPI to libmpi's path";
  return out;
}

Communicator* make_world(std::string* why) {
  const Loaded l = open_library();
  if (!l.lib) {
    *why = l.why;
    return nullptr;
  }
  try {
    if (void* world = dlsym(l.lib, "ompi_mpi_comm_world")) {
      Api<void*> a;
      if (!bind_functions(l.lib, &a)) throw std::runtime_error(l.name + " lacks an MPI function deepnet calls");
      a.world = world;
      a.f64 = dlsym(l.lib, "ompi_mpi_double");
      a.f32 = dlsym(l.lib, "ompi_mpi_float");
      a.u64 = dlsym(l.lib, "ompi_mpi_uint64_t");
      a.byte = dlsym(l.lib, "ompi_mpi_byte");
      a.sum = dlsym(l.lib, "ompi_mpi_op_sum");
      a.max = dlsym(l.lib, "ompi_mpi_op_max");
      a.min = dlsym(l.lib, "ompi_mpi_op_min");
      a.in_place = reinterpret_cast<void*>(1);  // Open MPI's MPI_IN_PLACE
      if (!a.f64 || !a.f32 || !a.u64 || !a.byte || !a.sum || !a.max || !a.min)
        throw std::runtime_error(l.name + " lacks a predefined MPI handle deepnet uses");
      return new MpiWorld<void*>(a);
    }
    // MPICH's ABI (also Intel MPI, MVAPICH): integer handles.
    Api<int> a;
    if (!bind_functions(l.lib, &a)) throw std::runtime_error(l.name + " lacks an MPI function deepnet calls");
    a.world = 0x44000000;
    a.f64 = 0x4c00080b;
    a.f32 = 0x4c00040a;
    a.u64 = 0x4c00083b;
    a.byte = 0x4c00010d;
    a.sum = 0x58000003;
    a.max = 0x58000001;
    a.min = 0x58000002;
    a.in_place = reinterpret_cast<void*>(-1);  // MPICH's MPI_IN_PLACE
    return new MpiWorld<int>(a);
  } catch (const std::exception& e) {
    *why = std::string("MPI could not start: ") + e.what();
    return nullptr;
  }
}

}  // namespace

Communicator* mpi_world(std::string* why) {
  static std::mutex mutex;
  static Communicator* world = nullptr;
  static std::string failure;
  std::lock_guard<std::mutex> lock(mutex);
  if (!world && failure.empty()) world = make_world(&failure);
  if (!world) *why = failure;
  return world;
}

std::string mpi_library() {
  const Loaded l = open_library();
  if (!l.lib) return l.why;
  using Version = int (*)(char*, int*);
  Version version = reinterpret_cast<Version>(dlsym(l.lib, "MPI_Get_library_version"));
  char text[8192] = {0};  // MPI_MAX_LIBRARY_VERSION_STRING is at most 8192
  int length = 0;
  if (version && version(text, &length) == kSuccess) {
    std::string s(text, static_cast<size_t>(length > 0 ? length : 0));
    const size_t end = s.find_first_of(",\n");
    return l.name + ": " + s.substr(0, end);
  }
  return l.name;
}

uint64_t fingerprint(const void* data, size_t bytes) {
  uint64_t h = 1469598103934665603ull;
  const unsigned char* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < bytes; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

}  // namespace deepnet
