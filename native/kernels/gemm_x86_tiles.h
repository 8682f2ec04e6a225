// The built-in gemm's x86 register tiles, written once for any vector width:
// each level's kernel file (gemm_avx2.cc: 16 ymm registers; gemm_avx512.cc:
// 32 zmm registers) includes this inside its level namespace, after its
// target pragma, with Vec<T> defined: its vector type V, lanes, and the
// operations below (zero, set1, bcast, load, loadu, storeu, fmadd, mul, add,
// unless_nonpositive, keep, tail_mask/load_masked, lane_sums4). No includes
// here. The tile shapes each level uses are its own (they depend on its
// register count); gemm_x86_paths.h drives them.
//
//   store_tile / store_tile_transposed   write-back of an R x V accumulator tile
//   micro_packed                         the packed path's MR x NV micro-kernel
//   thin_tile                            the thin and thin NT paths' tile
//   dot_tile                             the dot path's DA x DB dot products
//   small_k_rows                         the small-K path's rows

// gemm_fused's epilogue at a tile's stores (data null: none), alpha 1 and
// beta 0 only: BiasRelu's bias from the tile's first row (row r: data[r]),
// or ReluMask's mask from the tile's first element (row r, column c:
// data[r * ldc + c], C's strides).
template <typename T>
struct TileEpilogue {
  Epilogue kind = Epilogue::BiasRelu;
  const T* data = nullptr;
};

// relu(x) (mask == x), or x where mask > 0, else 0: the epilogues' relu,
// as relu_backward and bias_activation_forward compute it (NaN passes).
template <typename T>
inline T relu_mask1(T x, T mask) {
  return mask <= T(0) ? T(0) : x;
}

// d = combine(alpha, acc, beta, d) for the first `rows` rows of an R x V tile
// of vectors at dst (row stride ld), one loop per case: SCALED = (alpha != 1),
// BETA = 0, 1 or 2 (any other beta); EPI (SCALED false, BETA 0): then e's
// epilogue, its mask at dst's strides.
template <typename T, int R, int V, bool SCALED, int BETA, bool EPI = false>
DEEPNET_X86_INLINE void store_rows(const typename Vec<T>::V (&acc)[R][V], int rows, T* dst,
                                    idx ld, typename Vec<T>::V va, typename Vec<T>::V vb,
                                    TileEpilogue<T> e = {}) {
  using Y = Vec<T>;
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
    if (r >= rows) break;
    const typename Y::V bias = EPI && e.kind == Epilogue::BiasRelu ? Y::set1(e.data[r]) : Y::zero();
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) {
      T* d = dst + r * ld + v * Y::lanes;
      typename Y::V x = SCALED ? Y::mul(va, acc[r][v]) : acc[r][v];
      if (BETA == 1) x = Y::add(x, Y::loadu(d));
      if (BETA == 2) x = Y::add(x, Y::mul(vb, Y::loadu(d)));
      if (EPI) {
        if (e.kind == Epilogue::BiasRelu) {
          x = Y::add(x, bias);
          x = Y::unless_nonpositive(x, x);
        } else {
          x = Y::unless_nonpositive(x, Y::loadu(e.data + r * ld + v * Y::lanes));
        }
      }
      Y::storeu(d, x);
    }
  }
}

