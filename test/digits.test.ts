// The softmax Model on real data: scikit-learn's digits (1797 images of 8 x 8
// pixels, 10 classes), next to scikit-learn's MLPClassifier with the same
// network, optimizer and split (test/fixtures/sklearn_digits.json, written by
// scripts/oracles/sklearn_digits.py).
import * as fs from 'fs';
import * as path from 'path';
import { confusionMatrix, Matrix, Model, trainTestSplit } from '../lib';
import * as datasets from '../lib/datasets';
import { DATASETS } from './helpers/golden';

const sklearn = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sklearn_digits.json'), 'utf8'));

test('[64, 32, 10] softmax with Adam reaches MLPClassifier\'s test accuracy within 2 points', () => {
  const data = datasets.loadCsv(path.join(DATASETS, 'digits.csv'), { labels: 'classes' });
  expect(data.numClasses).toBe(10);
  const X: Matrix = { shape: data.X.shape, data: data.X.data.map((v) => v / 16) };
  const split = trainTestSplit(X, data.Y, { testSize: 0.25, stratify: true, seed: 0 });
  expect([split.train.X.shape[1], split.test.X.shape[1]]).toEqual([sklearn.meta.train, sklearn.meta.test]);
  const accuracies = [0, 1, 2, 3, 4].map((seed) => {
    const model = new Model({ layers: [64, 32, 10], output: 'softmax', init: 'he', seed });
    model.fitSync(split.train.X, split.train.Y, { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 100 });
    return model.evaluate(split.test.X, split.test.Y).accuracy;
  });
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  expect(Math.abs(mean - sklearn.mean_test_accuracy)).toBeLessThanOrEqual(0.02);
  expect(Math.min(...accuracies)).toBeGreaterThan(0.9);
  // Every class is recognised: the confusion matrix's diagonal holds most of each row.
  const model = new Model({ layers: [64, 32, 10], output: 'softmax', init: 'he', seed: 0 });
  model.fitSync(split.train.X, split.train.Y, { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 100 });
  const cm = confusionMatrix(split.test.Y, model.predict(split.test.X));
  const rows = cm.matrix as number[][];
  rows.forEach((row, k) => expect(row[k] / row.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.8));
});
