// The built-in gemm's x86 paths, written once for any vector level: the
// thin, thin NT, dot and small-K paths, gemm_streamed, and the packed path
// with the level's micro-kernel, behind the level's GemmLevel entry points
// (gemm_x86.h). Included by gemm_avx2.cc and gemm_avx512.cc inside their
// level namespace, after gemm_x86_tiles.h and the level's shapes:
//   kThinRows, kThinMinRows, kThinTileBytes, thin_shape / thin_kernel
//                                             the thin path's row tiles
//   thin_nt_shape / thin_nt_kernel            the thin NT path's tiles
//   dot_shape / dot_kernel                    the dot path's tiles
//   Packed<T>                                 the packed path's kernel
// No includes here (see gemm_x86_tiles.h).

// Thin path blocking: KC rows of B per pass, 128 where a strip of them as
// wide as the level's typical tile (kThinTileBytes a row, not counting the
// lines they straddle) fits in L1, fewer (a multiple of 16, 32 at least)
// where it does not. Each pass reloads and stores C's tiles, so fewer,
// longer passes save more than keeping the strip within half of L1 does:
// 128 rows measured best at AVX2 on a Zen 3 (64-128 at M = 20, 256 slower)
// and at AVX-512 on a Zen 4 (against 32 and 64, the thin products of
// K >= 128 in bench_gemm, medians of three runs: W1's 20 x 209 by 12288 f32
// 1.51 -> 1.20 ms, f64 3.00 -> 2.64 ms; I2's K = 128 7-11% faster).
inline int thin_kc_max() {
  static const int kc = std::min(128, std::max(32, static_cast<int>(cache_sizes().l1d / kThinTileBytes) / 16 * 16));
  return kc;
}

// The thin path's row tiles for C's M rows: of at most kThinRows rows and at
// least kThinMinRows, as few as compute the fewest rows (each tile computes
// its tallest's rows). At AVX2, M = 16 is four 4 x 3 tiles, not three 6 x 2
// computing 18 rows (measured: 4-15% faster on I1's first layer, 16 x 813
// by 30); M = 20 stays four 5 x 2, which measured faster than five 4 x 3
// although those compute fewer columns at some N.
inline int thin_row_tiles(int M) {
  int best = (M + kThinRows - 1) / kThinRows;
  const auto computed = [M](int t) { return t * ((M + t - 1) / t); };
  for (int t = best + 1; t <= M / kThinMinRows; ++t)
    if (computed(t) < computed(best)) best = t;
  return best;
}

// One K block [pc, pc + kc) of a thin-path task: C[:, j0:j1] (+)= op(A)[:, pc:+kc]
// B[pc:+kc, j0:j1], all M rows, in balanced row tiles of at most kThinRows rows
// (beta on the first block, 1 after); p's epilogue, if any, in the last
// block's stores.
template <typename T>
void thin_k_block(const Problem<T>& p, int j0, int j1, int pc, int kc) {
  const int tiles = thin_row_tiles(p.M);
  const int rows_max = (p.M + tiles - 1) / tiles;
  const int tall_tiles = p.M - (rows_max - 1) * tiles;  // the rest have one row less
  const ThinShape sh = thin_shape(rows_max);
  const ThinFn<T> fn = thin_kernel<T>(sh);
  const int NR = sh.V * Vec<T>::lanes;
  const idx a_r = p.transA ? 1 : p.lda, a_k = p.transA ? p.lda : 1;
  const int full = (j1 - j0) / NR, edge = (j1 - j0) - full * NR;
  const T beta = pc == 0 ? p.beta : T(1);
  const T* A = p.A + pc * a_k;
  const T* B = p.B + pc * p.ldb;
  const bool epilogue = p.epilogue_data && pc + kc == p.K;
  // Row tiles over C[:, j:j + count * NR] (count full tiles, or the edge).
  const auto row_tiles = [&](int j, int count, int skip, int n, const T* b, idx ldb, idx pf) {
    for (int t = 0, i = 0; t < tiles; ++t) {
      const int rows = t < tall_tiles ? rows_max : rows_max - 1;
      const idx c = i * p.ldc + j - skip;
      TileEpilogue<T> e;
      if (epilogue)
        e = {p.epilogue, p.epilogue == Epilogue::BiasRelu ? p.epilogue_data + i : p.epilogue_data + c};
      fn(count, rows, skip, n, kc, A + i * a_r, a_r, a_k, b, ldb, p.C + c, p.ldc, p.alpha, beta, pf, 0, e);
      i += rows;
    }
  };
  // A B block that fits in L1 (small problems) is swept by each row tile in
  // one call; a larger one goes tile by tile, all row tiles over each, every
  // one prefetching the next tile's rows (the first touch of B, strided down
  // kc rows, is what the hardware prefetcher cannot foresee).
  if (static_cast<size_t>(kc) * (j1 - j0) * sizeof(T) <= half_l1()) {
    if (full) row_tiles(j0, full, 0, NR, B + j0, p.ldb, 0);
  } else {
    for (int jt = 0; jt < full; ++jt) {
      const int j = j0 + jt * NR;
      row_tiles(j, 1, 0, NR, B + j, p.ldb, jt + 1 < full ? NR : 0);
    }
  }
  if (edge) {
    // The right edge reads the NR columns ending at N and stores its last
    // n; only when N < NR are they copied into a zero-padded buffer.
    const int j = j1 - edge;
    if (p.N >= NR) {
      row_tiles(j, 1, NR - edge, edge, B + j - (NR - edge), p.ldb, 0);
    } else {
      T* e = tls_pack_b.get<T>(static_cast<size_t>(kc) * NR);
      for (int k = 0; k < kc; ++k) {
        std::memcpy(e + k * NR, B + k * p.ldb + j, edge * sizeof(T));
        std::memset(e + k * NR + edge, 0, (NR - edge) * sizeof(T));
      }
      row_tiles(j, 1, 0, edge, e, NR, 0);
    }
  }
}