// C[0:rows, skip:skip+n] = combine(alpha, acc, beta, C) lane by lane, for the
// first rows of a register tile of R rows x V vectors (skip + n <= V * lanes),
// then e's epilogue (alpha 1, beta 0; e's mask at C's position). Edge columns
// go through a temp tile so the vector arithmetic is the same whatever the
// tile's position; their epilogue is the same arithmetic, one by one.
template <typename T, int R, int V>
DEEPNET_X86_INLINE void store_tile(const typename Vec<T>::V (&acc)[R][V], int rows, int skip,
                                    int n, T* C, idx ldc, T alpha, T beta, TileEpilogue<T> e = {}) {
  using Y = Vec<T>;
  constexpr int L = Y::lanes, NR = V * L;
  alignas(64) T tmp[R * NR];
  T* dst = C;
  idx ld = ldc;
  if (n < NR) {
    dst = tmp;
    ld = NR;
    if (beta != T(0)) {
      std::memset(tmp, 0, sizeof tmp);
      for (int r = 0; r < rows; ++r)
        std::memcpy(tmp + r * NR + skip, C + r * ldc + skip, n * sizeof(T));
    }
  }
  const typename Y::V va = Y::set1(alpha), vb = Y::set1(beta);
  if (e.data) {
    if (n == NR) {
      store_rows<T, R, V, false, 0, true>(acc, rows, dst, ld, va, vb, e);
      return;
    }
    store_rows<T, R, V, false, 0>(acc, rows, dst, ld, va, vb);
    for (int r = 0; r < rows; ++r)
      for (int c = skip; c < skip + n; ++c) {
        T& x = tmp[r * NR + c];
        if (e.kind == Epilogue::BiasRelu) {
          x = x + e.data[r];
          x = relu_mask1(x, x);
        } else {
          x = relu_mask1(x, e.data[r * ldc + c]);
        }
      }
  } else if (alpha == T(1)) {  // alpha * acc is acc, exactly
    if (beta == T(0)) store_rows<T, R, V, false, 0>(acc, rows, dst, ld, va, vb);
    else if (beta == T(1)) store_rows<T, R, V, false, 1>(acc, rows, dst, ld, va, vb);
    else store_rows<T, R, V, false, 2>(acc, rows, dst, ld, va, vb);
  } else {
    if (beta == T(0)) store_rows<T, R, V, true, 0>(acc, rows, dst, ld, va, vb);
    else if (beta == T(1)) store_rows<T, R, V, true, 1>(acc, rows, dst, ld, va, vb);
    else store_rows<T, R, V, true, 2>(acc, rows, dst, ld, va, vb);
  }
  if (n < NR)
    for (int r = 0; r < rows; ++r)
      std::memcpy(C + r * ldc + skip, tmp + r * NR + skip, n * sizeof(T));
}

// store_tile, transposed: C[c][r] = combine(alpha, tile[r][c], beta, C[c][r])
// for r < rows, skip <= c < skip + n, element by element through a temp tile
// (the thin NT path with a small M computes C^T, whose rows are C's columns).
template <typename T, int R, int V>
DEEPNET_X86_INLINE void store_tile_transposed(const typename Vec<T>::V (&acc)[R][V], int rows,
                                               int skip, int n, T* C, idx ldc, T alpha, T beta) {
  using Y = Vec<T>;
  constexpr int NR = V * Y::lanes;
  alignas(64) T tmp[R][NR];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) Y::storeu(&tmp[r][v * Y::lanes], acc[r][v]);
  for (int c = skip; c < skip + n; ++c) {
    T* crow = C + c * ldc;
    for (int r = 0; r < rows; ++r) crow[r] = combine(alpha, tmp[r][c], beta, crow[r]);
  }
}

// ---------------------------------------------------------------------------
// Packed path micro-kernel: MR rows x NV vectors (NR = NV * lanes columns).

// C[0:R, 0:n] (+)= alpha * A (kc, MR) * B (kc, NR), R <= MR, n <= NR.
// A and B are packed panels (B 64-byte aligned); C is the caller's matrix.
template <typename T, int R, int MR, int NV>
void micro_packed(int n, int kc, const T* A, const T* B, T* C, idx ldc, T alpha, T beta) {
  using Y = Vec<T>;
  using V = typename Y::V;
  constexpr int L = Y::lanes, NR = NV * L;
  V acc[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[r][v] = Y::zero();
  // Warm C's lines (a row of the tile may straddle two) now; they are
  // needed only after the k loop.
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
    _mm_prefetch(reinterpret_cast<const char*>(C + r * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(C + r * ldc + NR - 1), _MM_HINT_T0);
  }
#pragma GCC unroll 4
  for (int k = 0; k < kc; ++k) {
    V b[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) b[v] = Y::load(B + v * L);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const V a = Y::bcast(A + r);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[r][v] = Y::fmadd(a, b[v], acc[r][v]);
    }
    A += MR;
    B += NR;
  }
  store_tile<T, R, NV>(acc, R, 0, n, C, ldc, alpha, beta);
}

