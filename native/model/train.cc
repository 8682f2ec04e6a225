#include "train.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "batch.h"
#include "cache.h"
#include "cost.h"
#include "gemm.h"
#include "l2.h"
#include "memory.h"
#include "reduce.h"
#include "threads.h"

namespace deepnet {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <typename T>
bool all_finite(const T* a, long size) {
  return first_non_finite(a, size) < 0;
}

template <typename T>
bool gradients_finite(const Workspace<T>& ws, const Parameters<T>& p) {
  for (int l = 1; l <= p.layers(); ++l)
    if (!all_finite(ws.dW[l], static_cast<long>(p.dims[l]) * p.dims[l - 1]) ||
        !all_finite(ws.db[l], p.dims[l]))
      return false;
  return true;
}

template <typename T>
bool parameters_finite(const Parameters<T>& p) {
  for (int l = 1; l <= p.layers(); ++l)
    if (!all_finite(p.W[l], static_cast<long>(p.dims[l]) * p.dims[l - 1]) ||
        !all_finite(p.b[l], p.dims[l]))
      return false;
  return true;
}

template <typename T>
double sum_of_squared_weights(const Parameters<T>& p) {
  double squares = 0.0;  // 0.0 + S1 == S1: the layer sums are added left to right
  for (int l = 1; l <= p.layers(); ++l) squares += sum_of_squares(p.W[l], static_cast<long>(p.dims[l]) * p.dims[l - 1]);
  return squares;
}

// The sum over the batch of the per-example cost (unregularized).
template <typename T>
double cost_sum(const Workspace<T>& ws, const Parameters<T>& p, const T* Y, CostForm form) {
  const int L = p.layers(), K = p.dims[L];
  const long outputs = static_cast<long>(K) * ws.m;
  if (form == CostForm::Logits || p.head != Head::Sigmoid) return head_cost_sum(p.head, ws.Z[L], ws.A[L], Y, K, ws.m);
  if (form == CostForm::Notes) return cross_entropy_sum(ws.A[L], Y, outputs);
  return cross_entropy_sum_course2(ws.A[L], Y, outputs);
}

template <typename T>
void swap_parameters(Parameters<T>& a, Parameters<T>& b) {
  std::swap(a.W, b.W), std::swap(a.b, b.b), std::swap(a.flat, b.flat);
}

// One optimizer step from the forward pass in ws (cost already taken):
// returns what turned non-finite, or null. `into` receives the new
// parameters (p itself, or the spare when guarding).
template <typename T>
const char* step(Parameters<T>& into, Parameters<T>& p, Workspace<T>& ws, const T* X, const T* Y,
                 const TrainSettings& s, OptimizerState<T>* state, double lr, bool full, bool next,
                 bool guard, bool* Z1_ready) {
  if (s.optimizer.kind == OptimizerKind::GD && full) {
    // The notes' iteration, the first layer streamed where it can be.
    *Z1_ready = network_step(into, p, ws, X, Y, s.backward, s.reg, static_cast<T>(lr), next);
    if (!guard) return nullptr;
    if (!gradients_finite(ws, p)) return "gradient";
    return parameters_finite(into) ? nullptr : "parameters";
  }
  network_backward(ws, p, X, Y, s.backward, s.reg);
  const long t = state ? ++state->t : 1;
  const bool ok = optimizer_step(s.optimizer, into.flat, p.flat, ws.grad_flat, state ? state->v : nullptr,
                                 state ? state->s : nullptr, static_cast<long>(p.count()), lr, t);
  if (ok || !guard) return nullptr;
  return gradients_finite(ws, p) ? "parameters" : "gradient";
}

// A data-parallel step (settings.comm): this process's gradient sums (over
// the ws.m examples of its share, possibly none), one allreduce adding up every
// process's, then the division by the whole batch's size, L2 and the update,
// the same on every process. `cost` is this share's cost sum and comes back
// as the whole batch's; returns what turned non-finite, or null.
template <typename T>
const char* parallel_step(Parameters<T>& into, Parameters<T>& p, Workspace<T>& ws, const T* X, const T* Y,
                          const TrainSettings& s, OptimizerState<T>* state, double lr, bool guard,
                          double* cost, double* examples, double* seconds) {
  const long count = static_cast<long>(p.count());
  if (ws.m > 0) {
    Regularization without_l2 = s.reg;
    without_l2.lambd = 0;  // added below, with the whole batch's size
    network_backward(ws, p, X, Y, BackwardForm::Sum, without_l2);
  } else {
    std::fill(ws.grad_flat, ws.grad_flat + count, T(0));
  }
  const auto start = std::chrono::steady_clock::now();
  s.comm->sum(ws.grad_flat, count);
  double totals[2] = {*cost, static_cast<double>(ws.m)};
  s.comm->sum(totals, 2);
  *seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  *cost = totals[0];
  *examples = totals[1];
  const double M = totals[1];
  scale_by(ws.grad_flat, T(1) / T(M), count);
  if (s.reg.lambd > 0)
    for (int l = 1; l <= p.layers(); ++l)
      l2_gradient(ws.dW[l], p.W[l], static_cast<T>(s.reg.lambd), T(M), static_cast<long>(p.dims[l]) * p.dims[l - 1]);
  const long t = state ? ++state->t : 1;
  const bool ok = optimizer_step(s.optimizer, into.flat, p.flat, ws.grad_flat, state ? state->v : nullptr,
                                 state ? state->s : nullptr, count, lr, t);
  if (ok || !guard) return nullptr;
  return gradients_finite(ws, p) ? "parameters" : "gradient";
}

// Throws unless every process holds the same parameters.
template <typename T>
void check_same_parameters(Communicator* comm, const Parameters<T>& p, long steps) {
  if (!comm->same_everywhere(fingerprint(p.flat, p.count() * sizeof(T))))
    throw std::runtime_error("the processes' parameters differ after step " + std::to_string(steps) +
                             " (data-parallel training diverged)");
}

}  // namespace

