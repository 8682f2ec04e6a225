"""The mini-batch workloads in PyTorch (CPU), timed per epoch, as a peer.

Usage: /usr/bin/python3 minibatch_torch.py '{"layers": [784, 256, 128, 10], "m": 8192, "batch": 128,
                                            "head": "softmax", "dtype": "float32", "epochs": 3,
                                            "reps": 3, "threads": 1, "learning_rate": 0.0007}'
Prints one JSON line: {"median_ms": ..., "times_ms": [...], "cost": ..., "torch": ...}.
The same data as minibatch_numpy.py (numpy's RandomState(0)), the same
network (relu hidden layers, He init), Adam (torch.optim.Adam: its epsilon
sits outside the square root, as the course's), shuffled batches from
torch.randperm each epoch. The usual idiomatic loop: forward, loss,
zero_grad, backward, step. Timed after `warmup` epochs (1).
"""
import json
import sys
import time

import numpy as np
import torch


def main():
    spec = json.loads(sys.argv[1])
    torch.set_num_threads(spec.get("threads", 1))
    torch.manual_seed(0)
    dtype = torch.float64 if spec["dtype"] == "float64" else torch.float32
    rng = np.random.RandomState(0)
    layers, m, head = spec["layers"], spec["m"], spec["head"]
    X = torch.tensor(rng.rand(layers[0], m).T.copy(), dtype=dtype)  # (m, n): PyTorch's rows
    u = rng.rand(m)
    if head == "sigmoid":
        Y = torch.tensor((u < 0.5).astype(np.float64)[:, None], dtype=dtype)
        loss_fn = torch.nn.BCEWithLogitsLoss()
    else:
        Y = torch.tensor((u * layers[-1]).astype(np.int64))
        loss_fn = torch.nn.CrossEntropyLoss()
    modules = []
    for l in range(1, len(layers)):
        lin = torch.nn.Linear(layers[l - 1], layers[l]).to(dtype)
        torch.nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        torch.nn.init.zeros_(lin.bias)
        modules.append(lin)
        if l < len(layers) - 1:
            modules.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*modules)
    opt = torch.optim.Adam(net.parameters(), lr=spec.get("learning_rate", 0.0007))
    batch = spec["batch"]

    def epoch():
        total = 0.0
        order = torch.randperm(m)
        for k in range(0, m, batch):
            idx = order[k:k + batch]
            loss = loss_fn(net(X[idx]), Y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        return total / m

    for _ in range(spec.get("warmup", 1)):
        epoch()
    times, cost = [], None
    for _ in range(spec.get("reps", 3)):
        start = time.perf_counter()
        for _ in range(spec["epochs"]):
            cost = epoch()
        times.append((time.perf_counter() - start) * 1e3 / spec["epochs"])
    print(json.dumps({"median_ms": float(np.median(times)), "times_ms": times, "cost": cost, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
