#include "rng.h"

#include <cmath>
#include <cstring>

namespace deepnet {

void RandomState::seed(uint32_t s) {
  mt_[0] = s;
  for (int i = 1; i < kN; ++i) mt_[i] = 1812433253u * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + i;
  pos_ = kN;
  has_gauss_ = false;
  gauss_ = 0.0;
}

void RandomState::regenerate() {
  constexpr int kM = 397;
  constexpr uint32_t kMatrixA = 0x9908b0dfu, kUpper = 0x80000000u, kLower = 0x7fffffffu;
  for (int i = 0; i < kN; ++i) {
    uint32_t y = (mt_[i] & kUpper) | (mt_[(i + 1) % kN] & kLower);
    mt_[i] = mt_[(i + kM) % kN] ^ (y >> 1) ^ ((y & 1u) ? kMatrixA : 0u);
  }
  pos_ = 0;
}

uint32_t RandomState::next_uint32() {
  if (pos_ == kN) regenerate();
  uint32_t y = mt_[pos_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

double RandomState::rand() {
  uint32_t a = next_uint32() >> 5;  // drawn first: order matters
  uint32_t b = next_uint32() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
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

void RandomState::fill_rand(double* out, long n) {
  for (long i = 0; i < n; ++i) out[i] = rand();
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