// A packed-path kernel (gemm_packed.h's Kern) from micro_packed: the micro
// call for each row count of a bottom-edge panel, the panels' interleave, and
// the share of L1 its B micro-panel may take.
template <typename T, int MR_, int NV, int L1_PERCENT>
struct PackedKernel {
  static constexpr int MR = MR_, NR = NV * Vec<T>::lanes;
  static constexpr double l1_share = L1_PERCENT / 100.0;  // of L1 for a B micro-panel (gemm_packed.h)
  static void micro(int m, int n, int kc, const T* A, const T* B, T* C, idx ldc, T alpha,
                    T beta) {
    using Fn = void (*)(int, int, const T*, const T*, T*, idx, T, T);
    static constexpr Fn table[] = {
        micro_packed<T, 1, MR, NV>,  micro_packed<T, 2, MR, NV>,  micro_packed<T, 3, MR, NV>,
        micro_packed<T, 4, MR, NV>,  micro_packed<T, 5, MR, NV>,  micro_packed<T, 6, MR, NV>,
        micro_packed<T, 7, MR, NV>,  micro_packed<T, 8, MR, NV>,  micro_packed<T, 9, MR, NV>,
        micro_packed<T, 10, MR, NV>, micro_packed<T, 11, MR, NV>, micro_packed<T, 12, MR, NV>,
        micro_packed<T, 13, MR, NV>, micro_packed<T, 14, MR, NV>};
    static_assert(MR <= 14, "the table above");
    table[m - 1](n, kc, A, B, C, ldc, alpha, beta);
  }
  static void interleave_a(const T* const* src, int kc, T* dst) {
    interleave_panel<T, MR>(src, kc, dst);
  }
  static void interleave_b(const T* const* src, int kc, T* dst) {
    interleave_panel<T, NR>(src, kc, dst);
  }
};

// ---------------------------------------------------------------------------
// Thin tile (the thin and thin NT paths).

// C[0:rows, 0:count*NR] (+)= alpha * op(A)[0:rows, 0:kc] * B[0:kc, 0:count*NR],
// rows <= R, one tile of NR = V * lanes columns after another, storing only
// the columns [skip, skip + n) of each (TRANS: stored transposed, see above).
// op(A)[r][k] = A[r * a_r + k * a_k] (NN: a_r = lda, a_k = 1; TN the
// reverse); B[k][c] = B[k * ldb + c]. Rows past `rows` repeat the last one
// (computed, not stored), so every element is the same k-ascending FMA chain
// whatever the tile. Prefetches: pf != 0, at each k, B's row k at column pf
// (the tile after this one); pfa != 0, once per cache line of k, op(A)'s rows
// pfa elements further (the row tiles ahead). e: the epilogue at the first
// tile's stores (not TRANS; store_tile), its mask moving along with C.
template <typename T, int R, int V, bool TRANS>
void thin_tile(int count, int rows, int skip, int n, int kc, const T* A,
                                   idx a_r, idx a_k, const T* B, idx ldb, T* C, idx ldc, T alpha,
                                   T beta, idx pf, idx pfa, TileEpilogue<T> e) {
  using Y = Vec<T>;
  constexpr int L = Y::lanes, NR = V * L;
  const idx e_step = e.data && e.kind == Epilogue::ReluMask ? NR : 0;
  idx off[R];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) off[r] = std::min(r, rows - 1) * a_r;
  for (; count > 0; --count, B += NR, C += NR, e.data = e_step ? e.data + e_step : e.data) {
    typename Y::V acc[R][V];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) acc[r][v] = Y::zero();
    const T* a = A;
    const T* b = B;
#pragma GCC unroll 2
    for (int k = 0; k < kc; ++k, a += a_k, b += ldb) {
      if (pfa && (k & (64 / int(sizeof(T)) - 1)) == 0) {
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r)
          _mm_prefetch(reinterpret_cast<const char*>(a + off[r] + pfa), _MM_HINT_T0);
      }
      if (pf) {
        // The new lines of the next tile's row (its first is mostly this one's last).
#pragma GCC unroll 8
        for (int o = NR - 1; o > 0; o -= 64 / int(sizeof(T)))
          _mm_prefetch(reinterpret_cast<const char*>(b + pf + o), _MM_HINT_T0);
      }
      typename Y::V bv[V];
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) bv[v] = Y::loadu(b + v * L);
#pragma GCC unroll 8
      for (int r = 0; r < R; ++r) {
        const typename Y::V av = Y::bcast(a + off[r]);
#pragma GCC unroll 8
        for (int v = 0; v < V; ++v) acc[r][v] = Y::fmadd(av, bv[v], acc[r][v]);
      }
    }
    if (TRANS)
      store_tile_transposed<T, R, V>(acc, rows, skip, n, C, ldc, alpha, beta);
    else
      store_tile<T, R, V>(acc, rows, skip, n, C, ldc, alpha, beta, e);
  }
}

