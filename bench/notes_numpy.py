"""The notes' L-layer network in numpy, written from the notes' functions, timed.

Usage: python3 notes_numpy.py '{"layers": [12288, 20, 7, 5, 1], "m": 209,
                                 "dtype": "float64", "iterations": 20, "reps": 7}'
Prints one JSON line: {"median_ms": ..., "times_ms": [...], "cost": ...}.
Thread count: set OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) before starting.
One iteration = forward + cost + backward + update, as in L_layer_model. As
bench/deepnet_run.js does, it times `reps` blocks of `iterations` iterations
after a warm-up block; times_ms[i] is block i's time per iteration.
"""
import json
import sys
import time

import numpy as np


def initialize_parameters_deep(layers_dims, dtype):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = (np.random.randn(layers_dims[l], layers_dims[l - 1])
                                    / np.sqrt(layers_dims[l - 1])).astype(dtype)
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1), dtype=dtype)
    return parameters


def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z)), Z


def relu(Z):
    return np.maximum(0, Z), Z


def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -np.sum(np.multiply(np.log(AL), Y) + np.multiply(np.log(1 - AL), 1 - Y)) / m
    return np.squeeze(cost)


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def relu_backward(dA, Z):
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def sigmoid_backward(dA, Z):
    s = 1 / (1 + np.exp(-Z))
    return dA * s * (1 - s)


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    else:
        dZ = sigmoid_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 2)], caches[l], "relu")
        grads["dA" + str(l + 1)] = dA_prev
        grads["dW" + str(l + 1)] = dW
        grads["db" + str(l + 1)] = db
    return grads


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters


def main():
    spec = json.loads(sys.argv[1])
    dtype = np.float32 if spec.get("dtype") == "float32" else np.float64
    layers = spec["layers"]
    m = spec["m"]
    rng = np.random.RandomState(0)
    X = rng.rand(layers[0], m).astype(dtype)
    Y = (rng.rand(1, m) > 0.5).astype(dtype)
    parameters = initialize_parameters_deep(layers, dtype)
    lr = spec.get("learning_rate", 0.0075)
    iterations = spec["iterations"]
    times = []
    cost = None
    for block in range(1 + spec.get("reps", 7)):
        t0 = time.perf_counter()
        for _ in range(iterations):
            AL, caches = L_model_forward(X, parameters)
            cost = compute_cost(AL, Y)
            grads = L_model_backward(AL, Y, caches)
            parameters = update_parameters(parameters, grads, lr)
        t1 = time.perf_counter()
        if block > 0:  # the first block warms up
            times.append((t1 - t0) * 1e3 / iterations)
    print(json.dumps({"median_ms": float(np.median(times)), "times_ms": times, "cost": float(cost),
                      "numpy": np.__version__}))


if __name__ == "__main__":
    main()