template <typename T>
double network_cost(const Workspace<T>& ws, const Parameters<T>& p, const T* Y, CostForm form,
                    const Regularization& reg) {
  const double m = ws.m;
  const double sum = cost_sum(ws, p, Y, form);
  // Each form's own spelling of the mean: -S / m (notes), 1./m * S (Course 2).
  double cost = form == CostForm::Notes && p.head == Head::Sigmoid ? sum / m : 1.0 / m * sum;
  if (reg.lambd > 0) cost = cost + l2_cost(sum_of_squared_weights(p), ws.m, reg.lambd);
  return cost;
}

// Whether a chunk of `count` of X's m examples is read in place rather than
// copied: X holds them as columns, and the first layer's product takes the
// same path, at the same level, on them (rows m apart) as on a copy (rows
// count apart), so the results are a copy's. The copy is a pass over X:
// without it, a 100k-example predictProba of [30, 16, 8, 1] took about a
// tenth less time.
template <typename T>
bool chunk_in_place(const Parameters<T>& p, int m, int count, bool X_rows) {
  if (X_rows) return false;
  if (count >= m) return true;
  const int n = p.dims[1], k = p.dims[0];
  const SimdLevel in_place = gemm_builtin_level_for<T>(false, false, n, count, k, m);
  const SimdLevel copied = gemm_builtin_level_for<T>(false, false, n, count, k, count);
  return in_place == copied && gemm_builtin_class_at<T>(in_place, false, false, n, count, k, m) ==
                                   gemm_builtin_class_at<T>(copied, false, false, n, count, k, count);
}

// Chunk j0 .. j0 + count - 1 of X's examples as columns, its row stride in
// *ld: X's own (chunk_in_place), or a copy in B.
template <typename T>
const T* chunk_of(const Parameters<T>& p, T* B, const T* X, int m, int j0, int count, bool X_rows, int* ld) {
  if (chunk_in_place(p, m, count, X_rows)) {
    *ld = m;
    return X + j0;
  }
  *ld = count;
  if (X_rows) gather_rows(B, X, nullptr, j0, p.dims[0], count);
  else copy_columns(B, X, p.dims[0], m, j0, count);
  return B;
}

