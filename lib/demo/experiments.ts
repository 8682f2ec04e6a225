// The notes' experiments on data deepnet generates itself: initialization
// (zeros / large random / He), regularization (none / L2 / dropout), an
// L-layer model trained with the notes' own functions, optimization (gd /
// momentum / Adam with mini-batches, with and without learning-rate decay),
// and a gradient check of correct and deliberately broken backpropagation.
import { lModelBackward } from '../backward';
import { lModelForward } from '../forward';
import * as fs from 'fs';
import * as path from 'path';
import { loadCsv, makeCircles, makeFootball, makeMoons, makePlanarFlower } from '../datasets';
import { confusionMatrix, ConfusionMatrix } from '../metrics';
import { trainTestSplit } from '../split';
import { Split } from '../datasets/cat';
import { gradientCheckN, GradientCheckResult } from '../gradcheck';
import { initializeParametersHe } from '../init';
import { Matrix } from '../matrix';
import { FitOptions, Model, ModelOptions } from '../model';
import { Grads, NetworkParameters } from '../parameters';
import { predict } from '../predict';
import { RandomState } from '../rng';
import { lLayerModel } from '../train';

export interface Dataset {
  id: string;
  title: string;
  train: Split;
  test: Split;
}

export interface Run {
  id: string;
  title: string;
  dataset: Dataset;
  settings: string;
  costs: number[];
  /** Costs are recorded every `every` iterations (or epochs). */
  every: number;
  unit: 'iterations' | 'epochs';
  learningRate: number;
  trainAccuracy: number;
  testAccuracy: number;
  seconds: number;
  predict: (X: Matrix) => Matrix;
}

export interface GradientCheck {
  title: string;
  result: GradientCheckResult;
}

/** A softmax classifier on real data: its confusion matrix on the test split. */
export interface MultiClassRun {
  title: string;
  settings: string;
  trainAccuracy: number;
  testAccuracy: number;
  confusion: ConfusionMatrix;
  seconds: number;
}

/** A linear output fitted to one feature: the data and the fitted curve. */
export interface RegressionRun {
  title: string;
  settings: string;
  train: Split;
  test: Split;
  trainR2: number;
  testR2: number;
  seconds: number;
  predict: (X: Matrix) => Matrix;
}

export interface DemoResults {
  datasets: Dataset[];
  sections: { id: string; title: string; text: string; runs: Run[] }[];
  /** Absent when digits.csv is not found (see digitsFile). */
  multiClass?: MultiClassRun;
  regression: RegressionRun;
  gradientChecks: GradientCheck[];
}

export function demoDatasets(): Dataset[] {
  return [
    { id: 'circles', title: 'Circles (the Initialization notebook\'s data, regenerated)',
      train: makeCircles({ nSamples: 300, noise: 0.05, seed: 1 }), test: makeCircles({ nSamples: 100, noise: 0.05, seed: 2 }) },
    { id: 'football', title: 'Football-like 2-D data (generated, as the Regularization notebook\'s)',
      train: makeFootball({ nSamples: 211, seed: 1 }), test: makeFootball({ nSamples: 200, seed: 2 }) },
    { id: 'flower', title: 'Planar flower (the course\'s 2-class flower)',
      train: makePlanarFlower({ m: 400, seed: 1 }), test: makePlanarFlower({ m: 400, seed: 2 }) },
    { id: 'moons', title: 'Moons (the Optimization notebook\'s data, regenerated)',
      train: makeMoons({ nSamples: 300, noise: 0.2, seed: 3 }), test: makeMoons({ nSamples: 300, noise: 0.2, seed: 4 }) },
  ];
}

function timed<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e9];
}

function modelRun(id: string, title: string, dataset: Dataset, options: ModelOptions, learningRate: number, iterations: number,
  settings: string): Run {
  const model = new Model(options);
  const [history, seconds] = timed(() => model.fitSync(dataset.train.X, dataset.train.Y, { learningRate, iterations }));
  return {
    id, title, dataset, settings, costs: Array.from(history.costs).filter((_, i) => i % 100 === 0), every: 100, unit: 'iterations',
    learningRate, seconds,
    trainAccuracy: model.evaluate(dataset.train.X, dataset.train.Y).accuracy,
    testAccuracy: model.evaluate(dataset.test.X, dataset.test.Y).accuracy,
    predict: (X) => model.predict(X),
  };
}

