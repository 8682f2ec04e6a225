// The course's Initialization and Regularization experiments on its own data
// (../shared/datasets), trained with Model: the accuracies the course prints.
import * as fs from 'fs';
import * as path from 'path';
import { matrix, Model, ModelOptions } from '../lib';
import { DATASETS } from './helpers/golden';

function load(file: string) {
  const data = JSON.parse(fs.readFileSync(path.join(DATASETS, file), 'utf8'));
  return {
    train: { X: matrix(data.train.X), Y: matrix(data.train.Y) },
    test: { X: matrix(data.test.X), Y: matrix(data.test.Y) },
  };
}

function experiment(file: string, opts: ModelOptions, learningRate: number, iterations: number) {
  const data = load(file);
  const model = new Model(opts);
  const history = model.fitSync(data.train.X, data.train.Y, { learningRate, iterations });
  const fmt = (x: number) => Number(x.toFixed(4));
  return {
    firstCost: history.costs[0],
    train: fmt(model.evaluate(data.train.X, data.train.Y).accuracy),
    test: fmt(model.evaluate(data.test.X, data.test.Y).accuracy),
  };
}

describe('Initialization (circles, [2, 10, 5, 1], learning rate 0.01, 15000 iterations)', () => {
  const layers = [2, 10, 5, 1];
  test('zeros: symmetry is never broken', () => {
    expect(experiment('circles.json', { layers, init: 'zeros' }, 0.01, 15000)).toMatchObject({ train: 0.5, test: 0.5 });
  });
  test('random x10 (seed 3): a huge first cost, still finite', () => {
    const r = experiment('circles.json', { layers, init: 'random', seed: 3 }, 0.01, 15000);
    expect(r).toMatchObject({ train: 0.83, test: 0.86 });
    expect(Number.isFinite(r.firstCost)).toBe(true);
  });
  test('He (seed 3)', () => {
    const r = experiment('circles.json', { layers, init: 'he', seed: 3 }, 0.01, 15000);
    expect(r).toMatchObject({ train: 0.9933, test: 0.96 });
    expect(Math.abs(r.firstCost - 0.8830537463419761)).toBeLessThanOrEqual(1e-15);
  });
});

describe('Regularization (football, [2, 20, 3, 1], deep init seed 3, learning rate 0.3, 30000 iterations)', () => {
  const layers = [2, 20, 3, 1];
  test('no regularization overfits', () => {
    expect(experiment('football.json', { layers, seed: 3 }, 0.3, 30000)).toMatchObject({ train: 0.9479, test: 0.915 });
  });
  test('L2, lambd 0.7', () => {
    expect(experiment('football.json', { layers, seed: 3, l2: 0.7 }, 0.3, 30000)).toMatchObject({ train: 0.9384, test: 0.93 });
  });
  test('dropout, keepProb 0.86, masks re-seeded with 1 as the course', () => {
    expect(experiment('football.json', { layers, seed: 3, keepProb: 0.86, dropoutSeed: 1 }, 0.3, 30000))
      .toMatchObject({ train: 0.9289, test: 0.95 });
  });
});