// Examples per chunk: about as many as keep a chunk's copy of X and its
// activations (about Z and A of every layer) within this core's L2, so that
// each layer reads the one below from cache and the arena is a few MB rather
// than a hundred; at least about kMinChunk (the products stay wide enough for
// the gemm's full tiles) and at most `chunk`. m is cut into balanced chunks,
// each narrowed until its rows (chunk_of's copies, the activations) do not
// alias in L1 (256 becomes 255), which would take the small layers' products
// off the built-in kernel's thin path (gemm.h). Measured on [784, 256, 128, 10] float64, m = 16384, one
// thread: 8192-example chunks 206 ms, these (255) 140-145 ms (numpy 138).
constexpr int kMinChunk = 256;

template <typename T>
int chunk_width(const Parameters<T>& p, int m, int chunk) {
  double column_bytes = p.dims[0];
  for (int l = 1; l <= p.layers(); ++l) column_bytes += 2.0 * p.dims[l];
  column_bytes *= sizeof(T);
  const double fit = static_cast<double>(cache_sizes().l2) / column_bytes;
  chunk = std::min(chunk, std::max(kMinChunk, static_cast<int>(std::min(fit, 1e9))));
  if (m <= chunk) return std::max(1, m);
  const long chunks = (static_cast<long>(m) + chunk - 1) / chunk;
  int c = static_cast<int>((m + chunks - 1) / chunks);
  while (c > 1 && gemm_rows_alias(static_cast<size_t>(c) * sizeof(T))) --c;
  return c;
}

// Runs body(arena, chunk, j0, count) for every chunk of c of the m examples,
// the chunks spread over the pool's threads, each task with its own arena
// (allocated here, before the region, as many as the memory available
// holds) and its chunks in order. Each chunk is computed as it would be
// alone, every product on the built-in kernel (BuiltinGemmScope here, and
// inside a parallel task), so the results do not depend on the thread count.
//
// The arenas' memory is kept by the calling thread for its next call (up to
// kKeptArenaBytes each): a fresh mapping faults in every page it touches,
// which took a sixth of a 100k-example predictProba of [30, 16, 8, 1].
namespace {
constexpr size_t kKeptArenaBytes = size_t{64} << 20;

// One set per thread, whichever dtype and body used it last.
std::vector<LargeBuffer>& kept_arena_memory() {
  thread_local std::vector<LargeBuffer> kept;
  return kept;
}
}  // namespace

template <typename T, typename Body>
void over_chunks(const Parameters<T>& p, int m, int c, bool copy, const Body& body) {
  std::vector<LargeBuffer>& kept = kept_arena_memory();
  const int chunks = static_cast<int>((static_cast<long>(m) + c - 1) / c);
  int tasks = std::min(num_threads(), chunks);
  const double arena_bytes = static_cast<double>(Arena<T>::bytes_for(p, c, false, copy));
  while (tasks > 1 && tasks * arena_bytes > static_cast<double>(available_memory())) --tasks;
  std::vector<std::unique_ptr<Arena<T>>> arenas;
  for (int t = 0; t < tasks; ++t) {
    LargeBuffer reuse;
    if (!kept.empty()) reuse = std::move(kept.back()), kept.pop_back();
    arenas.push_back(std::make_unique<Arena<T>>(p, c, false, copy, std::move(reuse)));
  }
  kept.clear();
  const BuiltinGemmScope builtin;
  const auto run = [&](int t) {
    Arena<T>& arena = *arenas[t];
    for (int i = t; i < chunks; i += tasks) {
      const int j0 = static_cast<int>(static_cast<long>(i) * c), count = std::min(c, m - j0);
      arena.workspace().m = count;
      body(arena, i, j0, count);
    }
  };
  if (tasks == 1) run(0);
  else parallel_for(tasks, run);
  for (auto& arena : arenas)
    if (arena->capacity() <= kKeptArenaBytes) kept.push_back(std::move(*arena).release());
}

