"""Fixed inputs and scikit-learn's outputs for deepnet's metrics, splits and
scalers, written to test/fixtures/sklearn_oracle.json (checked in: the tests
read it and never need Python).

    python3 scripts/oracles/sklearn_oracle.py   # numpy and scikit-learn installed

Arrays are stored as scikit-learn takes them: X (n_samples, n_features), one
example per row; the tests convert them with fromRows. Floats are written
with repr, so JSON.parse gives the exact doubles scikit-learn saw.
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, StandardScaler

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'sklearn_oracle.json')


def floats(a):
    return [float(v) for v in np.ravel(a)]


def ints(a):
    return [int(v) for v in np.ravel(a)]


def classification_case(name, y_true, y_pred, labels=None, target_names=None, digits=2):
    """Every label metric of one (y_true, y_pred) pair."""
    kw = {} if labels is None else {'labels': labels}
    p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0, **kw)
    case = {
        'name': name,
        'y_true': ints(y_true),
        'y_pred': ints(y_pred),
        'labels': labels,
        'accuracy': metrics.accuracy_score(y_true, y_pred),
        'confusion_matrix': metrics.confusion_matrix(y_true, y_pred, **kw).tolist(),
        'per_class': {'labels': ints(labels if labels is not None else np.unique(np.r_[y_true, y_pred])),
                      'precision': floats(p), 'recall': floats(r), 'f1': floats(f), 'support': ints(s)},
        'report': metrics.classification_report(y_true, y_pred, zero_division=0, target_names=target_names,
                                                digits=digits, **kw),
        'target_names': target_names,
        'digits': digits,
    }
    for average in ('macro', 'weighted', 'micro'):
        ap, ar, af, _ = metrics.precision_recall_fscore_support(y_true, y_pred, average=average, zero_division=0, **kw)
        case[average] = {'precision': float(ap), 'recall': float(ar), 'f1': float(af)}
    if len(np.unique(np.r_[y_true, y_pred])) <= 2 and labels is None:
        case['binary'] = {
            'precision': metrics.precision_score(y_true, y_pred, zero_division=0),
            'recall': metrics.recall_score(y_true, y_pred, zero_division=0),
            'f1': metrics.f1_score(y_true, y_pred, zero_division=0),
        }
    return case


def main():
    rng = np.random.RandomState(0)
    out = {'meta': {'generator': 'scripts/oracles/sklearn_oracle.py', 'sklearn': sklearn.__version__,
                    'numpy': np.__version__}}

    # Binary: scores rounded to two decimals, so ROC AUC meets ties; 0 and 1 exactly for log loss's clipping.
    m = 200
    y = rng.randint(0, 2, m)
    score = np.round(np.clip(0.5 + 0.35 * (y - 0.5) + 0.3 * rng.randn(m), 0, 1), 2)
    score[:3] = [0.0, 1.0, 1.0 - y[2]]  # a certain right answer and a certain wrong one
    binary = classification_case('binary', y, (score > 0.5).astype(int))
    binary['score'] = floats(score)
    binary['roc_auc'] = metrics.roc_auc_score(y, score)
    binary['log_loss'] = metrics.log_loss(y, score)
    cases = [binary]

    # Four classes; class 3 is never predicted (zero division), softmax probabilities (K, m) for log loss.
    m, K = 300, 4
    y = rng.randint(0, K, m)
    pred = np.where(rng.rand(m) < 0.7, y, rng.randint(0, K, m))
    pred[pred == 3] = 0
    multi = classification_case('multiclass', y, pred, target_names=['zero', 'one', 'two', 'three'], digits=4)
    logits = rng.randn(K, m) + 2.0 * np.eye(K)[y].T
    proba = np.exp(logits - logits.max(axis=0)) / np.exp(logits - logits.max(axis=0)).sum(axis=0)
    proba[:, 0] = np.eye(K)[(y[0] + 1) % K]  # certain and wrong: clipped to eps
    multi['proba'] = proba.tolist()  # (K, m): one column per example, as a softmax AL
    multi['log_loss'] = metrics.log_loss(y, proba.T, labels=list(range(K)))
    cases.append(multi)

    # Exact ties in the report's rounding: precision 1/8 = 0.125 prints 0.12 (ties to even).
    cases.append(classification_case('ties', np.array([1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 2, 2, 2, 2, 2, 2, 2]),
                                     np.array([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0])))
    # Labels that leave a class out: the report has a micro avg row instead of accuracy.
    cases.append(classification_case('subset', y[:60], pred[:60], labels=[0, 2]))
    out['classification'] = cases

    out['roc_auc_extra'] = [
        {'y_true': [0, 1, 0, 1], 'score': [0.5, 0.5, 0.5, 0.5], 'roc_auc': metrics.roc_auc_score([0, 1, 0, 1], [0.5] * 4)},
        {'y_true': [1, 0, 0, 1, 1], 'score': [3.0, -1.0, 2.0, 2.0, 10.0],
         'roc_auc': metrics.roc_auc_score([1, 0, 0, 1, 1], [3.0, -1.0, 2.0, 2.0, 10.0])},
    ]

    t = 3.0 * rng.randn(100) + 1.0
    p = t + rng.randn(100)
    const = np.full(20, 2.5)
    out['regression'] = [
        {'y_true': floats(t), 'y_pred': floats(p), 'mse': metrics.mean_squared_error(t, p),
         'mae': metrics.mean_absolute_error(t, p), 'r2': metrics.r2_score(t, p)},
        {'y_true': floats(const), 'y_pred': floats(const), 'mse': 0.0, 'mae': 0.0, 'r2': metrics.r2_score(const, const)},
        {'y_true': floats(const), 'y_pred': floats(const + 0.5), 'mse': metrics.mean_squared_error(const, const + 0.5),
         'mae': metrics.mean_absolute_error(const, const + 0.5), 'r2': metrics.r2_score(const, const + 0.5)},
    ]

    # Splits of arange(m): the indices scikit-learn puts in train and test, in order.
    splits = []
    for m, kw in [(10, {'random_state': 0}), (569, {'random_state': 42}), (569, {'test_size': 0.2, 'random_state': 0}),
                  (100, {'train_size': 0.5, 'test_size': 0.3, 'random_state': 7}), (50, {'test_size': 7, 'random_state': 3}),
                  (30, {'train_size': 20, 'random_state': 1})]:
        tr, te = train_test_split(np.arange(m), **kw)
        splits.append({'m': m, 'options': kw, 'train': ints(tr), 'test': ints(te)})
    y_bc = np.r_[np.zeros(212, int), np.ones(357, int)]
    rng.shuffle(y_bc)
    y3 = rng.choice([0, 1, 2], size=100, p=[0.5, 0.3, 0.2])
    y_ties = np.repeat([0, 1, 2], 5)
    for y, kw in [(y_bc, {'test_size': 0.2, 'random_state': 0}), (y3, {'test_size': 0.3, 'random_state': 0}),
                  (y3, {'train_size': 0.6, 'test_size': 0.25, 'random_state': 11}), (y_ties, {'test_size': 4, 'random_state': 5})]:
        tr, te = train_test_split(np.arange(len(y)), stratify=y, **kw)
        splits.append({'m': len(y), 'options': kw, 'stratify': ints(y), 'train': ints(tr), 'test': ints(te)})
    out['splits'] = splits

    # Scalers: features of different scales, a constant one and a near-constant one.
    X = rng.randn(50, 6) * np.array([1.0, 100.0, 1e-3, 5.0, 1.0, 1.0]) + np.array([0.0, -50.0, 2.0, 1e6, 3.7, 1.0])
    X[:, 4] = 3.7
    X[:, 5] = 1.0 + 1e-17 * rng.randn(50)  # rounds to 1.0 or its neighbours: scikit-learn's constant test applies
    X2 = rng.randn(10, 6) * 3.0
    std = StandardScaler().fit(X)
    mm = MinMaxScaler().fit(X)
    mm2 = MinMaxScaler(feature_range=(-1, 2)).fit(X)
    out['scalers'] = {
        'X': X.tolist(), 'X2': X2.tolist(),
        'standard': {'mean': floats(std.mean_), 'var': floats(std.var_), 'scale': floats(std.scale_),
                     'transform_X': std.transform(X).tolist(), 'transform_X2': std.transform(X2).tolist(),
                     'inverse_X2': std.inverse_transform(X2).tolist()},
        'minmax': [
            {'feature_range': [0, 1], 'data_min': floats(mm.data_min_), 'data_max': floats(mm.data_max_),
             'scale': floats(mm.scale_), 'min': floats(mm.min_), 'transform_X2': mm.transform(X2).tolist(),
             'inverse_X2': mm.inverse_transform(X2).tolist()},
            {'feature_range': [-1, 2], 'data_min': floats(mm2.data_min_), 'data_max': floats(mm2.data_max_),
             'scale': floats(mm2.scale_), 'min': floats(mm2.min_), 'transform_X2': mm2.transform(X2).tolist(),
             'inverse_X2': mm2.inverse_transform(X2).tolist()},
        ],
    }

    with open(OUT, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.normpath(OUT)}')


if __name__ == '__main__':
    main()
