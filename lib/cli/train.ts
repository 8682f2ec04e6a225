// deepnet train: fit a Model on a data file or a generated dataset, with
// progress, and save the model, its cost curve and decision boundary.
import { HIDDEN_ACTIVATIONS, HiddenActivation, Output, OUTPUTS } from '../architecture';
import { AbortError, FitOptions, InitName, Model, OptimizerName } from '../model';
import { plotCostCurve, plotDecisionBoundary } from '../plot';
import { DType } from '../matrix';
import { Data, generate, GENERATED, readDataFile } from './data';
import { checkFigurePath, writeFigure } from './output';
import { progressSink } from './progress';
import { intList, number, nonNegativeInt, oneOf, parse, positiveInt, UsageError } from './usage';

export const TRAIN_HELP = `Usage: deepnet train (--data FILE | --dataset NAME) [options]

Trains a fully-connected network ([LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID by
default; other activations and softmax or linear outputs by flag): full-batch
gradient descent by default, or mini-batches with momentum, RMSprop or Adam.

Data (one of):
  --data FILE             a CSV file (a label column named label, y or target, else the
                          last column: 0/1, class labels 0..K-1 with --output softmax, real
                          values with --output linear), a .mat file with X, y, Xval, yval
                          (the course's data.mat), or a directory with the cat .h5 files
  --dataset NAME          a generated dataset: ${GENERATED.join(', ')} (test set: seed + 1)
  --samples N             examples to generate (default: the course's size)
  --noise X               noise of circles/moons

Model:
  --hidden LIST           hidden layer sizes (default 20,7,5: the notes' model)
  --layers LIST           all layer sizes instead, e.g. 2,20,3,1 (first = features, last =
                          output units: 1, the number of classes for softmax)
  --output NAME           sigmoid (default: 0/1 labels), softmax (classes), linear (regression)
  --activation NAME       hidden layers' activation: relu (default), tanh, sigmoid, leakyRelu;
                          or one per hidden layer, e.g. tanh,relu
  --init NAME             deep, he, xavier, random, zeros (default he)
  --l2 LAMBD              L2 regularization (default 0)
  --keep-prob P           inverted dropout on hidden layers (default 1: none)
  --seed N                seed of the initialization and of generated data (default 3)
  --dtype T               float64 (default) or float32

Training:
  --learning-rate X       (default 0.0075)
  --epochs N              passes over the data (default 3000); --iterations N is the same
  --optimizer NAME        gd (default), momentum, rmsprop, adam
  --batch-size N          examples per step (default: all of them)
  --beta X                momentum's average (default 0.9)
  --beta1 X, --beta2 X    Adam's averages (default 0.9, 0.999; beta2 is also RMSprop's)
  --epsilon X             (default 1e-8)
  --shuffle-seed N        shuffle as the course: epoch e draws with seed N + e + 1
  --decay NAME            learning-rate decay after each epoch: inverse (lr0 / (1 + rate e))
                          or step (lr0 / (1 + rate floor(e / interval)))
  --decay-rate X          (default 1)
  --decay-interval N      epochs per step of --decay step (default 1000)
  --validation-split F    hold out the last fraction F of the examples to validate on
  --early-stopping N      stop after N epochs without a better validation cost (the
                          training cost without --validation-split); the best epoch's
                          parameters are kept

Output:
  --out FILE              save the trained model (safetensors; Ctrl-C saves the model so far)
  --checkpoint-every N    also save it to --out every N epochs
  --plot FILE             the cost curve (.svg or .png)
  --boundary FILE         the decision boundary over the data (2-D data only; .svg or .png)
  --log-every N           progress every N epochs (default 100)
  --json                  JSON lines on stdout (the default when stdout is not a terminal)
  --verbose               stack traces on errors
  -h, --help              this help

Exit codes: 0 ok, 1 runtime failure, 2 bad usage.`;