// The thin path's K blocks: a function of K (and this machine's L1) alone.
inline int thin_kc(int K) { return even_block(K, thin_kc_max(), 1); }

// One task of the thin path: C[:, j0:j1], all of K.
template <typename T>
void thin_block(const Problem<T>& p, int j0, int j1) {
  const int kcb = thin_kc(p.K);
  for (int pc = 0; pc < p.K; pc += kcb) thin_k_block(p, j0, j1, pc, std::min(kcb, p.K - pc));
}

template <typename T>
void gemm_thin(const Problem<T>& p) {
  const int tiles = thin_row_tiles(p.M);
  const int NR = thin_shape((p.M + tiles - 1) / tiles).V * Vec<T>::lanes;
  split_tasks(p, (p.N + NR - 1) / NR, [&](int u0, int u1) {
    thin_block<T>(p, u0 * NR, std::min(p.N, u1 * NR));
  });
}

// Thin NT path: packed blocks of up to 48K (one K block at m = 209 for S <= 24
// doubles), prefetching the large side's rows 3 row tiles ahead (measured).
constexpr size_t kThinNTPackBytes = 48 << 10;
constexpr int kThinNTPrefetch = 3;

// The thin NT product seen as large x small: C[r][s] = alpha * sum over k of
// large[r][k] small[s][k] (+ beta C), S = min(M, N) the small side. Per K
// block the small operand is packed into St (kc, W), St[k][s] = its row s at
// pc + k, zero past S; then each tile of R rows of the large operand,
// broadcast along k, runs over every lane tile of St, the first prefetching
// the rows kThinNTPrefetch tiles ahead. With S = M the tile is C^T, stored
// transposed.
template <typename T>
struct ThinNT {
  const Problem<T>& p;
  const bool small_m = p.M <= p.N;
  const int S = small_m ? p.M : p.N;
  const T* small = small_m ? p.A : p.B;
  const T* large = small_m ? p.B : p.A;
  const idx ld_small = small_m ? p.lda : p.ldb, ld_large = small_m ? p.ldb : p.lda;
  // C[r][s] of the large x small product, as C's row and column strides.
  const idx c_r = small_m ? 1 : p.ldc, c_s = small_m ? p.ldc : 1;
  const ThinNTShape sh = thin_nt_shape<T>(S);
  const ThinFn<T> fn = small_m ? thin_nt_kernel<T, true>(sh.V) : thin_nt_kernel<T, false>(sh.V);
  // K blocks: a function of K and S alone.
  const int kcb = even_block(p.K, std::max(8, int(kThinNTPackBytes / (sh.W * sizeof(T)))), 1);

  // St (kc, W) <- the small operand's K block [pc, pc + kc).
  void pack(int pc, int kc, T* St) const { pack_transposed<T>(small + pc, ld_small, S, kc, St, sh.W); }
  // Rows [r0, r1) of the large side over the packed K block; prefetches stay
  // below row r_end.
  void rows(const T* St, int pc, int kc, int r0, int r1, int r_end) const {
    const int NR = sh.V * Vec<T>::lanes;
    const T beta = pc == 0 ? p.beta : T(1);
    for (int r = r0; r < r1; r += sh.R)
      for (int lt = 0; lt < sh.lane_tiles; ++lt) {
        const int s0 = lt * NR;
        const idx pf = lt == 0 && r + (kThinNTPrefetch + 1) * sh.R <= r_end
                           ? kThinNTPrefetch * sh.R * ld_large
                           : 0;
        fn(1, std::min(sh.R, r1 - r), 0, std::min(NR, S - s0), kc, large + r * ld_large + pc,
           ld_large, 1, St + s0, sh.W, p.C + r * c_r + s0 * c_s, p.ldc, p.alpha, beta, 0, pf, {});
      }
  }
};