// A thin tile of R rows by V vectors (thin path), or R rows of the large side
// by V vectors of the small side, in lane_tiles tiles over its W packed
// lanes (thin NT path); the level picks them for its registers.
struct ThinShape {
  int R, V;
};
struct ThinNTShape {
  int R, V, lane_tiles, W;  // W: the packed small operand's row length, whole lane tiles
};

template <typename T>
using ThinFn = void (*)(int, int, int, int, int, const T*, idx, idx, const T*, idx, T*, idx, T, T,
                        idx, idx, TileEpilogue<T>);

// ---------------------------------------------------------------------------
// Dot tile.

// C[0:ra, 0:rb] (+)= alpha * A[0:ra, 0:K] . B[0:rb, 0:K]^T, a DA x DB tile
// (DA * DB accumulators, 4 or 12), ra <= DA, rb <= DB. Missing rows repeat the
// last one (computed, not stored), so every element is the same k-ascending
// lane-wise FMA chain and the same final lane sum (Vec::lane_sums4) whatever
// the tile. pfa / pfb != 0: prefetch the rows that far past A's / B's.
template <typename T, int DA, int DB>
void dot_tile(int ra, int rb, int K, const T* A, idx lda, const T* B, idx ldb, T* C, idx ldc,
              T alpha, T beta, idx pfa, idx pfb) {
  using Y = Vec<T>;
  using V = typename Y::V;
  constexpr int L = Y::lanes;
  static_assert(DA * DB % 4 == 0, "lane sums four at a time");
  const T* a[DA];
  const T* b[DB];
  for (int i = 0; i < DA; ++i) a[i] = A + std::min(i, ra - 1) * lda;
  for (int j = 0; j < DB; ++j) b[j] = B + std::min(j, rb - 1) * ldb;
  V acc[DA][DB];
#pragma GCC unroll 12
  for (int i = 0; i < DA; ++i)
#pragma GCC unroll 12
    for (int j = 0; j < DB; ++j) acc[i][j] = Y::zero();
  // One step: k..k+L of every row. The smaller side is held in registers
  // while the other streams past it (accumulators + that side + 1 fit the
  // level's registers).
  const auto step = [&](auto load) {
    if (DA <= DB) {
      V va[DA];
#pragma GCC unroll 12
      for (int i = 0; i < DA; ++i) va[i] = load(a[i]);
#pragma GCC unroll 12
      for (int j = 0; j < DB; ++j) {
        V vb = load(b[j]);
        Y::keep(vb);  // one load, in a register, not one per FMA
#pragma GCC unroll 12
        for (int i = 0; i < DA; ++i) acc[i][j] = Y::fmadd(va[i], vb, acc[i][j]);
      }
    } else {
      V vb[DB];
#pragma GCC unroll 12
      for (int j = 0; j < DB; ++j) vb[j] = load(b[j]);
#pragma GCC unroll 12
      for (int i = 0; i < DA; ++i) {
        V va = load(a[i]);
        Y::keep(va);  // one load, in a register, not one per FMA
#pragma GCC unroll 12
        for (int j = 0; j < DB; ++j) acc[i][j] = Y::fmadd(va, vb[j], acc[i][j]);
      }
    }
  };
  int k = 0;
  for (; k + L <= K; k += L) {
    if (pfa)
      for (int i = 0; i < DA; ++i)
        _mm_prefetch(reinterpret_cast<const char*>(a[i] + pfa + k), _MM_HINT_T0);
    if (pfb)
      for (int j = 0; j < DB; ++j)
        _mm_prefetch(reinterpret_cast<const char*>(b[j] + pfb + k), _MM_HINT_T0);
    step([k](const T* p) { return Y::loadu(p + k); });
  }
  if (k < K) {  // the K % L tail: masked-off lanes load 0 and touch no memory
    const typename Y::Mask m = Y::tail_mask(K - k);
    step([k, m](const T* p) { return Y::load_masked(p + k, m); });
  }
  // Lane sums, four accumulators at a time, in (i, j) order.
  alignas(64) T sum[DA * DB];
  const V* flat = &acc[0][0];
  for (int g = 0; g < DA * DB; g += 4) Y::lane_sums4(sum + g, flat + g);
  for (int i = 0; i < ra; ++i)
    for (int j = 0; j < rb; ++j)
      C[i * ldc + j] = combine(alpha, sum[i * DB + j], beta, C[i * ldc + j]);
}

