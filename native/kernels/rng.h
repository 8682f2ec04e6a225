// numpy's legacy RandomState (np.random.seed / rand / randn), bit for bit.
//
// seed(s):  MT19937 init_genrand(s) (= std::mt19937(s)); drops a cached normal.
// rand():   (a >> 5, b >> 6) of two 32-bit draws, a first -> (a*2^26 + b) / 2^53.
// randn():  legacy polar Box-Muller. Each accepted pair (x1, x2) yields f*x2 now
//           and caches f*x1 for the next randn call; rand() leaves the cache alone.
//
// The file is compiled with -ffp-contract=off (as the whole project): an FMA in
// x1*x1 + x2*x2 would change which pairs are rejected. log is the C library's,
// which is what numpy calls.
#pragma once

#include <cstdint>

namespace deepnet {

class RandomState {
 public:
  static constexpr int kN = 624;

  explicit RandomState(uint32_t seed = 0) { this->seed(seed); }

  void seed(uint32_t s);
  uint32_t next_uint32();
  double rand();
  double randn();

  // out (n): successive draws, as numpy fills a C-order array.
  void fill_rand(double* out, long n);
  void fill_randn(double* out, long n);

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
  void regenerate();
  uint32_t mt_[kN];
  int pos_ = kN;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

}  // namespace deepnet
