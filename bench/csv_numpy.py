"""The numpy side of bench/csv.js: writes the benchmark CSV, and loads it as a
numpy user would, timing the load call alone (the process's peak memory is
read by /usr/bin/time -v around it).

    python3 bench/csv_numpy.py make FILE [ROWS FEATURES]
    python3 bench/csv_numpy.py loadtxt|genfromtxt|pandas|baseline FILE
    python3 bench/csv_numpy.py dump FILE OUT   # loadtxt's array, raw float64 rows, for checking loadCsv's values
"""
import json
import sys
import time

import numpy as np


def make(path, m=80000, n=50):
    # Features as a scikit-learn or pandas user writes them (repr: up to 17 significant digits), a 0/1 label last.
    rng = np.random.RandomState(0)
    X = rng.randn(m, n)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    with open(path, 'w') as f:
        f.write(','.join([f'f{j}' for j in range(n)] + ['label']) + '\n')
        for i in range(m):
            f.write(','.join(map(repr, X[i].tolist())) + f',{y[i]}\n')


def load(how, path):
    t = time.perf_counter()
    if how == 'loadtxt':
        a = np.loadtxt(path, delimiter=',', skiprows=1)
    elif how == 'genfromtxt':
        a = np.genfromtxt(path, delimiter=',', skip_header=1)
    elif how == 'pandas':
        import pandas
        a = pandas.read_csv(path).to_numpy()
    else:  # baseline: the interpreter with numpy imported, nothing loaded
        a = np.zeros((1, 1))
    ms = (time.perf_counter() - t) * 1e3
    print(json.dumps({'ms': ms, 'shape': list(a.shape)}))


if __name__ == '__main__':
    if sys.argv[1] == 'make':
        make(sys.argv[2], *map(int, sys.argv[3:5]))
    elif sys.argv[1] == 'dump':
        np.loadtxt(sys.argv[2], delimiter=',', skiprows=1).tofile(sys.argv[3])
    else:
        load(sys.argv[1], sys.argv[2])
