// numpy's legacy RandomState (np.random.seed / rand / randn), bit for bit.
//
// seed(s):  MT19937 init_genrand(s) (= std::mt19937(s)); drops a cached normal.
// rand():   (a >> 5, b >> 6) of two 32-bit draws, a first -> (a*2^26 + b) / 2^53.
// permutation(n): arange(n) shuffled by Fisher-Yates from the top, j drawn by
//           random_interval(i): 32-bit draws masked to the smallest 2^k - 1 >= i,
//           rejected while > i (numpy's legacy shuffle; no normal is touched).
// randn():  legacy polar Box-Muller. Each accepted pair (x1, x2) yields f*x2 now
//           and caches f*x1 for the next randn call; rand() leaves the cache alone.
//
// The file is compiled with -ffp-contract=off (as the whole project): an FMA in
// x1*x1 + x2*x2 would change which pairs are rejected. log is the C library's,
// which is what numpy calls.
#pragma once

#include <algorithm>
#include <cstdint>

namespace deepnet {

class RandomState {
 public:
  static constexpr int kN = 624;

  explicit RandomState(uint32_t seed = 0) { this->seed(seed); }

  void seed(uint32_t s);
  // Inline: dropout draws one rand() per activation, in its hot loop.
  uint32_t next_uint32() {
    if (pos_ == kN) regenerate();
    return temper(mt_[pos_++]);
  }
  double rand() {
    uint32_t a = next_uint32() >> 5;  // drawn first: the order matters
    uint32_t b = next_uint32() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);  // exact: a power of two
  }
  double randn();

  // A uniform integer in [0, max], max < 2^32: numpy's random_interval
  // (permutation draws as it does, faster; the tests compare the two).
  uint32_t random_interval(uint32_t max);
  // out (n) = np.random.permutation(n).
  void permutation(int32_t* out, int32_t n);

  // out (n): successive draws, as numpy fills a C-order array.
  void fill_rand(double* out, long n);
  void fill_randn(double* out, long n);

  // sink(i, u) for n successive rand() draws u, i = 0..n-1: the same stream as
  // calling rand() n times, with the per-draw refill check hoisted out of the
  // inner loop (dropout draws one uniform per activation).
  template <typename Sink>
  void draw_rand(long n, Sink&& sink) {
    long i = 0;
    while (i < n) {
      if (pos_ >= kN - 1) {  // a pair that straddles a refill: the slow path
        sink(i++, rand());
        continue;
      }
      const long pairs = std::min<long>((kN - pos_) / 2, n - i);
      const uint32_t* mt = mt_ + pos_;
      for (long p = 0; p < pairs; ++p) {
        const uint32_t a = temper(mt[2 * p]) >> 5, b = temper(mt[2 * p + 1]) >> 6;
        sink(i + p, (a * 67108864.0 + b) * (1.0 / 9007199254740992.0));
      }
      pos_ += static_cast<int>(2 * pairs);
      i += pairs;
    }
  }

  // seed(s) from init_genrand(s)'s words, made elsewhere (ConsecutiveSeeds).
  void seed_words(const uint32_t* words);
  // init_genrand's step: word i from word i - 1.
  static uint32_t init_step(uint32_t previous, uint32_t i) { return 1812433253u * (previous ^ (previous >> 30)) + i; }

  // The full state, as numpy's get_state() gives it: key, pos, has_gauss, gauss.
  struct State {
    uint32_t key[kN];
    int pos;
    bool has_gauss;
    double gauss;
  };
  State state() const;
  void set_state(const State& s);

 private:
  static uint32_t temper(uint32_t y) {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
  }
  void regenerate();
  void restart();  // a fresh key's draws: refill first, no cached normal
  uint32_t mt_[kN];
  int pos_ = kN;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

// rng.seed(s) for runs of consecutive seeds (a fit's shuffles are seeded
// shuffleSeed + epoch + 1): init_genrand is one serial chain of 623
// multiplies, and kAhead independent chains interleaved take about as long
// as one, so the next kAhead seeds' words are made together and kept.
class ConsecutiveSeeds {
 public:
  void seed(RandomState& rng, uint32_t s);

 private:
  static constexpr int kAhead = 4;
  uint32_t first_ = 0;
  int count_ = 0;
  uint32_t words_[kAhead][RandomState::kN];
};

}  // namespace deepnet
