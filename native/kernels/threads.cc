#include "threads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

namespace deepnet {

namespace {

int default_threads() {
  if (const char* env = std::getenv("DEEPNET_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n >= 1) return std::min(n, 256);
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(std::min(hw, 256u));
}

thread_local bool in_region = false;

class Pool {
 public:
  // Runs fn over [0, n_tasks) with up to `threads` threads, the caller included.
  void run(int n_tasks, int threads, const std::function<void(int)>& fn) {
    // A nested region (a task calling parallel_for) runs serially before it
    // touches region_mu_: its thread may already hold it.
    if (in_region || threads <= 1 || n_tasks <= 1) {
      run_serial(n_tasks, fn);
      return;
    }
    std::unique_lock<std::mutex> region(region_mu_, std::try_to_lock);
    if (!region.owns_lock()) {
      run_serial(n_tasks, fn);
      return;
    }
    int helpers = std::min(threads, n_tasks) - 1;
    ensure_workers(helpers);
    {
      std::lock_guard<std::mutex> lk(mu_);
      fn_ = &fn;
      n_tasks_ = n_tasks;
      next_.store(0);
      helpers_ = helpers;
      busy_.store(helpers);
      generation_.fetch_add(1);
    }
    cv_work_.notify_all();
    in_region = true;
    drain();
    in_region = false;
    spin_until([&] { return busy_.load() == 0; });
    std::unique_lock<std::mutex> lk(mu_);
    cv_done_.wait(lk, [&] { return busy_.load() == 0; });
    fn_ = nullptr;
    // A task's exception (bad_alloc, say) reaches the caller once every
    // thread has left fn, never a worker's top level (std::terminate).
    std::exception_ptr error = std::exchange(error_, nullptr);
    lk.unlock();
    if (error) std::rethrow_exception(error);
  }

 private:
  static void run_serial(int n_tasks, const std::function<void(int)>& fn) {
    for (int i = 0; i < n_tasks; ++i) fn(i);
  }

  // Runs tasks until none is left; the first exception is kept for the
  // caller and the tasks not yet started are skipped.
  void drain() {
    for (int i = next_.fetch_add(1); i < n_tasks_; i = next_.fetch_add(1)) {
      try {
        (*fn_)(i);
      } catch (...) {
        std::lock_guard<std::mutex> lk(mu_);
        if (!error_) error_ = std::current_exception();
        next_.store(n_tasks_);
      }
    }
  }

  void ensure_workers(int n) {
    while (static_cast<int>(workers_) < n) {
      int id = static_cast<int>(workers_++);
      // Detached on purpose: the pool lives as long as the process (it is
      // never destroyed), so no exit-time join can hang or terminate.
      std::thread([this, id] { worker(id); }).detach();
    }
  }

  // Waits for done() a short while awake before the caller sleeps on a
  // condition variable: a training step's parallel regions come microseconds
  // apart, and waking a sleeping thread takes tens of microseconds (measured
  // on a 2-core VM: a 30 us product took 90 us on two threads). Bounded, so
  // an idle pool sleeps and leaves the cores to others (OpenBLAS's threads).
  template <typename Done>
  static void spin_until(const Done& done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
    while (!done()) {
      for (int i = 0; i < 32; ++i) pause();
      if (std::chrono::steady_clock::now() > until) return;
    }
  }

  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }

  void worker(int id) {
    in_region = true;  // a task that calls parallel_for runs it serially
    long seen = 0;
    for (;;) {
      spin_until([&] { return generation_.load() != seen; });
      std::unique_lock<std::mutex> lk(mu_);
      cv_work_.wait(lk, [&] { return generation_.load() != seen; });
      seen = generation_.load();
      if (id >= helpers_) continue;  // not needed in this region
      lk.unlock();
      drain();
      lk.lock();
      if (busy_.fetch_sub(1) == 1) cv_done_.notify_one();
    }
  }

  std::mutex region_mu_;
  std::mutex mu_;
  std::condition_variable cv_work_, cv_done_;
  const std::function<void(int)>* fn_ = nullptr;
  std::exception_ptr error_;  // guarded by mu_
  std::atomic<int> next_{0};
  int n_tasks_ = 0;
  int helpers_ = 0;
  std::atomic<int> busy_{0};
  std::atomic<long> generation_{0};
  static constexpr int kSpinMicros = 50;
  unsigned workers_ = 0;
};

Pool& pool() {
  static Pool* p = new Pool();  // intentionally leaked, see ensure_workers
  return *p;
}

std::atomic<int>& thread_setting() {
  static std::atomic<int> n{default_threads()};
  return n;
}

}  // namespace

int num_threads() { return thread_setting().load(); }

void set_num_threads(int n) {
  n = std::max(1, std::min(n, 256));
  thread_setting().store(n);  // OpenBLAS follows at its next product (openblas::use_threads)
}

void parallel_for(int n_tasks, const std::function<void(int)>& fn) {
  pool().run(n_tasks, num_threads(), fn);
}

bool in_parallel_task() { return in_region; }

void split_range(long n, long align, const std::function<void(long, long)>& fn, int pieces_per_thread) {
  const int threads = num_threads();
  const long pieces = static_cast<long>(threads) * std::max(1, pieces_per_thread);
  const long per = ((n + pieces - 1) / pieces + align - 1) / align * align;
  const int tasks = static_cast<int>((n + per - 1) / per);
  pool().run(tasks, threads, [&](int t) {
    const long begin = t * per;
    fn(begin, std::min(n, begin + per));
  });
}

}  // namespace deepnet
