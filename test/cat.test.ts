// The course's cat / non-cat model (datasets README, "L-layer cat model"):
// layers [12288, 20, 7, 5, 1], learning rate 0.0075, 2500 iterations, deep
// init seeded 1 as dnn_app_utils_v3. The course prints these numbers.
import * as path from 'path';
import { lLayerModel, predict } from '../lib';
import * as datasets from '../lib/datasets';
import { DATASETS } from './helpers/golden';

describe('cat / non-cat', () => {
  const { train, test: testSet, classes } = datasets.loadCatDataset(DATASETS);

  test('the data is loaded and preprocessed as the course', () => {
    expect(train.X.shape).toEqual([12288, 209]);
    expect(train.Y.shape).toEqual([1, 209]);
    expect(testSet.X.shape).toEqual([12288, 50]);
    expect(classes).toEqual(['non-cat', 'cat']);
    expect(train.Y.data.reduce((a, b) => a + b, 0)).toBe(72);
    expect(testSet.Y.data.reduce((a, b) => a + b, 0)).toBe(33);
    // Column 0 is image 0 flattened (row, col, channel) / 255: its first pixel is (17, 31, 56).
    expect([train.X.data[0], train.X.data[209], train.X.data[2 * 209]]).toEqual([17 / 255, 31 / 255, 56 / 255]);
  });

  test('2500 iterations print the course\'s costs and reach its accuracies', () => {
    const { parameters, costs } = lLayerModel(train.X, train.Y, [12288, 20, 7, 5, 1], {
      learningRate: 0.0075, numIterations: 2500, seed: 1,
    });
    expect(costs).toHaveLength(25);
    expect(costs[0].toFixed(6)).toBe('0.771749');
    expect(costs[24].toFixed(6)).toBe('0.092878');
    expect(predict(train.X, train.Y, parameters).accuracy.toFixed(9)).toBe('0.985645933');
    expect(predict(testSet.X, testSet.Y, parameters).accuracy).toBe(0.8);
  });

  test('a missing directory gives an error naming the file', () => {
    expect(() => datasets.loadCatDataset(path.join(DATASETS, 'nope'))).toThrow(/cannot read .*nope.*train_catvnoncat\.h5/);
  });
});