// One task of the thin NT path: rows [r0, r1) of the large side (C's columns
// when M <= N, its rows otherwise), all of the small side, all of K.
template <typename T>
void thin_nt_block(const Problem<T>& p, int r0, int r1) {
  const ThinNT<T> nt{p};
  T* St = tls_pack_a.get<T>(static_cast<size_t>(nt.kcb) * nt.sh.W);
  for (int pc = 0; pc < p.K; pc += nt.kcb) {
    const int kc = std::min(nt.kcb, p.K - pc);
    nt.pack(pc, kc, St);
    nt.rows(St, pc, kc, r0, r1, r1);
  }
}

template <typename T>
void gemm_thin_nt(const Problem<T>& p) {
  const int R = thin_nt_shape<T>(std::min(p.M, p.N)).R;
  const int large = std::max(p.M, p.N);
  split_tasks(p, (large + R - 1) / R, [&](int u0, int u1) {
    thin_nt_block<T>(p, u0 * R, std::min(large, u1 * R));
  });
}

// gemm_streamed: the thin NT product G = D X^T over X's rows and the thin
// product Z = W X over the same rows, block by block (the thin path's K
// blocks), so each block of X is read from memory once and from L2 the second
// time. Each product's blocking is exactly its own gemm call's: the NT one
// packs all of D once (its K blocks one after another) and walks X's rows in
// the same tiles; the NN one runs the same K blocks in the same order.
template <typename T>
void gemm_streamed_x86(int M, int N, int K, const T* D, int ldd, const T* X, int ldx, T* G,
                       int ldg, const T* W, int ldw, T* Z, int ldz,
                       const std::function<void(int, int)>& between) {
  const Problem<T> g{false, true, M, K, N, T(1), T(0), D, ldd, X, ldx, G, ldg};
  const Problem<T> z{false, false, M, N, K, T(1), T(0), W, ldw, X, ldx, Z, ldz};
  const ThinNT<T> nt{g};
  // All of D packed before Z is written: Z may be D (gemm.h).
  T* St = tls_pack_a.get<T>(static_cast<size_t>(N) * nt.sh.W);
  for (int pc = 0; pc < N; pc += nt.kcb) nt.pack(pc, std::min(nt.kcb, N - pc), St + pc * nt.sh.W);
  const int kcb = thin_kc(K);
  for (int k0 = 0; k0 < K; k0 += kcb) {
    const int kc = std::min(kcb, K - k0);
    for (int pc = 0; pc < N; pc += nt.kcb)
      nt.rows(St + pc * nt.sh.W, pc, std::min(nt.kcb, N - pc), k0, k0 + kc, K);
    between(k0, k0 + kc);
    thin_k_block(z, 0, N, k0, kc);
  }
}

// One task of the dot path: C[i0:i1, j0:j1], all of K. The smaller operand is
// the inner loop, so it stays in cache and the larger one streams past once.
template <typename T>
void dot_block(const Problem<T>& p, DotShape d, int i0, int i1, int j0, int j1) {
  const DotFn<T> fn = dot_kernel<T>(d);
  const auto tile = [&](int i, int j, idx pfa, idx pfb) {
    fn(std::min(d.DA, i1 - i), std::min(d.DB, j1 - j), p.K, p.A + i * p.lda, p.lda,
       p.B + j * p.ldb, p.ldb, p.C + i * p.ldc + j, p.ldc, p.alpha, p.beta, pfa, pfb);
  };
  // Prefetching the streamed operand a tile ahead pays when it comes from
  // beyond L2 and each of its tiles is used for several passes (with one, the
  // hardware prefetcher keeps up with the few sequential rows).
  const bool pf = static_cast<size_t>(std::max(p.M, p.N)) * p.K * sizeof(T) > half_l2() &&
                  std::min(p.M, p.N) > std::min(d.DA, d.DB);
  if (p.M <= p.N) {
    for (int j = j0; j < j1; j += d.DB)
      for (int i = i0; i < i1; i += d.DA)
        tile(i, j, 0, pf && j + 2 * d.DB <= j1 ? d.DB * p.ldb : 0);
  } else {
    for (int i = i0; i < i1; i += d.DA)
      for (int j = j0; j < j1; j += d.DB)
        tile(i, j, pf && i + 2 * d.DA <= i1 ? d.DA * p.lda : 0, 0);
  }
}