/** The Optimization notebook's model(): [2, 5, 2, 1], He init, batches of 64 shuffled as the course, 5000 epochs. */
function optimizationRun(id: string, title: string, dataset: Dataset, fit: FitOptions, settings: string): Run {
  const model = new Model({ layers: [2, 5, 2, 1], init: 'he', seed: 3 });
  const opts: FitOptions = { batchSize: 64, epochs: 5000, shuffleSeed: 10, ...fit };
  const [history, seconds] = timed(() => model.fitSync(dataset.train.X, dataset.train.Y, opts));
  return {
    id, title, dataset, settings, costs: Array.from(history.costs).filter((_, i) => i % 100 === 0), every: 100, unit: 'epochs',
    learningRate: opts.learningRate as number, seconds,
    trainAccuracy: model.evaluate(dataset.train.X, dataset.train.Y).accuracy,
    testAccuracy: model.evaluate(dataset.test.X, dataset.test.Y).accuracy,
    predict: (X) => model.predict(X),
  };
}

/** An L-layer model trained with the notes' L_layer_model and predict. */
function notesRun(dataset: Dataset): Run {
  const layers = [2, 20, 7, 5, 1];
  const learningRate = 0.0075;  // the notes' default; 0.03 already drives AL to exactly 1 and the notes' dAL to NaN
  const [{ parameters, costs }, seconds] = timed(() =>
    lLayerModel(dataset.train.X, dataset.train.Y, layers, { learningRate, numIterations: 10000, seed: 3 }));
  const accuracy = (s: Split) => predict(s.X, s.Y, parameters).accuracy;
  return {
    id: 'l-layer', title: 'L-layer model with the notes\' functions', dataset, costs, every: 100, unit: 'iterations', learningRate, seconds,
    settings: `lLayerModel, layers [${layers}], learning rate ${learningRate}, 10000 iterations, deep init`,
    trainAccuracy: accuracy(dataset.train), testAccuracy: accuracy(dataset.test),
    predict: (X) => {
      const [AL] = lModelForward(X, parameters);
      return { shape: AL.shape, data: AL.data.map((a) => (a > 0.5 ? 1 : 0)) };
    },
  };
}

/**
 * scikit-learn's digits (1797 images of 8 x 8 pixels, 10 classes), from the
 * course data directory when it is there: $DEEPNET_SHARED/datasets, or
 * ../shared/datasets next to the working directory or to a clone.
 */
export function digitsFile(): string | undefined {
  const dirs = [process.env.DEEPNET_SHARED, path.join(process.cwd(), '..', 'shared'), path.join(__dirname, '..', '..', '..', 'shared')];
  return dirs.filter((d): d is string => !!d).map((d) => path.join(d, 'datasets', 'digits.csv')).find((f) => fs.existsSync(f));
}

/** A [64, 32, 10] softmax model with Adam on digits, scaled by 1/16, on a stratified 75/25 split. */
function digitsRun(file: string): MultiClassRun {
  const data = loadCsv(file, { labels: 'classes' });
  const X: Matrix = { shape: data.X.shape, data: data.X.data.map((v) => v / 16) };
  const split = trainTestSplit(X, data.Y, { testSize: 0.25, stratify: true, seed: 0 });
  const model = new Model({ layers: [64, 32, 10], output: 'softmax', init: 'he', seed: 0 });
  const [, seconds] = timed(() => model.fitSync(split.train.X, split.train.Y,
    { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 100 }));
  return {
    title: 'digits (10 classes)', seconds,
    settings: 'layers [64, 32, 10], relu, softmax output, Adam (learning rate 0.01), batches of 32, 100 epochs; ' +
      `${split.train.X.shape[1]} training and ${split.test.X.shape[1]} test images (stratified split)`,
    trainAccuracy: model.evaluate(split.train.X, split.train.Y).accuracy,
    testAccuracy: model.evaluate(split.test.X, split.test.Y).accuracy,
    confusion: confusionMatrix(split.test.Y, model.predict(split.test.X)),
  };
}