template <typename T>
void network_evaluate(const Parameters<T>& p, const T* X, const T* Y, int m, int chunk,
                      double lambd, double* cost, double* accuracy, bool X_rows) {
  const int L = p.layers(), K = p.dims[L];
  const int c = chunk_width(p, m, chunk);
  // Per chunk, summed in chunk order below: the same sum whoever computed them.
  std::vector<double> sums((static_cast<long>(m) + c - 1) / c);
  std::vector<long> correct(sums.size());
  over_chunks(p, m, c, c < m || X_rows, [&](Arena<T>& arena, int i, int j0, int count) {
    Workspace<T>& ws = arena.workspace();
    int ld;
    const T* Xc = chunk_of(p, arena.X(), X, m, j0, count, X_rows, &ld);
    const T* Yc = Y;
    if (c < m) {
      copy_columns(arena.Y(), Y, K, m, j0, count);
      Yc = arena.Y();
    }
    network_forward(ws, p, Xc, Regularization(), 1, false, ld);
    sums[i] = head_cost_sum(p.head, ws.Z[L], ws.A[L], Yc, K, count);
    correct[i] = head_correct(p.head, ws.A[L], Yc, K, count);
  });
  double sum = 0.0;
  long right = 0;
  for (size_t i = 0; i < sums.size(); ++i) sum += sums[i], right += correct[i];
  *cost = 1.0 / static_cast<double>(m) * sum;
  if (lambd > 0) *cost = *cost + l2_cost(sum_of_squared_weights(p), m, lambd);
  const double units = p.head == Head::Sigmoid ? static_cast<double>(K) * m : static_cast<double>(m);
  *accuracy = p.head == Head::Linear ? kNaN : static_cast<double>(right) / units;
}

template <typename T>
bool network_predict(const Parameters<T>& p, const T* X, int m, int chunk, T* AL, bool X_rows,
                     bool check_finite) {
  const int L = p.layers(), n_x = p.dims[0], K = p.dims[L];
  const int c = chunk_width(p, m, chunk);
  std::atomic<bool> finite{true};
  const auto rows_finite = [n_x](const T* Xc, int count, int ld) {
    for (int r = 0; r < n_x; ++r)
      if (!all_finite(Xc + static_cast<long>(r) * ld, count)) return false;
    return true;
  };
  over_chunks(p, m, c, c < m || X_rows, [&](Arena<T>& arena, int, int j0, int count) {
    if (!finite.load(std::memory_order_relaxed)) return;
    int ld;
    const T* Xc = chunk_of(p, arena.X(), X, m, j0, count, X_rows, &ld);
    Workspace<T>& ws = arena.workspace();
    // X read in place is checked through Z1 = W1 X, in cache: a non-finite
    // value of X makes its whole column of Z1 non-finite, so X itself is read
    // again only when Z1 is not finite (X's doing, W1's or an overflow). That
    // saves a pass over X from memory (I1: 15% of float64, 22% of float32);
    // a copied chunk is checked in cache.
    const bool z1_ready = check_finite && Xc != arena.X() && L > 1;
    if (z1_ready)
      gemm<T>(false, false, p.dims[1], count, n_x, T(1), p.W[1], n_x, Xc, ld, T(0), ws.Z[1], count);
    if (check_finite && !(z1_ready && all_finite(ws.Z[1], static_cast<long>(p.dims[1]) * count)) &&
        !rows_finite(Xc, count, ld)) {
      finite.store(false, std::memory_order_relaxed);
      return;
    }
    network_forward(ws, p, Xc, Regularization(), 1, z1_ready, ld);
    for (int k = 0; k < K; ++k)
      std::memcpy(AL + static_cast<long>(k) * m + j0, ws.A[L] + static_cast<long>(k) * count, sizeof(T) * count);
  });
  return finite.load();
}

