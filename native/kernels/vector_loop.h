// How the level-generic kernel bodies walk their arrays: whole vectors, then
// one vector holding the last k < lanes elements (zeros in the other lanes,
// only the k stored), so every element gets the same arithmetic wherever it
// sits and no body needs a scalar tail. A body is written once, as a generic
// lambda of (i, io), for both kinds of access.
//
// Level-generic: see elementwise_level.h.
#pragma once

namespace deepnet {
namespace DEEPNET_LEVEL {

template <typename V>
struct Whole {
  template <typename T>
  DEEPNET_SIMD_INLINE typename V::type load(const T* p) const { return V::load(p); }
  template <typename T>
  DEEPNET_SIMD_INLINE void store(T* p, typename V::type v) const { V::store(p, v); }
  // v in the lanes that hold elements, `fill` in the others.
  DEEPNET_SIMD_INLINE typename V::type pad(typename V::type v, typename V::type) const { return v; }
};

template <typename V>
struct Part {
  long k;  // 0 < k < V::lanes
  template <typename T>
  DEEPNET_SIMD_INLINE typename V::type load(const T* p) const { return V::load(p, k); }
  template <typename T>
  DEEPNET_SIMD_INLINE void store(T* p, typename V::type v) const { V::store(p, v, k); }
  DEEPNET_SIMD_INLINE typename V::type pad(typename V::type v, typename V::type fill) const {
    return V::select(V::first(k), v, fill);
  }
};

// body(i, io) for i = 0, lanes, 2 lanes, ... < n.
template <typename V, typename Body>
inline void for_each_vector(long n, Body body) {
  long i = 0;
  for (; i + V::lanes <= n; i += V::lanes) body(i, Whole<V>{});
  if (i < n) body(i, Part<V>{n - i});
}

// out[i] = f(a[i]), or f(a[i], b[i]), for i < n, in V's arithmetic
// (Vec<double> for a float array: computed in double, rounded when stored).
template <typename V, typename Out, typename In, typename F>
inline void map(Out* out, const In* a, long n, F f) {
  for_each_vector<V>(n, [&](long i, auto io) { io.store(out + i, f(io.load(a + i))); });
}
template <typename V, typename Out, typename In, typename F>
inline void map(Out* out, const In* a, const In* b, long n, F f) {
  for_each_vector<V>(n, [&](long i, auto io) { io.store(out + i, f(io.load(a + i), io.load(b + i))); });
}

}  // namespace DEEPNET_LEVEL
}  // namespace deepnet
