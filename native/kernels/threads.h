// One persistent thread pool for the whole addon.
//
// parallel_for(n, fn) runs fn(0) .. fn(n-1), spread over num_threads() threads
// (the caller is one of them) and returns when all are done. Tasks must write
// disjoint outputs; every kernel splits work so that each output element is
// computed by exactly one task with the same arithmetic as the serial code, so
// results do not depend on the thread count.
//
// The pool serves one parallel region at a time. A call made while another
// region runs (a second model training on another thread, or a nested call
// from inside a task) runs its tasks serially on the calling thread instead of
// oversubscribing the cores.
#pragma once

#include <functional>

namespace deepnet {

int num_threads();
// n >= 1. OpenBLAS's thread count follows at its next product
// (openblas::use_threads), so the two never oversubscribe.
void set_num_threads(int n);
void parallel_for(int n_tasks, const std::function<void(int task)>& fn);
// True on a thread while it runs a task of a parallel region (whose nested
// parallel_for calls run serially).
bool in_parallel_task();

// Elementwise work over [0, n): fn(begin, end) on one contiguous chunk per
// thread (chunk bounds are multiples of `align`), or on all of [0, n) at
// once when n < kParallelMin, where a thread hand-off would cost more than
// the work. Results never depend on the split: each element is computed by
// the same operations whoever computes it.
// Templates, so that the common small case calls fn directly: no
// std::function (which may allocate) on the training loop's hot path.
constexpr long kParallelMin = 1L << 16;
// pieces_per_thread > 1 cuts [0, n) finer, the pieces taken in turn by
// whichever thread is free: for work whose cost varies along the range.
void split_range(long n, long align, const std::function<void(long begin, long end)>& fn,
                 int pieces_per_thread = 1);

template <typename Fn>
inline void parallel_range(long n, long align, Fn&& fn, int pieces_per_thread = 1) {
  if (n < kParallelMin || num_threads() <= 1) {
    if (n > 0) fn(0L, n);
    return;
  }
  split_range(n, align, fn, pieces_per_thread);
}

// The same over n_rows rows of row_len elements (for per-row work: bias add,
// row sums): fn(row_begin, row_end), split over rows.
template <typename Fn>
inline void parallel_rows(long n_rows, long row_len, Fn&& fn) {
  if (n_rows * row_len < kParallelMin || num_threads() <= 1 || n_rows < 2) {
    if (n_rows > 0) fn(0L, n_rows);
    return;
  }
  split_range(n_rows, 1, fn);
}

}  // namespace deepnet