/** y = sin(2x) + noise on [-2, 2]: a [1, 32, 16, 1] tanh network with a linear output. */
function regressionRun(): RegressionRun {
  const make = (seed: number, m: number): Split => {
    const rng = new RandomState(seed);
    const x = rng.rand(1, m).data.map((u) => 4 * u - 2);
    const noise = rng.randn(1, m).data;
    return { X: { shape: [1, m], data: x }, Y: { shape: [1, m], data: x.map((v, i) => Math.sin(2 * v) + 0.15 * noise[i]) } };
  };
  const [train, test] = [make(1, 200), make(2, 200)];
  const model = new Model({ layers: [1, 32, 16, 1], activation: 'tanh', output: 'linear', init: 'xavier', seed: 3 });
  const [, seconds] = timed(() => model.fitSync(train.X, train.Y, { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 500 }));
  return {
    title: 'a noisy sine', train, test, seconds,
    settings: 'layers [1, 32, 16, 1], tanh, linear output, Xavier init, Adam (learning rate 0.01), batches of 32, 500 epochs',
    trainR2: model.evaluate(train.X, train.Y).r2 as number, testR2: model.evaluate(test.X, test.Y).r2 as number,
    predict: (X) => model.predict(X),
  };
}

/** The course's gradient_check_n setting: random data and weights, correct and with its planted bugs. */
function gradientChecks(): GradientCheck[] {
  const rng = new RandomState(1);
  const X = rng.randn(4, 3);
  const Y: Matrix = { shape: [1, 3], data: new Float64Array([1, 1, 0]) };
  const parameters: NetworkParameters = initializeParametersHe([4, 5, 3, 1], { seed: 1 });
  const [AL, caches] = lModelForward(X, parameters);
  const grads = lModelBackward(AL, Y, caches);
  const times = (g: Grads[string], k: number) => ({ shape: g.shape, data: g.data.map((v) => v * k) });
  const buggy: Grads = { ...grads, dW2: times(grads.dW2, 2), db1: times(grads.db1, 4) };
  return [
    { title: 'deepnet\'s backward pass', result: gradientCheckN(parameters, grads, X, Y) },
    { title: 'with the course\'s planted bugs (dW2 doubled, db1 four times too large)', result: gradientCheckN(parameters, buggy, X, Y) },
  ];
}