const INITS: readonly InitName[] = ['deep', 'he', 'xavier', 'random', 'zeros'];

/** { [key]: value } when value is defined, else {} (spread into options objects). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export async function train(argv: string[]): Promise<number> {
  const c = 'train';
  const a = parse(c, argv, {
    data: { type: 'string' }, dataset: { type: 'string' }, samples: { type: 'string' }, noise: { type: 'string' },
    hidden: { type: 'string' }, layers: { type: 'string' }, init: { type: 'string' }, 'learning-rate': { type: 'string' },
    iterations: { type: 'string' }, l2: { type: 'string' }, 'keep-prob': { type: 'string' }, seed: { type: 'string' },
    dtype: { type: 'string' }, out: { type: 'string' }, 'checkpoint-every': { type: 'string' }, plot: { type: 'string' },
    boundary: { type: 'string' }, 'log-every': { type: 'string' }, epochs: { type: 'string' }, optimizer: { type: 'string' },
    'batch-size': { type: 'string' }, beta: { type: 'string' }, beta1: { type: 'string' }, beta2: { type: 'string' },
    epsilon: { type: 'string' }, 'shuffle-seed': { type: 'string' }, decay: { type: 'string' }, 'decay-rate': { type: 'string' },
    'decay-interval': { type: 'string' }, 'validation-split': { type: 'string' }, 'early-stopping': { type: 'string' },
    output: { type: 'string' }, activation: { type: 'string' },
  });
  if (a.help) {
    process.stdout.write(`${TRAIN_HELP}\n`);
    return 0;
  }
  if ((a.data === undefined) === (a.dataset === undefined)) throw new UsageError('deepnet train: give --data FILE or --dataset NAME (one of them)');
  const seed = number(c, 'seed', a.seed, (n) => nonNegativeInt(n) && n < 2 ** 32, 'an integer in [0, 2^32 - 1]') ?? 3;
  if (a.iterations !== undefined && a.epochs !== undefined) throw new UsageError('deepnet train: give --epochs or --iterations, not both');
  const iterations = number(c, 'epochs', a.epochs, nonNegativeInt, 'a non-negative integer') ??
    number(c, 'iterations', a.iterations, nonNegativeInt, 'a non-negative integer') ?? 3000;
  const fraction = (n: number) => n > 0 && n < 1;
  const optimization: FitOptions = {
    optimizer: oneOf<OptimizerName>(c, 'optimizer', a.optimizer, ['gd', 'momentum', 'rmsprop', 'adam']) ?? 'gd',
    ...optional('batchSize', number(c, 'batch-size', a['batch-size'], positiveInt, 'a positive integer')),
    ...optional('beta', number(c, 'beta', a.beta, fraction, 'a number in (0, 1)')),
    ...optional('beta1', number(c, 'beta1', a.beta1, fraction, 'a number in (0, 1)')),
    ...optional('beta2', number(c, 'beta2', a.beta2, fraction, 'a number in (0, 1)')),
    ...optional('epsilon', number(c, 'epsilon', a.epsilon, (n) => n > 0, 'a positive number')),
    ...optional('shuffleSeed', number(c, 'shuffle-seed', a['shuffle-seed'], (n) => nonNegativeInt(n) && n < 2 ** 32, 'an integer in [0, 2^32 - 1]')),
    ...optional('validationSplit', number(c, 'validation-split', a['validation-split'], fraction, 'a number in (0, 1)')),
  };
  const decay = oneOf(c, 'decay', a.decay, ['inverse', 'step'] as const);
  const decayRate = number(c, 'decay-rate', a['decay-rate'], (n) => n >= 0, 'a number >= 0');
  const decayInterval = number(c, 'decay-interval', a['decay-interval'], positiveInt, 'a positive integer');
  if (decay === undefined && (decayRate !== undefined || decayInterval !== undefined)) {
    throw new UsageError('deepnet train: --decay-rate and --decay-interval need --decay inverse|step');
  }
  if (decay) optimization.learningRateDecay = { schedule: decay, rate: decayRate ?? 1, ...optional('interval', decayInterval) };
  const patience = number(c, 'early-stopping', a['early-stopping'], positiveInt, 'a positive integer (the patience in epochs)');
  if (patience !== undefined) optimization.earlyStopping = { patience };
  const learningRate = number(c, 'learning-rate', a['learning-rate'], (n) => n > 0, 'a positive number') ?? 0.0075;
  const l2 = number(c, 'l2', a.l2, (n) => n >= 0, 'a number >= 0') ?? 0;
  const keepProb = number(c, 'keep-prob', a['keep-prob'], (n) => n > 0 && n <= 1, 'a number in (0, 1]') ?? 1;
  const logEvery = number(c, 'log-every', a['log-every'], positiveInt, 'a positive integer') ?? 100;
  const checkpointEvery = number(c, 'checkpoint-every', a['checkpoint-every'], positiveInt, 'a positive integer');
  const init = oneOf(c, 'init', a.init, INITS) ?? 'he';
  const dtype: DType = oneOf(c, 'dtype', a.dtype, ['float64', 'float32'] as const) ?? 'float64';
  const out = a.out as string | undefined;
  if (checkpointEvery !== undefined && out === undefined) throw new UsageError('deepnet train: --checkpoint-every needs --out FILE');
  checkFigurePath(c, 'plot', a.plot as string | undefined);
  checkFigurePath(c, 'boundary', a.boundary as string | undefined);
  if (a.hidden !== undefined && a.layers !== undefined) throw new UsageError('deepnet train: give --hidden or --layers, not both');

  const output: Output = oneOf(c, 'output', a.output, OUTPUTS) ?? 'sigmoid';
  const activation = a.activation === undefined ? undefined
    : String(a.activation).split(',').map((name) => oneOf<HiddenActivation>(c, 'activation', name.trim(), HIDDEN_ACTIVATIONS) as HiddenActivation);
  const data: Data = a.data !== undefined
    ? readDataFile(c, a.data as string, output === 'softmax' ? 'classes' : output === 'linear' ? 'values' : 'binary')
    : generate(oneOf(c, 'dataset', a.dataset, GENERATED)!,
      number(c, 'samples', a.samples, (n) => positiveInt(n) && n >= 2, 'an integer >= 2'),
      number(c, 'noise', a.noise, (n) => n >= 0, 'a number >= 0'), seed);
  const nx = data.train.X.shape[0];
  // Output units: one per class for softmax (the labels' classes), else one per row of Y.
  const K = output === 'softmax' ? (data.numClasses ?? Math.max(2, ...Array.from(data.train.Y.data)) + 1) : data.train.Y.shape[0];
  if (output === 'softmax' && K < 2) throw new UsageError('deepnet train: --output softmax needs at least 2 classes in the labels');
  const layers = intList(c, 'layers', a.layers) ?? [nx, ...(intList(c, 'hidden', a.hidden) ?? [20, 7, 5]), K];
  if (layers[0] !== nx) throw new UsageError(`deepnet train: --layers must start with the number of features, ${nx}; received ${layers[0]}`);
  if (layers[layers.length - 1] !== K) {
    throw new UsageError(`deepnet train: --layers must end with ${K} (${output === 'softmax' ? `one unit per class: the labels hold ${K} classes` : 'one output unit per label row'}); ` +
      `received ${layers[layers.length - 1]}`);
  }
  if (activation && activation.length !== 1 && activation.length !== layers.length - 2) {
    throw new UsageError(`deepnet train: --activation must give one activation or one per hidden layer (${layers.length - 2}); received ${activation.length}`);
  }
  const convert = (s: typeof data.train) => (dtype === 'float64' ? s : {
    X: { shape: s.X.shape, data: Float32Array.from(s.X.data) }, Y: { shape: s.Y.shape, data: Float32Array.from(s.Y.data) },
  });
  const trainSet = convert(data.train);
  const testSet = data.test && convert(data.test);

  const model = new Model({ layers, init, seed, dtype, l2, keepProb, output,
    ...(activation ? { activation: activation.length === 1 ? activation[0] : activation } : {}) });
  const json = Boolean(a.json) || !process.stdout.isTTY;
  if (!json) process.stderr.write(`training ${model.summary().split('\n').pop()}\non ${data.name}: m = ${trainSet.X.shape[1]}\n`);
  const progress = progressSink(iterations, json, optimization.batchSize === undefined ? 'it' : 'ep');
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let history;
  let interrupted = false;
  try {
    history = await model.fit(trainSet.X, trainSet.Y, {
      ...optimization, learningRate, epochs: iterations, logEvery, signal: controller.signal,
      onProgress: ({ epoch, cost, validationCost, validationAccuracy }) => progress.update(epoch, cost, validationCost, validationAccuracy),
      ...(checkpointEvery !== undefined && out ? { checkpoint: { path: out, every: checkpointEvery } } : {}),
    });
  } catch (err) {
    if (!(err instanceof AbortError)) throw err;
    history = err.history;
    interrupted = true;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const trainEval = model.evaluate(trainSet.X, trainSet.Y);
  const testEval = testSet ? model.evaluate(testSet.X, testSet.Y) : undefined;
  if (out) model.save(out);
  if (a.plot) {
    // One point per logged iteration, as the notes record the cost every 100 iterations.
    const logged = Array.from(history.costs).filter((_, i) => i % logEvery === 0);
    writeFigure(a.plot as string, await plotCostCurve(logged, { learningRate, every: logEvery }));
  }
  if (a.boundary) {
    if (nx !== 2 || output === 'linear') throw new UsageError(`deepnet train: --boundary needs 2-D data and a classifier; this data has ${nx} features`);
    writeFigure(a.boundary as string, await plotDecisionBoundary((G) => model.predict(G), trainSet.X, trainSet.Y));
  }
  const summary = {
    iterations: history.iterations, interrupted, cost: history.costs[history.costs.length - 1],
    ...(history.stoppedEarly ? { stoppedEarly: true, bestEpoch: history.bestEpoch } : {}),
    ...(history.validationCosts ? { validationCost: history.validationCosts[history.validationCosts.length - 1] } : {}),
    ...(output === 'linear'
      ? { trainR2: trainEval.r2, trainMeanSquaredError: trainEval.meanSquaredError, ...(testEval ? { testR2: testEval.r2 } : {}) }
      : { trainAccuracy: trainEval.accuracy, ...(testEval ? { testAccuracy: testEval.accuracy } : {}) }),
    ...(out ? { model: out } : {}), ...(a.plot ? { plot: a.plot } : {}), ...(a.boundary ? { boundary: a.boundary } : {}),
  };
  progress.done(summary);
  if (!json) {
    process.stdout.write(`${interrupted ? `interrupted after ${history.iterations} epochs; ` : ''}` +
      `${history.stoppedEarly ? `stopped early after ${history.epochs} epochs (best epoch ${history.bestEpoch}); ` : ''}` +
      (output === 'linear'
        ? `train R^2 ${(trainEval.r2 ?? NaN).toFixed(4)}${testEval ? `, test R^2 ${(testEval.r2 ?? NaN).toFixed(4)}` : ''}`
        : `train accuracy ${trainEval.accuracy.toFixed(4)}${testEval ? `, test accuracy ${testEval.accuracy.toFixed(4)}` : ''}`) +
      `, final cost ${Number(summary.cost ?? NaN).toFixed(6)}\n`);
    for (const [what, file] of [['model', out], ['cost curve', a.plot], ['decision boundary', a.boundary]]) {
      if (file) process.stdout.write(`${what} saved to ${file}\n`);
    }
  }
  return interrupted ? 1 : 0;
}