template <typename T>
void gemm_dot(const Problem<T>& p) {
  const DotShape d = dot_shape(p.M, p.N);
  if (p.M <= p.N)
    split_tasks(p, (p.N + d.DB - 1) / d.DB, [&](int u0, int u1) {
      dot_block<T>(p, d, 0, p.M, u0 * d.DB, std::min(p.N, u1 * d.DB));
    });
  else
    split_tasks(p, (p.M + d.DA - 1) / d.DA, [&](int u0, int u1) {
      dot_block<T>(p, d, u0 * d.DA, std::min(p.M, u1 * d.DA), 0, p.N);
    });
}

template <typename T, Store S>
void gemm_small_k_as(const Problem<T>& p) {
  split_tasks(p, p.M, [&](int i0, int i1) {
    switch (p.K) {
      case 1: return small_k_rows<T, 1, S>(p, i0, i1);
      case 2: return small_k_rows<T, 2, S>(p, i0, i1);
      case 3: return small_k_rows<T, 3, S>(p, i0, i1);
      default: return small_k_rows<T, 4, S>(p, i0, i1);
    }
  });
}

template <typename T>
void gemm_small_k(const Problem<T>& p) {
  if (p.alpha == T(1) && p.beta == T(0)) gemm_small_k_as<T, Store::Plain>(p);
  else gemm_small_k_as<T, Store::Scaled>(p);
}


// The path of a product at this level (see gemm_builtin.cc).
template <typename T>
Path choose_path(bool transA, bool transB, int M, int N, int K, int ldb) {
  constexpr int L = Vec<T>::lanes;
  if (!transB && K <= kSmallK) return Path::SmallK;
  // The thin path reuses B's column strips (a K block's rows) from L1 across
  // row tiles, so it needs them to stay there when M takes more than one tile.
  if (!transB && (M <= 32 || static_cast<size_t>(N) * K * sizeof(T) <= half_l1()) &&
      (M <= kThinRows || !l1_strip_aliased(static_cast<size_t>(ldb) * sizeof(T), thin_kc(K))))
    return Path::Thin;
  if (!transA && transB && std::min(M, N) <= 32 && 8 * std::min(M, N) >= 7 * L)
    return Path::ThinNT;
  if (!transA && transB && std::min(M, N) <= 32) return Path::Dot;
  return Path::Packed;
}

template <typename T>
void run(Path path, const Problem<T>& p) {
  switch (path) {
    case Path::SmallK: return gemm_small_k<T>(p);
    case Path::Thin: return gemm_thin<T>(p);
    case Path::ThinNT: return gemm_thin_nt<T>(p);
    case Path::Dot: return gemm_dot<T>(p);
    case Path::Packed: return gemm_packed<T, Packed<T>>(p);
  }
}

template <typename T>
bool streamable(int M, int N, int K, int ldx) {
  // One thread: with two, the separate products (each split over both
  // threads) measured faster than any split of the block-by-block pass. The
  // gain needs a block of X (the thin K block of rows) to stay in L2.
  return num_threads() == 1 && M >= 1 && M <= K && N >= 1 &&
         choose_path<T>(false, true, M, K, N, ldx) == Path::ThinNT &&
         choose_path<T>(false, false, M, N, K, ldx) == Path::Thin &&
         static_cast<size_t>(thin_kc(K)) * ldx * sizeof(T) <= half_l2();
}

// gemm_fused's products: the small-K path's, and the thin path's with one K
// block, whose stores are the last (a mask in place of C is then read
// before C is first written).
template <typename T>
bool fusable(bool transA, int M, int N, int K, int ldb) {
  const Path path = choose_path<T>(transA, false, M, N, K, ldb);
  return path == Path::SmallK || (path == Path::Thin && thin_kc(K) >= K);
}

template <typename T>
void fused(Epilogue epilogue, const Problem<T>& p) {
  if (choose_path<T>(p.transA, false, p.M, p.N, p.K, p.ldb) == Path::Thin) {
    Problem<T> q = p;
    q.epilogue = epilogue;
    gemm_thin<T>(q);
  } else if (epilogue == Epilogue::BiasRelu) {
    gemm_small_k_as<T, Store::BiasRelu>(p);
  } else {
    gemm_small_k_as<T, Store::ReluMask>(p);
  }
}

template <typename T>
const GemmLevel<T>& gemm_level() {
  static const GemmLevel<T> level{choose_path<T>, run<T>, streamable<T>, gemm_streamed_x86<T>,
                                  fusable<T>, fused<T>};
  return level;
}

template const GemmLevel<float>& gemm_level<float>();
template const GemmLevel<double>& gemm_level<double>();