template <typename T>
TrainResult train(Parameters<T>& p, Parameters<T>* spare, const T* X, const T* Y, int m,
                  const TrainSettings& s, OptimizerState<T>* state, const Validation<T>& validation,
                  EarlyStopping& early, T* best, const TrainHistory& history,
                  const TrainLog& on_log) {
  const int L = p.layers(), n_x = p.dims[0], K = p.dims[L];
  Communicator* comm = s.comm;
  const int rank = comm ? comm->rank() : 0, procs = comm ? comm->size() : 1;
  // Replicated data: every process holds all m examples and takes its share;
  // sharded: its m are its own, and the step's batch is split between them.
  const bool replicated = comm && !s.sharded;
  const double global_m = comm && s.sharded ? [&] { double n = m; comm->sum(&n, 1); return n; }() : m;
  const bool full = s.batch_size <= 0 || (s.sharded ? s.batch_size >= global_m : s.batch_size >= m);
  if (comm && s.sharded && !full && (s.batch_size % procs != 0 || !comm->same_everywhere(static_cast<uint64_t>(m))))
    throw std::runtime_error("sharded mini-batches need a batch size divisible by the " + std::to_string(procs) +
                             " processes and the same number of examples in every shard");
  // Examples this process holds per step: a full batch, its block of one,
  // its positions of a replicated batch, or its part of a sharded one.
  const int b = full ? (replicated ? static_cast<int>((static_cast<long>(m) + procs - 1) / procs) : m)
                     : (comm ? (s.batch_size + procs - 1) / procs : s.batch_size);
  const bool guard = s.stop_on_divergence && spare;
  if (comm) {
    if (s.reg.dropout())
      throw std::runtime_error("data-parallel training does not support dropout yet (each process would draw other masks)");
    // Every process starts from process 0's parameters, optimizer state and
    // generator (Horovod's broadcast_parameters), so they stay identical.
    comm->broadcast(p.flat, p.count() * sizeof(T));
    if (state) {
      comm->broadcast(state->v, p.count() * sizeof(T));
      comm->broadcast(state->s, p.count() * sizeof(T));
      comm->broadcast(&state->t, sizeof state->t);
    }
    if (s.rng) {
      RandomState::State g = s.rng->state();
      comm->broadcast(&g, sizeof g);
      s.rng->set_state(g);
    }
  }
  Arena<T> arena(p, b, s.reg.dropout(), !full || s.X_rows || replicated);
  Workspace<T>& ws = arena.workspace();
  int local = m;  // this process's examples of a full batch
  if (full && replicated) {
    // Process r's contiguous block of the columns.
    const long lo = static_cast<long>(m) * rank / procs, hi = static_cast<long>(m) * (rank + 1) / procs;
    local = static_cast<int>(hi - lo);
    if (s.X_rows) gather_rows(arena.X(), X, nullptr, lo, n_x, local);
    else copy_columns(arena.X(), X, n_x, m, lo, local);
    copy_columns(arena.Y(), Y, K, m, lo, local);
    X = arena.X();
    Y = arena.Y();
    ws.m = local;
  } else if (full && s.X_rows) {
    // Every layer runs on columns: a full batch of rows is transposed once.
    gather_rows(arena.X(), X, nullptr, 0, n_x, m);
    X = arena.X();
  }
  std::vector<int32_t> positions;  // a replicated batch's positions that are this process's
  if (comm && !full) positions.resize(static_cast<size_t>(b));
  LargeBuffer order_memory;
  int32_t* order = nullptr;
  if (!full && s.shuffle) {
    check_allocation(static_cast<double>(m) * sizeof(int32_t), "the shuffled order of the examples");
    order_memory = LargeBuffer(static_cast<size_t>(m) * sizeof(int32_t));
    order = reinterpret_cast<int32_t*>(order_memory.data());
  }
  RandomState shuffler;
  ConsecutiveSeeds shuffle_seeds;
  TrainResult result;
  // Whether the step before left this iteration's W1 X in Z[1] (network_step
  // streams X once for it and dW1).
  bool Z1_ready = false;
  auto cancelled = [&] { return s.cancel && s.cancel->load(std::memory_order_relaxed); };
  auto diverged = [&](const char* what) {
    result.stop = TrainResult::Stop::Diverged;
    result.diverged_what = what;
    return result;
  };
  for (long e = 0; e < s.epochs; ++e) {
    if (cancelled()) {
      result.stop = TrainResult::Stop::Cancelled;
      return result;
    }
    // The rate is decayed after each epoch: epoch E runs at decay(lr0, E - 1).
    const long epoch = s.first_epoch + e;
    const double lr = epoch == 0 ? s.learning_rate
                                 : decayed_learning_rate(s.learning_rate, s.decay, s.decay_rate, s.decay_interval, epoch - 1);
    double cost;
    if (full && comm) {
      if (ws.m > 0) network_forward(ws, p, X, s.reg);
      double sum = ws.m > 0 ? cost_sum(ws, p, Y, s.cost) : 0.0, examples = 0;
      const double squares = s.reg.lambd > 0 ? sum_of_squared_weights(p) : 0.0;  // before the update
      const char* bad = parallel_step(guard ? *spare : p, p, ws, X, Y, s, state, lr, guard, &sum, &examples,
                                      &result.communication_seconds);
      cost = 1.0 / examples * sum;
      if (s.reg.lambd > 0) cost = cost + l2_cost(squares, static_cast<long>(examples), s.reg.lambd);
      if (guard && !std::isfinite(cost)) bad = "cost";
      if (bad) return diverged(bad);
      if (guard) swap_parameters(p, *spare);
      ++result.steps;
    } else if (full) {
      if (s.dropout_seed >= 0 && s.reg.rng) s.reg.rng->seed(static_cast<uint32_t>(s.dropout_seed));
      network_forward(ws, p, X, s.reg, 1, Z1_ready);
      cost = network_cost(ws, p, Y, s.cost, s.reg);
      const char* bad = step(guard ? *spare : p, p, ws, X, Y, s, state, lr, true, e + 1 < s.epochs, guard, &Z1_ready);
      if (guard && !std::isfinite(cost)) bad = "cost";
      if (bad) return diverged(bad);
      if (guard) swap_parameters(p, *spare);
      ++result.steps;
    } else {
      if (order) {
        RandomState* rng = s.rng;
        if (s.shuffle_seed >= 0) {
          shuffle_seeds.seed(shuffler, static_cast<uint32_t>(s.shuffle_seed + epoch + 1));
          rng = &shuffler;
        }
        rng->permutation(order, m);
      }
      // The L2 term of each batch's objective (1/m_b)(lambd/2)sum W^2, times m_b.
      double total = 0.0;
      // A replicated batch is the whole step's (split between the processes
      // below); a sharded one is this process's part.
      const int step_size = replicated ? s.batch_size : b;
      for (int j0 = 0; j0 < m; j0 += step_size) {
        if (cancelled()) {
          result.stop = TrainResult::Stop::Cancelled;
          return result;
        }
        int count = std::min(step_size, m - j0);
        const int32_t* idx = order ? order + j0 : nullptr;
        if (replicated) {
          // Positions rank, rank + procs, ... of the step's batch.
          int n = 0;
          for (int q = rank; q < count; q += procs) positions[n++] = order ? order[j0 + q] : j0 + q;
          count = n;
          idx = positions.data();
        }
        ws.m = count;
        if (s.X_rows) gather_rows(arena.X(), X, idx, j0, n_x, count);
        else if (idx) gather_columns(arena.X(), X, idx, n_x, m, count);
        else copy_columns(arena.X(), X, n_x, m, j0, count);
        if (idx) gather_columns(arena.Y(), Y, idx, K, m, count);
        else copy_columns(arena.Y(), Y, K, m, j0, count);
        if (s.dropout_seed >= 0 && s.reg.rng) s.reg.rng->seed(static_cast<uint32_t>(s.dropout_seed));
        if (count > 0) network_forward(ws, p, arena.X(), s.reg);
        double batch = count > 0 ? cost_sum(ws, p, arena.Y(), s.cost) : 0.0;
        const double squares = s.reg.lambd > 0 ? sum_of_squared_weights(p) : 0.0;  // before the update
        const char* bad = nullptr;
        if (comm) {
          double examples = 0;
          bad = parallel_step(guard ? *spare : p, p, ws, arena.X(), arena.Y(), s, state, lr, guard, &batch, &examples,
                              &result.communication_seconds);
        }
        if (s.reg.lambd > 0) batch += s.reg.lambd / 2.0 * squares;
        if (guard && !std::isfinite(batch)) return diverged("cost");
        total += batch;
        if (!comm) {
          bool unused = false;
          bad = step(guard ? *spare : p, p, ws, arena.X(), arena.Y(), s, state, lr, false, false, guard, &unused);
        }
        if (bad) return diverged(bad);
        if (guard) swap_parameters(p, *spare);
        ++result.steps;
        if (comm && s.check_every > 0 && result.steps % s.check_every == 0) check_same_parameters(comm, p, result.steps);
      }
      ws.m = b;
      cost = total / global_m;
    }
    EpochReport report{e, cost, kNaN, kNaN, lr, false};
    if (validation.m > 0)
      network_evaluate(p, validation.X, validation.Y, validation.m, std::max(b, 1024), s.reg.lambd,
                       &report.val_cost, &report.val_accuracy, validation.X_rows);
    if (history.costs) history.costs[e] = cost;
    if (history.val_costs) history.val_costs[e] = report.val_cost;
    if (history.val_accuracies) history.val_accuracies[e] = report.val_accuracy;
    if (history.learning_rates) history.learning_rates[e] = lr;
    result.completed = e + 1;
    bool& stop_early = report.stopping;
    if (early.patience > 0) {
      const double watched = validation.m > 0 ? report.val_cost : cost;
      if (watched < early.best_cost - early.min_delta) {
        early.best_cost = watched;
        result.best_epoch = e;
        early.since_best = 0;
        if (early.restore_best && best) std::memcpy(best, p.flat, sizeof(T) * p.count());
      } else if (++early.since_best >= early.patience) {
        stop_early = true;
      }
    }
    if (on_log && s.log_every > 0 && (e % s.log_every == 0 || stop_early) && !on_log(report)) {
      result.stop = TrainResult::Stop::ByCallback;
      return result;
    }
    if (stop_early) {
      // As Keras: the best epoch's parameters are restored when training stops early.
      if (early.restore_best && best && std::isfinite(early.best_cost)) std::memcpy(p.flat, best, sizeof(T) * p.count());
      result.stop = TrainResult::Stop::EarlyStopped;
      break;
    }
    if (comm && full && s.check_every > 0 && result.steps % s.check_every == 0) check_same_parameters(comm, p, result.steps);
  }
  if (comm) check_same_parameters(comm, p, result.steps);
  return result;
}

#define DEEPNET_INSTANTIATE(T)                                                                  \
  template double network_cost<T>(const Workspace<T>&, const Parameters<T>&, const T*, CostForm, \
                                  const Regularization&);                                       \
  template void network_evaluate<T>(const Parameters<T>&, const T*, const T*, int, int, double,  \
                                    double*, double*, bool);                                    \
  template bool network_predict<T>(const Parameters<T>&, const T*, int, int, T*, bool, bool);   \
  template TrainResult train<T>(Parameters<T>&, Parameters<T>*, const T*, const T*, int,          \
                                const TrainSettings&, OptimizerState<T>*, const Validation<T>&,  \
                                EarlyStopping&, T*, const TrainHistory&, const TrainLog&);
DEEPNET_INSTANTIATE(float)
DEEPNET_INSTANTIATE(double)
#undef DEEPNET_INSTANTIATE

}  // namespace deepnet