template <typename T>
using DotFn = void (*)(int, int, int, const T*, idx, const T*, idx, T*, idx, T, T, idx, idx);

// A dot tile: DA rows of A by DB rows of B.
struct DotShape {
  int DA, DB;
};

// ---------------------------------------------------------------------------
// Small K (K <= 4, B not transposed: the first layer of a network on 2-D data,
// Z1 (n, m) = W1 (n, 2) . X (2, m)): each row of C is a combination of B's K
// rows, which stay in L1, written in one pass with no packing. The work is
// then mostly the stores; a tiled kernel's setup would cost more than it.
//   C (M, N) = alpha * op(A) (M, K) . B (K, N) + beta * C
// Element (i, j) is a[0] * b[0][j] (rounded), then fma a[k] * b[k][j] for
// k = 1..K-1, the same sequence in the vector body and the scalar tail.

constexpr int kSmallK = 4;

// How small_k_rows stores an element: alpha * acc + beta * c (Scaled), acc
// (Plain: alpha == 1, beta == 0, the network's products), or one of
// gemm_fused's epilogues (alpha == 1, beta == 0).
enum class Store { Scaled, Plain, BiasRelu, ReluMask };

// Rows i0..i1 of C, K a compile-time constant so that the K broadcasts stay
// in registers.
template <typename T, int K, Store S>
void small_k_rows(const Problem<T>& p, int i0, int i1) {
  using Y = Vec<T>;
  using V = typename Y::V;
  constexpr int L = Y::lanes;
  const T* b[K];
  for (int k = 0; k < K; ++k) b[k] = p.B + k * p.ldb;
  const V valpha = Y::set1(p.alpha), vbeta = Y::set1(p.beta);
  for (int i = i0; i < i1; ++i) {
    T a[K];
    V va[K];
    for (int k = 0; k < K; ++k) {
      a[k] = p.transA ? p.A[k * p.lda + i] : p.A[i * p.lda + k];
      va[k] = Y::set1(a[k]);
    }
    T* c = p.C + i * p.ldc;
    const T bias = S == Store::BiasRelu ? p.epilogue_data[i] : T(0);
    const T* mask = S == Store::ReluMask ? p.epilogue_data + i * p.ldc : nullptr;
    const V vbias = Y::set1(bias);
    int j = 0;
    for (; j + L <= p.N; j += L) {
      V acc = Y::mul(va[0], Y::loadu(b[0] + j));
      for (int k = 1; k < K; ++k) acc = Y::fmadd(va[k], Y::loadu(b[k] + j), acc);
      if (S == Store::Scaled) {
        acc = Y::mul(valpha, acc);
        if (p.beta != T(0)) acc = Y::add(acc, Y::mul(vbeta, Y::loadu(c + j)));
      } else if (S == Store::BiasRelu) {
        acc = Y::add(acc, vbias);
        acc = Y::unless_nonpositive(acc, acc);
      } else if (S == Store::ReluMask) {
        acc = Y::unless_nonpositive(acc, Y::loadu(mask + j));
      }
      Y::storeu(c + j, acc);
    }
    for (; j < p.N; ++j) {
      T acc = a[0] * b[0][j];
      for (int k = 1; k < K; ++k) acc = std::fma(a[k], b[k][j], acc);
      if (S == Store::Scaled) acc = p.beta != T(0) ? p.alpha * acc + p.beta * c[j] : p.alpha * acc;
      if (S == Store::BiasRelu) {
        acc = acc + bias;
        acc = relu_mask1(acc, acc);
      }
      if (S == Store::ReluMask) acc = relu_mask1(acc, mask[j]);
      c[j] = acc;
    }
  }
}