export function runExperiments(log: (line: string) => void = () => undefined): DemoResults {
  const datasets = demoDatasets();
  const [circles, football, flower, moons] = datasets;
  const say = (r: Run) => {
    log(`${r.dataset.id.padEnd(9)} ${r.title.padEnd(22)} train ${r.trainAccuracy.toFixed(4)}  test ${r.testAccuracy.toFixed(4)}  (${r.seconds.toFixed(2)} s)`);
    return r;
  };
  const init = [
    say(modelRun('init-zeros', 'zeros', circles, { layers: [2, 10, 5, 1], init: 'zeros' }, 0.01, 15000,
      'layers [2,10,5,1], W = 0, learning rate 0.01, 15000 iterations')),
    say(modelRun('init-random', 'large random (x10)', circles, { layers: [2, 10, 5, 1], init: 'random', seed: 3 }, 0.01, 15000,
      'layers [2,10,5,1], W = randn * 10 (seed 3), learning rate 0.01, 15000 iterations')),
    say(modelRun('init-he', 'He', circles, { layers: [2, 10, 5, 1], init: 'he', seed: 3 }, 0.01, 15000,
      'layers [2,10,5,1], W = randn * sqrt(2 / n_prev) (seed 3), learning rate 0.01, 15000 iterations')),
  ];
  const reg = [
    say(modelRun('reg-none', 'no regularization', football, { layers: [2, 20, 3, 1], seed: 3 }, 0.3, 30000,
      'layers [2,20,3,1], deep init (seed 3), learning rate 0.3, 30000 iterations')),
    say(modelRun('reg-l2', 'L2 (lambd 0.7)', football, { layers: [2, 20, 3, 1], seed: 3, l2: 0.7 }, 0.3, 30000,
      'as above, with L2 regularization, lambd = 0.7')),
    say(modelRun('reg-dropout', 'dropout (keep 0.86)', football, { layers: [2, 20, 3, 1], seed: 3, keepProb: 0.86, dropoutSeed: 1 }, 0.3, 30000,
      'as above, with inverted dropout, keep_prob = 0.86 (masks re-seeded with 1, as the course)')),
  ];
  const deep = [say(notesRun(flower))];
  const decay = { learningRateDecay: { schedule: 'step' as const, rate: 1, interval: 1000 } };
  const optimization = [
    say(optimizationRun('opt-gd', 'gd', moons, { optimizer: 'gd', learningRate: 0.0007 }, 'mini-batch gradient descent, learning rate 0.0007')),
    say(optimizationRun('opt-momentum', 'momentum', moons, { optimizer: 'momentum', learningRate: 0.0007 }, 'momentum (beta 0.9), learning rate 0.0007')),
    say(optimizationRun('opt-adam', 'Adam', moons, { optimizer: 'adam', learningRate: 0.0007 }, 'Adam (beta1 0.9, beta2 0.999), learning rate 0.0007')),
    say(optimizationRun('opt-gd-decay', 'gd, lr decay', moons, { optimizer: 'gd', learningRate: 0.1, ...decay },
      'gradient descent, learning rate 0.1 / (1 + floor(epoch / 1000)) (schedule_lr_decay)')),
    say(optimizationRun('opt-momentum-decay', 'momentum, lr decay', moons, { optimizer: 'momentum', learningRate: 0.1, ...decay },
      'momentum, learning rate 0.1 with schedule_lr_decay')),
    say(optimizationRun('opt-adam-decay', 'Adam, lr decay', moons, { optimizer: 'adam', learningRate: 0.01, ...decay },
      'Adam, learning rate 0.01 with schedule_lr_decay')),
  ];
  const digits = digitsFile();
  const multiClass = digits ? digitsRun(digits) : undefined;
  if (multiClass) log(`${'digits'.padEnd(9)} ${'softmax, 10 classes'.padEnd(22)} train ${multiClass.trainAccuracy.toFixed(4)}  test ${multiClass.testAccuracy.toFixed(4)}  (${multiClass.seconds.toFixed(2)} s)`);
  else log('digits    skipped: digits.csv not found (set DEEPNET_SHARED to the course data directory)');
  const regression = regressionRun();
  log(`${'sine'.padEnd(9)} ${'linear output'.padEnd(22)} train R^2 ${regression.trainR2.toFixed(4)}  test R^2 ${regression.testR2.toFixed(4)}  (${regression.seconds.toFixed(2)} s)`);
  const checks = gradientChecks();
  for (const c of checks) log(`gradient check ${c.title}: difference ${c.result.difference.toExponential(3)} ${c.result.passed ? '(passed)' : '(mistake found)'}`);
  return {
    datasets,
    sections: [
      { id: 'initialization', title: 'Initialization', runs: init,
        text: 'Zeros never break the symmetry between units; large random weights saturate the sigmoid and train slowly; He initialization separates the classes quickly.' },
      { id: 'regularization', title: 'Regularization', runs: reg,
        text: 'Without regularization the boundary overfits the training data; L2 and dropout smooth it, trading some training accuracy for test accuracy.' },
      { id: 'l-layer', title: 'An L-layer network', runs: deep,
        text: 'The notes\' [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID model, trained with lLayerModel and evaluated with predict.' },
      { id: 'optimization', title: 'Optimization (mini-batches, momentum, Adam, learning-rate decay)', runs: optimization,
        text: 'The Optimization notebook\'s [2, 5, 2, 1] network on its moons data: batches of 64 shuffled as the course ' +
          '(epoch e seeded with 10 + e + 1), 5000 epochs. At learning rate 0.0007 gradient descent and momentum are still ' +
          'slow where Adam has separated the moons; decaying a larger learning rate lets every optimizer get there.' },
    ],
    ...(multiClass ? { multiClass } : {}),
    regression,
    gradientChecks: checks,
  };
}
