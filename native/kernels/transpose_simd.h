// In-register transposes in 256-bit AVX vectors, which every x86 vector
// level has: the built-in gemm's packing, and a batch's gather from rows
// (batch_simd.h). Included by the per-level files (gemm_avx2.cc,
// gemm_avx512.cc, elementwise_level.h) inside their level namespace, after
// their target pragma: no includes here.
//
//   transpose_block  one lanes x lanes block (4 doubles, 8 floats)
//   pack_transposed  dst (kc, W) <- an (m, kc) block, transposed (thin NT path)
//   interleave_panel dst (kc, W) <- W rows over k (the packed path's panels)

template <typename T>
constexpr int kLanes256 = 32 / int(sizeof(T));

// The 4x4 transpose: r[i] holds row i at k..k+3; returns c[j] = column k+j.
DEEPNET_X86_INLINE void transpose4(const __m256d r[4], __m256d c[4]) {
  const __m256d t0 = _mm256_unpacklo_pd(r[0], r[1]), t1 = _mm256_unpackhi_pd(r[0], r[1]);
  const __m256d t2 = _mm256_unpacklo_pd(r[2], r[3]), t3 = _mm256_unpackhi_pd(r[2], r[3]);
  c[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
  c[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
  c[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
  c[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

// The 8x8 transpose: r[i] holds row i at k..k+7; returns c[j] = column k+j.
DEEPNET_X86_INLINE void transpose8(const __m256 r[8], __m256 c[8]) {
  __m256 t[8], s[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  for (int h = 0; h < 2; ++h) {  // rows 0-3, then rows 4-7
    const __m256* u = t + 4 * h;
    s[4 * h + 0] = _mm256_shuffle_ps(u[0], u[2], _MM_SHUFFLE(1, 0, 1, 0));
    s[4 * h + 1] = _mm256_shuffle_ps(u[0], u[2], _MM_SHUFFLE(3, 2, 3, 2));
    s[4 * h + 2] = _mm256_shuffle_ps(u[1], u[3], _MM_SHUFFLE(1, 0, 1, 0));
    s[4 * h + 3] = _mm256_shuffle_ps(u[1], u[3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int j = 0; j < 4; ++j) {
    c[j] = _mm256_permute2f128_ps(s[j], s[4 + j], 0x20);
    c[j + 4] = _mm256_permute2f128_ps(s[j], s[4 + j], 0x31);
  }
}

// dst[j][0:lanes] (row stride W) <- element k + j of rows[0:lanes]; with
// NULLABLE, a null row reads as zeros.
template <bool NULLABLE>
DEEPNET_X86_INLINE void transpose_block(const float* const* rows, int k, float* dst, std::ptrdiff_t W) {
  __m256 r[8], c[8];
  for (int i = 0; i < 8; ++i)
    r[i] = !NULLABLE || rows[i] ? _mm256_loadu_ps(rows[i] + k) : _mm256_setzero_ps();
  transpose8(r, c);
  for (int j = 0; j < 8; ++j) _mm256_storeu_ps(dst + j * W, c[j]);
}
template <bool NULLABLE>
DEEPNET_X86_INLINE void transpose_block(const double* const* rows, int k, double* dst, std::ptrdiff_t W) {
  __m256d r[4], c[4];
  for (int i = 0; i < 4; ++i)
    r[i] = !NULLABLE || rows[i] ? _mm256_loadu_pd(rows[i] + k) : _mm256_setzero_pd();
  transpose4(r, c);
  for (int j = 0; j < 4; ++j) _mm256_storeu_pd(dst + j * W, c[j]);
}

// dst (kc, W) <- the (m, kc) block at src (row stride ld), transposed:
// dst[k][i] = src[i * ld + k], zero for m <= i < W (W a multiple of lanes).
template <typename T>
void pack_transposed(const T* src, std::ptrdiff_t ld, int m, int kc, T* dst, int W) {
  constexpr int L = kLanes256<T>;
  for (int i0 = 0; i0 < W; i0 += L) {
    const T* rows[L];
    for (int i = 0; i < L; ++i) rows[i] = i0 + i < m ? src + (i0 + i) * ld : nullptr;
    int k = 0;
    for (; k + L <= kc; k += L) transpose_block<true>(rows, k, dst + k * W + i0, W);
    for (; k < kc; ++k)
      for (int i = 0; i < L; ++i) dst[k * W + i0 + i] = rows[i] ? rows[i][k] : T(0);
  }
}

// dst (kc, 6) <- 6 rows src[w][0:kc], dst[k][w] = src[w][k] (AVX2's A panels).
DEEPNET_X86_INLINE void interleave6(const double* const* src, int kc, double* dst) {
  constexpr int W = 6;
  int k = 0;
  for (; k + 4 <= kc; k += 4, dst += 4 * W) {
    __m256d r[4], c[4];
    for (int i = 0; i < 4; ++i) r[i] = _mm256_loadu_pd(src[i] + k);
    transpose4(r, c);
    for (int j = 0; j < 4; ++j) _mm256_storeu_pd(dst + j * W, c[j]);
    // Rows 4 and 5: pairs (r4, r5) for k, k+1, k+2, k+3.
    const __m256d a = _mm256_loadu_pd(src[4] + k), b = _mm256_loadu_pd(src[5] + k);
    const __m256d lo = _mm256_unpacklo_pd(a, b), hi = _mm256_unpackhi_pd(a, b);
    _mm_storeu_pd(dst + 0 * W + 4, _mm256_castpd256_pd128(lo));
    _mm_storeu_pd(dst + 1 * W + 4, _mm256_castpd256_pd128(hi));
    _mm_storeu_pd(dst + 2 * W + 4, _mm256_extractf128_pd(lo, 1));
    _mm_storeu_pd(dst + 3 * W + 4, _mm256_extractf128_pd(hi, 1));
  }
  for (; k < kc; ++k, dst += W)
    for (int w = 0; w < W; ++w) dst[w] = src[w][k];
}
DEEPNET_X86_INLINE void interleave6(const float* const* src, int kc, float* dst) {
  constexpr int W = 6;
  int k = 0;
  for (; k + 8 <= kc; k += 8, dst += 8 * W) {
    __m256 r[8], c[8];
    for (int i = 0; i < 8; ++i) r[i] = i < W ? _mm256_loadu_ps(src[i] + k) : _mm256_setzero_ps();
    transpose8(r, c);
    // 6 of the 8 lanes: 4 + 2, so nothing past the panel is written.
    for (int j = 0; j < 8; ++j) {
      _mm_storeu_ps(dst + j * W, _mm256_castps256_ps128(c[j]));
      _mm_storel_pi(reinterpret_cast<__m64*>(dst + j * W + 4), _mm256_extractf128_ps(c[j], 1));
    }
  }
  for (; k < kc; ++k, dst += W)
    for (int w = 0; w < W; ++w) dst[w] = src[w][k];
}

// dst (kc, W) <- W rows src[w][0:kc] (all present), dst[k][w] = src[w][k]:
// a whole packed panel, W = 6 or a multiple of lanes.
template <typename T, int W>
void interleave_panel(const T* const* src, int kc, T* dst) {
  constexpr int L = kLanes256<T>;
  if constexpr (W % L != 0) {
    static_assert(W == 6, "6 rows, or whole lane blocks");
    interleave6(src, kc, dst);
    return;
  } else {
    int k = 0;
    for (; k + L <= kc; k += L, dst += L * W)
      for (int w = 0; w < W; w += L) transpose_block<false>(src + w, k, dst + w, W);
    for (; k < kc; ++k, dst += W)
      for (int w = 0; w < W; ++w) dst[w] = src[w][k];
  }
}
