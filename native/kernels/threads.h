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
// n >= 1. Also sets OpenBLAS's thread count, so the two never oversubscribe.
void set_num_threads(int n);
void parallel_for(int n_tasks, const std::function<void(int task)>& fn);

}  // namespace deepnet
