"""The Optimization notebook's model() in numpy (Course 2 Week 2), timed per epoch.

Usage: python3 minibatch_numpy.py '{"layers": [2, 5, 2, 1], "m": 300, "batch": 64,
                                     "head": "sigmoid", "dtype": "float64",
                                     "epochs": 20, "reps": 5, "optimizer": "adam"}'
Prints one JSON line: {"median_ms": ..., "times_ms": [...], "cost": ...}.
The notebook's functions, generalized from its fixed three layers to L layers
and to a softmax head (dz_L = 1/m (a_L - Y) for both heads): random_mini_batches
with its seeds (10 + epoch + 1), forward, the summed cost, backward,
update_parameters_with_adam (or _with_momentum / _with_gd). times_ms[i] is the
time per epoch of block i of `epochs` epochs, after a warm-up epoch.
Thread count: set OPENBLAS_NUM_THREADS before starting.
"""
import json
import sys
import time

import numpy as np


def initialize_parameters(layers_dims, dtype):
    np.random.seed(3)
    p = {}
    for l in range(1, len(layers_dims)):
        p["W" + str(l)] = (np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])).astype(dtype)
        p["b" + str(l)] = np.zeros((layers_dims[l], 1), dtype=dtype)
    return p


def random_mini_batches(X, Y, mini_batch_size, seed):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation]
    return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size])
            for k in range(0, m, mini_batch_size)]


def forward_propagation(X, parameters, head):
    L = len(parameters) // 2
    cache = [X]
    a = X
    for l in range(1, L + 1):
        z = np.dot(parameters["W" + str(l)], a) + parameters["b" + str(l)]
        if l < L:
            a = np.maximum(0, z)
        elif head == "sigmoid":
            a = 1 / (1 + np.exp(-z))
        else:
            e = np.exp(z - z.max(axis=0))
            a = e / e.sum(axis=0)
        cache.append(a)
    return a, cache


def compute_cost(a, Y, head):
    if head == "sigmoid":
        return np.sum(np.multiply(-np.log(a), Y) + np.multiply(-np.log(1 - a), 1 - Y))
    return -np.sum(Y * np.log(a))


def backward_propagation(Y, cache, parameters):
    L = len(parameters) // 2
    m = Y.shape[1]
    grads = {}
    dz = 1. / m * (cache[L] - Y)
    for l in range(L, 0, -1):
        grads["dW" + str(l)] = np.dot(dz, cache[l - 1].T)
        grads["db" + str(l)] = np.sum(dz, axis=1, keepdims=True)
        if l > 1:
            da = np.dot(parameters["W" + str(l)].T, dz)
            dz = np.multiply(da, np.int64(cache[l - 1] > 0))
    return grads


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            k, g = p + str(l), "d" + p + str(l)
            v[g] = beta1 * v[g] + (1 - beta1) * grads[g]
            v_corrected = v[g] / (1 - np.power(beta1, t))
            s[g] = beta2 * s[g] + (1 - beta2) * np.power(grads[g], 2)
            s_corrected = s[g] / (1 - np.power(beta2, t))
            parameters[k] = parameters[k] - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)
    return parameters, v, s


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            k, g = p + str(l), "d" + p + str(l)
            v[g] = beta * v[g] + (1 - beta) * grads[g]
            parameters[k] = parameters[k] - learning_rate * v[g]
    return parameters, v


def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


class Trainer:
    """model()'s state, so that epochs can be run (and timed) in blocks."""

    def __init__(self, spec, X, Y):
        self.X, self.Y, self.spec = X, Y, spec
        self.p = initialize_parameters(spec["layers"], X.dtype)
        self.v = {"d" + k: np.zeros_like(w) for k, w in self.p.items()}
        self.s = {"d" + k: np.zeros_like(w) for k, w in self.p.items()}
        self.t, self.seed = 0, 10

    def epoch(self):
        spec, head, lr = self.spec, self.spec["head"], self.spec.get("learning_rate", 0.0007)
        self.seed += 1
        cost_total = 0
        for mX, mY in random_mini_batches(self.X, self.Y, spec["batch"], self.seed):
            a, cache = forward_propagation(mX, self.p, head)
            cost_total += compute_cost(a, mY, head)
            grads = backward_propagation(mY, cache, self.p)
            self.t += 1
            if spec["optimizer"] == "adam":
                self.p, self.v, self.s = update_parameters_with_adam(self.p, grads, self.v, self.s, self.t, lr)
            elif spec["optimizer"] == "momentum":
                self.p, self.v = update_parameters_with_momentum(self.p, grads, self.v, 0.9, lr)
            else:
                self.p = update_parameters_with_gd(self.p, grads, lr)
        return cost_total / self.X.shape[1]


def data(spec):
    """X uniform in [0, 1), Y random labels (one-hot for softmax), as bench/minibatch_run.js draws them."""
    rng = np.random.RandomState(0)
    n, K, m = spec["layers"][0], spec["layers"][-1], spec["m"]
    X = rng.rand(n, m).astype(spec["dtype"])
    if spec["head"] == "sigmoid":
        Y = (rng.rand(1, m) < 0.5).astype(spec["dtype"])
    else:
        Y = np.zeros((K, m), dtype=spec["dtype"])
        Y[(rng.rand(m) * K).astype(np.int64), np.arange(m)] = 1
    return X, Y


def main():
    spec = json.loads(sys.argv[1])
    X, Y = data(spec)
    trainer = Trainer(spec, X, Y)
    trainer.epoch()  # warm-up
    times, cost = [], None
    for _ in range(spec.get("reps", 5)):
        start = time.perf_counter()
        for _ in range(spec["epochs"]):
            cost = trainer.epoch()
        times.append((time.perf_counter() - start) * 1e3 / spec["epochs"])
    print(json.dumps({"median_ms": float(np.median(times)), "times_ms": times, "cost": float(cost),
                      "numpy": np.__version__}))


if __name__ == "__main__":
    main()
