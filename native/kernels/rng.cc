#include "rng.h"

#include <cmath>
#include <cstring>

namespace deepnet {

void RandomState::seed(uint32_t s) {
  mt_[0] = s;
  for (int i = 1; i < kN; ++i) mt_[i] = init_step(mt_[i - 1], i);
  restart();
}

void RandomState::seed_words(const uint32_t* words) {
  std::memcpy(mt_, words, sizeof mt_);
  restart();
}

void RandomState::restart() {
  pos_ = kN;
  has_gauss_ = false;
  gauss_ = 0.0;
}

void ConsecutiveSeeds::seed(RandomState& rng, uint32_t s) {
  if (count_ == 0 || s - first_ >= static_cast<uint32_t>(count_)) {
    for (int k = 0; k < kAhead; ++k) words_[k][0] = s + k;
    for (int i = 1; i < RandomState::kN; ++i)
      for (int k = 0; k < kAhead; ++k) words_[k][i] = RandomState::init_step(words_[k][i - 1], i);
    first_ = s;
    count_ = kAhead;
  }
  rng.seed_words(words_[s - first_]);
}

// The standard MT19937 state update, in three runs so that no index wraps.
void RandomState::regenerate() {
  constexpr int kM = 397;
  auto twist = [](uint32_t upper, uint32_t lower, uint32_t far) {
    const uint32_t y = (upper & 0x80000000u) | (lower & 0x7fffffffu);
    return far ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
  };
  int i = 0;
  for (; i < kN - kM; ++i) mt_[i] = twist(mt_[i], mt_[i + 1], mt_[i + kM]);
  for (; i < kN - 1; ++i) mt_[i] = twist(mt_[i], mt_[i + 1], mt_[i + kM - kN]);
  mt_[kN - 1] = twist(mt_[kN - 1], mt_[0], mt_[kM - 1]);
  pos_ = 0;
}

double RandomState::randn() {
  if (has_gauss_) {
    has_gauss_ = false;
    double t = gauss_;
    gauss_ = 0.0;
    return t;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * rand() - 1.0;
    x2 = 2.0 * rand() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

uint32_t RandomState::random_interval(uint32_t max) {
  if (max == 0) return 0;
  uint32_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  uint32_t value;
  while ((value = next_uint32() & mask) > max) {
  }
  return value;
}

// random_interval(i) for each i, with the same draws, faster: the words
// tempered in bulk when the state refills (a vector loop, and off the chain
// from one draw's acceptance to the next draw's address), the mask kept from
// one i to the next, and two candidates chosen without a branch (a draw is
// rejected about a quarter of the time, which a branch mispredicts); one
// draw at a time only when both are rejected or the words run out.
void RandomState::permutation(int32_t* out, int32_t n) {
  for (int32_t i = 0; i < n; ++i) out[i] = i;
  uint32_t mask = n > 1 ? static_cast<uint32_t>(n - 1) : 0;
  for (int shift = 1; shift < 32; shift *= 2) mask |= mask >> shift;
  uint32_t tempered[kN];
  for (int k = pos_; k < kN; ++k) tempered[k] = temper(mt_[k]);
  for (int32_t i = n - 1; i >= 1; --i) {
    const uint32_t max = static_cast<uint32_t>(i);
    if (max <= mask >> 1) mask >>= 1;
    uint32_t j = max + 1;
    if (pos_ <= kN - 2) {
      const uint32_t a = tempered[pos_] & mask, b = tempered[pos_ + 1] & mask;
      const bool first = a <= max;
      j = first ? a : b;
      pos_ += first ? 1 : 2;
    }
    while (j > max) {
      if (pos_ == kN) {
        regenerate();
        for (int k = 0; k < kN; ++k) tempered[k] = temper(mt_[k]);
      }
      j = tempered[pos_++] & mask;
    }
    const int32_t t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
}

void RandomState::fill_rand(double* out, long n) {
  draw_rand(n, [out](long i, double u) { out[i] = u; });
}

void RandomState::fill_randn(double* out, long n) {
  for (long i = 0; i < n; ++i) out[i] = randn();
}

RandomState::State RandomState::state() const {
  State s;
  std::memcpy(s.key, mt_, sizeof mt_);
  s.pos = pos_;
  s.has_gauss = has_gauss_;
  s.gauss = gauss_;
  return s;
}

void RandomState::set_state(const State& s) {
  std::memcpy(mt_, s.key, sizeof mt_);
  pos_ = s.pos < 0 ? 0 : (s.pos > kN ? kN : s.pos);
  has_gauss_ = s.has_gauss;
  gauss_ = s.gauss;
}

}  // namespace deepnet
