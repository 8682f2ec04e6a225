"""Float64 gradients of every head x hidden activation (and L2) from PyTorch's
autograd: the outside oracle for deepnet's backward passes.

Run with a python3 that has torch and numpy (Debian: apt-get install python3-torch):
    /usr/bin/python3 scripts/oracles/torch_gradients.py > test/fixtures/torch_gradients.json
The costs are deepnet's (see native/kernels/heads.h), written with PyTorch's own ops:
    sigmoid  (1/m) sum BCEWithLogits(Z_L, Y)           Y (K, m) of 0/1
    softmax  (1/m) sum -log_softmax(Z_L)[label]        Y (K, m) one-hot
    linear   (1/(2m)) sum (Z_L - Y)^2                  Y (K, m) real
plus (1/m)(lambd/2) sum ||W_l||^2; hidden layers relu, tanh, sigmoid or
leaky_relu (slope 0.01). Inputs are drawn with numpy's RandomState(seed), so
the file is reproducible.
"""
import json

import numpy as np
import torch
import torch.nn.functional as F

HIDDEN = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "leakyRelu": lambda z: F.leaky_relu(z, 0.01),
}
OUTPUTS = {"sigmoid": 2, "softmax": 3, "linear": 2}  # K per head


def arr(a):
    return {"shape": list(a.shape), "data": a.tolist()}


def case(output, activation, lambd, seed):
    rng = np.random.RandomState(seed)
    K = OUTPUTS[output]
    dims = [4, 5, 3, K]
    m = 6
    X = rng.randn(dims[0], m)
    params = {}
    for l in range(1, len(dims)):
        params["W%d" % l] = rng.randn(dims[l], dims[l - 1]) * 0.8
        params["b%d" % l] = rng.randn(dims[l], 1) * 0.3
    if output == "sigmoid":
        Y = (rng.rand(K, m) < 0.5).astype(np.float64)
    elif output == "softmax":
        labels = rng.randint(0, K, m)
        Y = np.zeros((K, m))
        Y[labels, np.arange(m)] = 1
    else:
        Y = rng.randn(K, m)
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    A = torch.tensor(X, dtype=torch.float64)
    Yt = torch.tensor(Y, dtype=torch.float64)
    L = len(dims) - 1
    for l in range(1, L + 1):
        Z = t["W%d" % l] @ A + t["b%d" % l]
        A = HIDDEN[activation](Z) if l < L else Z
    if output == "sigmoid":
        cost = F.binary_cross_entropy_with_logits(Z, Yt, reduction="sum") / m
    elif output == "softmax":
        cost = -(Yt * F.log_softmax(Z, dim=0)).sum() / m
    else:
        cost = ((Z - Yt) ** 2).sum() / (2 * m)
    cost = cost + (1.0 / m) * (lambd / 2) * sum((t["W%d" % l] ** 2).sum() for l in range(1, L + 1))
    cost.backward()
    return {
        "name": "%s_%s_l2_%g" % (output, activation, lambd), "output": output, "activation": activation, "lambd": lambd,
        "layers_dims": dims, "X": arr(X), "Y": arr(Y), "parameters": {k: arr(v) for k, v in params.items()},
        "cost": cost.item(), "grads": {"d" + k: arr(v.grad.numpy()) for k, v in t.items()},
    }


def main():
    cases = []
    seed = 100
    for output in OUTPUTS:
        for activation in HIDDEN:
            for lambd in (0.0, 0.7):
                seed += 1
                cases.append(case(output, activation, lambd, seed))
    print(json.dumps({"meta": {"generator": "scripts/oracles/torch_gradients.py", "torch": torch.__version__,
                               "numpy": np.__version__, "dtype": "float64"}, "cases": cases}))


if __name__ == "__main__":
    main()
