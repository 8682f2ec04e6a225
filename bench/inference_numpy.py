"""Inference in numpy: the notes' L_model_forward (relu hidden layers; sigmoid
or softmax output) over all the examples at once, timed.

Usage: python3 inference_numpy.py '{"layers": [30, 16, 8, 1], "m": 100000, "dtype": "float64", "reps": 7}'
Prints one JSON line: {"median_ms": ..., "times_ms": [...]}. Threads: OPENBLAS_NUM_THREADS.
"""
import json
import sys
import time

import numpy as np


def main():
    spec = json.loads(sys.argv[1])
    dt = np.dtype(spec["dtype"])
    layers, m = spec["layers"], spec["m"]
    rng = np.random.RandomState(0)
    X = rng.rand(layers[0], m).astype(dt)
    np.random.seed(3)
    W = [(np.random.randn(layers[l], layers[l - 1]) * np.sqrt(2 / layers[l - 1])).astype(dt) for l in range(1, len(layers))]
    B = [np.zeros((layers[l], 1), dtype=dt) for l in range(1, len(layers))]

    def forward():
        A = X
        for l, (w, b) in enumerate(zip(W, B)):
            Z = np.dot(w, A) + b
            if l < len(W) - 1:
                A = np.maximum(0, Z)
            elif Z.shape[0] == 1:
                A = 1 / (1 + np.exp(-Z))
            else:
                e = np.exp(Z - Z.max(axis=0))
                A = e / e.sum(axis=0)
        return A

    forward()
    times = []
    for _ in range(spec.get("reps", 7)):
        start = time.perf_counter()
        forward()
        times.append((time.perf_counter() - start) * 1e3)
    print(json.dumps({"median_ms": float(np.median(times)), "times_ms": times, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
