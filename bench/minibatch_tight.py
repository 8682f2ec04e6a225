"""The mini-batch workloads in numpy written tightly (the strongest numpy we could
write): every buffer allocated once, in-place operations, batches gathered
with np.take into a preallocated buffer, Adam's moments updated in place.

Usage: python3 minibatch_tight.py '{"layers": [784, 256, 128, 10], "m": 8192, "batch": 128,
                                     "head": "softmax", "dtype": "float32", "epochs": 3, "reps": 3}'
Prints one JSON line: {"median_ms": ..., "times_ms": [...], "cost": ..., "numpy": ...}.
Timed after `warmup` epochs (1). Same data as minibatch_numpy.py; relu hidden layers, He init, Adam (lr 0.0007),
each epoch shuffled by a permutation. Threads: OPENBLAS_NUM_THREADS.
"""
import json
import sys
import time

import numpy as np


def main():
    spec = json.loads(sys.argv[1])
    dt = np.dtype(spec["dtype"])
    layers, m, b, head = spec["layers"], spec["m"], spec["batch"], spec["head"]
    rng = np.random.RandomState(0)
    X = rng.rand(layers[0], m).astype(dt)
    u = rng.rand(m)
    K = layers[-1]
    if head == "sigmoid":
        Y = (u < 0.5).astype(dt)[None, :]
    else:
        Y = np.zeros((K, m), dtype=dt)
        Y[(u * K).astype(np.int64), np.arange(m)] = 1
    np.random.seed(3)
    L = len(layers) - 1
    W = [None] + [(np.random.randn(layers[l], layers[l - 1]) * np.sqrt(2 / layers[l - 1])).astype(dt) for l in range(1, L + 1)]
    B = [None] + [np.zeros((layers[l], 1), dtype=dt) for l in range(1, L + 1)]
    params = [p for l in range(1, L + 1) for p in (W[l], B[l])]
    grads = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    s = [np.zeros_like(p) for p in params]
    tmp = [np.zeros_like(p) for p in params]
    # Buffers per batch size (the full size, and the last batch's): np.dot's out= must be C-contiguous.
    buffers = {}

    def buffers_for(n):
        if n not in buffers:
            buffers[n] = ([np.empty((layers[l], n), dtype=dt) for l in range(L + 1)],
                          [None] + [np.empty((layers[l], n), dtype=dt) for l in range(1, L + 1)],
                          np.empty((K, n), dtype=dt))
        return buffers[n]
    lr, beta1, beta2, eps = dt.type(spec.get("learning_rate", 0.0007)), dt.type(0.9), dt.type(0.999), dt.type(1e-8)
    state = {"t": 0}

    def step(n):
        a, dz, y = buffers_for(n)
        for l in range(1, L + 1):
            np.dot(W[l], a[l - 1], out=a[l])
            a[l] += B[l]
            if l < L:
                np.maximum(a[l], 0, out=a[l])
        z = a[L]
        if head == "sigmoid":
            cost = np.sum(np.logaddexp(0, -z) * y + np.logaddexp(0, z) * (1 - y))
            np.negative(z, out=z)
            np.exp(z, out=z)
            z += 1
            np.reciprocal(z, out=z)
        else:
            z -= z.max(axis=0)
            np.exp(z, out=z)
            z /= z.sum(axis=0)
            cost = -np.sum(np.log(z[y.astype(bool)]))
        np.subtract(z, y, out=dz[L])
        dz[L] *= dt.type(1.0 / n)
        for l in range(L, 0, -1):
            np.dot(dz[l], a[l - 1].T, out=grads[2 * l - 2])
            np.sum(dz[l], axis=1, keepdims=True, out=grads[2 * l - 1])
            if l > 1:
                np.dot(W[l].T, dz[l], out=dz[l - 1])
                dz[l - 1] *= a[l - 1] > 0
        state["t"] += 1
        t = state["t"]
        c1, c2 = dt.type(1 - beta1 ** t), dt.type(1 - beta2 ** t)
        for p, g, vv, ss, w in zip(params, grads, v, s, tmp):
            vv *= beta1
            vv += (1 - beta1) * g
            ss *= beta2
            np.multiply(g, g, out=w)
            w *= 1 - beta2
            ss += w
            np.divide(ss, c2, out=w)
            np.sqrt(w, out=w)
            w += eps
            np.divide(vv, w, out=w)
            w *= lr / c1
            p -= w
        return cost

    def epoch():
        order = np.random.permutation(m)
        total = 0.0
        for k in range(0, m, b):
            idx = order[k:k + b]
            a, _, y = buffers_for(len(idx))
            np.take(X, idx, axis=1, out=a[0])
            np.take(Y, idx, axis=1, out=y)
            total += step(len(idx))
        return total / m

    for _ in range(spec.get("warmup", 1)):
        epoch()
    times, cost = [], None
    for _ in range(spec.get("reps", 3)):
        start = time.perf_counter()
        for _ in range(spec["epochs"]):
            cost = epoch()
        times.append((time.perf_counter() - start) * 1e3 / spec["epochs"])
    print(json.dumps({"median_ms": float(np.median(times)), "times_ms": times, "cost": float(cost), "numpy": np.__version__}))


if __name__ == "__main__":
    main()
