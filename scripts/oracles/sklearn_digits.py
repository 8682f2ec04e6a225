"""scikit-learn's MLPClassifier on the digits data: the accuracy deepnet's
softmax Model is compared with (test/digits.test.ts, the README).

    python3 scripts/oracles/sklearn_digits.py > test/fixtures/sklearn_digits.json

digits.csv (../shared/datasets: 1797 x 64 pixels 0..16, label 0..9), scaled by
1/16, split with train_test_split(test_size=0.25, stratify=y, random_state=0)
(deepnet's trainTestSplit picks the same examples), then MLPClassifier with one
hidden layer of 32 relu units, adam, learning rate 0.01, batches of 32, 100
epochs (no early stop: n_iter_no_change=100), for five random_states.
"""
import json
import os
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

here = os.path.dirname(os.path.abspath(__file__))
data = np.loadtxt(os.path.join(here, "..", "..", "..", "shared", "datasets", "digits.csv"), delimiter=",", skiprows=1)
X, y = data[:, :-1] / 16, data[:, -1].astype(int)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
runs = []
for state in range(5):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        clf = MLPClassifier(hidden_layer_sizes=(32,), solver="adam", learning_rate_init=0.01, batch_size=32,
                            max_iter=100, n_iter_no_change=100, random_state=state).fit(X_train, y_train)
        seconds = time.perf_counter() - start
    runs.append({"random_state": state, "epochs": clf.n_iter_, "fit_seconds": seconds, "train_accuracy": clf.score(X_train, y_train),
                 "test_accuracy": clf.score(X_test, y_test)})
print(json.dumps({"meta": {"generator": "scripts/oracles/sklearn_digits.py", "sklearn": sklearn.__version__,
                           "split": "train_test_split(test_size=0.25, stratify=y, random_state=0)",
                           "train": len(y_train), "test": len(y_test)},
                  "mean_test_accuracy": float(np.mean([r["test_accuracy"] for r in runs])), "runs": runs}, indent=1))
