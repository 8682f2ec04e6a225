// deepnet train's flags, and everything that can be wrong with them, checked
// before training starts: values, output paths (see output.ts), the optional
// plotting packages the outputs need, the data (read here), the layers
// against the data, and figures against the data's shape. A run that starts
// can only end in training's own outcome, never in a usage error.
import { HIDDEN_ACTIVATIONS, HiddenActivation, Output as OutputName, OUTPUTS } from '../architecture';
import { Split } from '../datasets/cat';
import { CsvLabels } from '../datasets/csv';
import { DType } from '../matrix';
import { FitOptions, InitName, ModelOptions, OptimizerName } from '../model';
import { CSV_FLAGS, CSV_HELP, csvReading, Data, generate, GENERATED, MAX_SAMPLES, readDataFile } from './data';
import { checkOutputs, checkPlotting, checkReportDir, Output } from './output';
import { Flags, intList, nonNegativeInt, number, oneOf, positiveInt, UsageError } from './usage';

export const TRAIN_HELP = `Usage: deepnet train (--data FILE | --dataset NAME) [options]

Trains a fully-connected network ([LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID by
default; other activations and softmax or linear outputs by flag): full-batch
gradient descent by default, or mini-batches with momentum, RMSprop or Adam.
Every flag, output path and the data are checked before training starts.

Data (one of):
  --data FILE             a CSV file (one example per row; a label column named label, y or
                          target, else the last column: 0/1, class labels 0..K-1 with
                          --output softmax, real values with --output linear), a .mat file
                          with X, y, Xval, yval (the course's data.mat), or a directory
                          with the cat .h5 files
  --dataset NAME          a generated dataset: ${GENERATED.join(', ')} (test set: seed + 1)
  --samples N             examples to generate (default: the course's size; at most ${MAX_SAMPLES})
  --noise X               noise of circles/moons
  --test FILE             a test set (a CSV file read as --data): evaluated after training
${CSV_HELP}

Model:
  --hidden LIST           hidden layer sizes (default 20,7,5: the notes' model)
  --layers LIST           all layer sizes instead, e.g. 2,20,3,1 (first = features, last =
                          output units: 1, the number of classes for softmax)
  --output NAME           sigmoid (default: 0/1 labels), softmax (classes), linear (regression)
  --activation NAME       hidden layers' activation: relu (default), tanh, sigmoid, leakyRelu;
                          or one per hidden layer, e.g. tanh,relu
  --init NAME             deep (default: the notes' and the API's), he, xavier, random, zeros
  --scaler NAME           standardize the features: standard (zero mean, unit variance) or
                          minmax (to [0, 1]), fitted on the training examples; saved with the
                          model and applied by predict and evaluate
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

Output (each path is checked before training; existing files keep their mode):
  --out FILE              save the trained model (safetensors; replaces only a deepnet model)
  --checkpoint-every N    also save it to --out every N epochs
  --report DIR            DIR/index.html: one self-contained page with the cost curves,
                          the scores, a confusion matrix and, for 2-D data, the decision
                          boundary with the training and test points
  --plot FILE             the cost curve (.svg or .png)
  --boundary FILE         the decision boundary over the data (2-D data, a classifier; .svg or .png)
  --log-every N           progress every N epochs (default 100)
  --json                  JSON lines on stdout (the default when stdout is not a terminal)
  --verbose               stack traces on errors
  -h, --help              this help

Ctrl-C (SIGINT) or SIGTERM stops at the next step and still saves the model, the
figures and the report; the exit code is then 130 or 143. A second signal exits
at once (the previous --out file stays intact).

Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 130/143 stopped by a signal.`;

/** Every flag of deepnet train. */
export const TRAIN_FLAGS: Flags = {
  ...CSV_FLAGS,
  data: { type: 'string' }, dataset: { type: 'string' }, samples: { type: 'string' }, noise: { type: 'string' }, test: { type: 'string' },
  hidden: { type: 'string' }, layers: { type: 'string' }, init: { type: 'string' }, 'learning-rate': { type: 'string' },
  iterations: { type: 'string' }, l2: { type: 'string' }, 'keep-prob': { type: 'string' }, seed: { type: 'string' },
  dtype: { type: 'string' }, out: { type: 'string' }, 'checkpoint-every': { type: 'string' }, plot: { type: 'string' },
  boundary: { type: 'string' }, 'log-every': { type: 'string' }, epochs: { type: 'string' }, optimizer: { type: 'string' },
  'batch-size': { type: 'string' }, beta: { type: 'string' }, beta1: { type: 'string' }, beta2: { type: 'string' },
  epsilon: { type: 'string' }, 'shuffle-seed': { type: 'string' }, decay: { type: 'string' }, 'decay-rate': { type: 'string' },
  'decay-interval': { type: 'string' }, 'validation-split': { type: 'string' }, 'early-stopping': { type: 'string' },
  output: { type: 'string' }, activation: { type: 'string' }, scaler: { type: 'string' }, report: { type: 'string' },
};

const INITS: readonly InitName[] = ['deep', 'he', 'xavier', 'random', 'zeros'];

/** A checked run of deepnet train: the data (in the model's dtype), the model, the fit and the outputs. */
export interface TrainPlan {
  data: Data;
  /** The test set: the data's own (.mat, cat, generated) or --test FILE's. */
  test?: Split;
  /** Where the test set came from. */
  testName?: string;
  model: ModelOptions & { layers: number[]; output: OutputName };
  /** The fit's options, but the progress callback and the abort signal. */
  fit: FitOptions & { learningRate: number; epochs: number; logEvery: number };
  out?: string;
  plot?: string;
  boundary?: string;
  report?: string;
  /** JSON lines instead of a bar. */
  json: boolean;
  /** What an epoch is: a full-batch iteration ('it') or an epoch of mini-batches ('ep'). */
  unit: 'it' | 'ep';
}

/** { [key]: value } when value is defined, else {} (spread into options objects). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The optimization flags as fit options. */
function optimization(c: string, a: Record<string, string | boolean | undefined>): FitOptions & { learningRate: number; epochs: number; logEvery: number } {
  const fraction = (n: number) => n > 0 && n < 1;
  if (a.iterations !== undefined && a.epochs !== undefined) throw new UsageError('deepnet train: give --epochs or --iterations, not both');
  const fit: FitOptions & { learningRate: number; epochs: number; logEvery: number } = {
    learningRate: number(c, 'learning-rate', a['learning-rate'], (n) => n > 0, 'a positive number') ?? 0.0075,
    epochs: number(c, 'epochs', a.epochs, nonNegativeInt, 'a non-negative integer') ??
      number(c, 'iterations', a.iterations, nonNegativeInt, 'a non-negative integer') ?? 3000,
    logEvery: number(c, 'log-every', a['log-every'], positiveInt, 'a positive integer') ?? 100,
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
  if (decay) fit.learningRateDecay = { schedule: decay, rate: decayRate ?? 1, ...optional('interval', decayInterval) };
  const patience = number(c, 'early-stopping', a['early-stopping'], positiveInt, 'a positive integer (the patience in epochs)');
  if (patience !== undefined) fit.earlyStopping = { patience };
  const scaler = oneOf(c, 'scaler', a.scaler, ['standard', 'minmax'] as const);
  if (scaler) fit.scaler = scaler;
  return fit;
}

/** The output paths, checked (see output.ts), and the plotting packages they need, loaded. */
function outputs(c: string, a: Record<string, string | boolean | undefined>, checkpointEvery: number | undefined): void {
  const files: Output[] = [];
  if (a.out !== undefined) files.push({ flag: 'out', file: String(a.out), kind: 'model' });
  if (a.plot !== undefined) files.push({ flag: 'plot', file: String(a.plot), kind: 'figure' });
  if (a.boundary !== undefined) files.push({ flag: 'boundary', file: String(a.boundary), kind: 'figure' });
  if (checkpointEvery !== undefined && a.out === undefined) throw new UsageError('deepnet train: --checkpoint-every needs --out FILE');
  const inputs = (['data', 'test'] as const).filter((f) => typeof a[f] === 'string').map((flag) => ({ flag, file: String(a[flag]) }));
  checkOutputs(c, files, inputs);
  if (a.report !== undefined) checkReportDir(c, 'report', String(a.report), inputs);
  const figures = files.filter((f) => f.kind === 'figure');
  if (figures.length > 0 || a.report !== undefined) checkPlotting(c, figures.some((f) => /\.png$/i.test(f.file)));
}

/** Output units: one per class for softmax (the labels' classes), else one per row of Y. */
function outputUnits(output: OutputName, data: Data): number {
  if (output !== 'softmax') return data.train.Y.shape[0];
  const K = data.numClasses ?? Math.max(2, ...Array.from(data.train.Y.data)) + 1;
  if (K < 2) throw new UsageError('deepnet train: --output softmax needs at least 2 classes in the labels');
  return K;
}

/** The layers from --layers or --hidden, checked against the data's features and classes. */
function layersFor(c: string, a: Record<string, string | boolean | undefined>, output: OutputName, nx: number, K: number): number[] {
  if (a.hidden !== undefined && a.layers !== undefined) throw new UsageError('deepnet train: give --hidden or --layers, not both');
  const layers = intList(c, 'layers', a.layers) ?? [nx, ...(intList(c, 'hidden', a.hidden) ?? [20, 7, 5]), K];
  if (layers[0] !== nx) throw new UsageError(`deepnet train: --layers must start with the number of features, ${nx}; received ${layers[0]}`);
  if (layers[layers.length - 1] !== K) {
    throw new UsageError(`deepnet train: --layers must end with ${K} (${output === 'softmax' ? `one unit per class: the labels hold ${K} classes` : 'one output unit per label row'}); ` +
      `received ${layers[layers.length - 1]}`);
  }
  return layers;
}

/** The test set of --test FILE, checked against the training data: the same features, no class the model lacks. */
function testFile(c: string, file: string, labels: CsvLabels, data: Data, a: Record<string, string | boolean | undefined>, K: number): Split {
  if (data.test) throw new UsageError(`deepnet train: --test ${file}: the data of ${a.data !== undefined ? `--data ${a.data}` : `--dataset ${a.dataset}`} has a test set of its own`);
  const test = readDataFile(c, 'test', file, labels, csvReading(c, a), data.train.X.shape[0]).train;
  if (labels === 'classes') {
    const top = Math.max(...Array.from(test.Y.data));
    if (top >= K) throw new UsageError(`deepnet train: --test ${file} holds class ${top} but the training labels' classes are 0..${K - 1}`);
  }
  return test;
}

/** `s` in the model's dtype. */
function inDType(s: Split, dtype: DType): Split {
  return dtype === 'float64' ? s : {
    X: { shape: s.X.shape, data: Float32Array.from(s.X.data) }, Y: { shape: s.Y.shape, data: Float32Array.from(s.Y.data) },
  } as unknown as Split;
}

/** Checks every flag, reads the data and checks it against the model; throws UsageError before any training. */
export function planTraining(a: Record<string, string | boolean | undefined>, stdoutIsTTY: boolean): TrainPlan {
  const c = 'train';
  if ((a.data === undefined) === (a.dataset === undefined)) throw new UsageError('deepnet train: give --data FILE or --dataset NAME (one of them)');
  if (a.dataset !== undefined && (a.test !== undefined || Object.keys(CSV_FLAGS).some((f) => a[f] !== undefined))) {
    throw new UsageError('deepnet train: --test, --delimiter, --label-column and --no-header go with --data FILE, not --dataset');
  }
  const seed = number(c, 'seed', a.seed, (n) => nonNegativeInt(n) && n < 2 ** 32, 'an integer in [0, 2^32 - 1]') ?? 3;
  const fit = optimization(c, a);
  const l2 = number(c, 'l2', a.l2, (n) => n >= 0, 'a number >= 0') ?? 0;
  const keepProb = number(c, 'keep-prob', a['keep-prob'], (n) => n > 0 && n <= 1, 'a number in (0, 1]') ?? 1;
  const checkpointEvery = number(c, 'checkpoint-every', a['checkpoint-every'], positiveInt, 'a positive integer');
  if (checkpointEvery !== undefined && a.out !== undefined) fit.checkpoint = { path: String(a.out), every: checkpointEvery };
  const init = oneOf(c, 'init', a.init, INITS) ?? 'deep';
  const dtype: DType = oneOf(c, 'dtype', a.dtype, ['float64', 'float32'] as const) ?? 'float64';
  const output: OutputName = oneOf(c, 'output', a.output, OUTPUTS) ?? 'sigmoid';
  const activation = a.activation === undefined ? undefined
    : String(a.activation).split(',').map((name) => oneOf<HiddenActivation>(c, 'activation', name.trim(), HIDDEN_ACTIVATIONS) as HiddenActivation);
  const samples = number(c, 'samples', a.samples, (n) => positiveInt(n) && n >= 2 && n <= MAX_SAMPLES, `an integer in [2, ${MAX_SAMPLES}]`);
  const noise = number(c, 'noise', a.noise, (n) => n >= 0, 'a number >= 0');
  const dataset = a.dataset === undefined ? undefined : oneOf(c, 'dataset', a.dataset, GENERATED)!;
  if (dataset === undefined && (samples !== undefined || noise !== undefined)) throw new UsageError('deepnet train: --samples and --noise go with --dataset NAME');
  outputs(c, a, checkpointEvery);

  const labels: CsvLabels = output === 'softmax' ? 'classes' : output === 'linear' ? 'values' : 'binary';
  const data = dataset ? generate(dataset, samples, noise, seed) : readDataFile(c, 'data', String(a.data), labels, csvReading(c, a));
  const nx = data.train.X.shape[0];
  const K = outputUnits(output, data);
  const layers = layersFor(c, a, output, nx, K);
  if (activation && activation.length !== 1 && activation.length !== layers.length - 2) {
    throw new UsageError(`deepnet train: --activation must give one activation or one per hidden layer (${layers.length - 2}); received ${activation.length}`);
  }
  if (a.boundary !== undefined && (nx !== 2 || output === 'linear')) {
    throw new UsageError(`deepnet train: --boundary needs 2-D data and a classifier; this data has ${nx} feature${nx === 1 ? '' : 's'}` +
      `${output === 'linear' ? ' and the output is linear' : ''}`);
  }
  const test = a.test !== undefined ? testFile(c, String(a.test), labels, data, a, K) : data.test;
  return {
    data: { ...data, train: inDType(data.train, dtype) },
    ...(test ? { test: inDType(test, dtype), testName: a.test !== undefined ? String(a.test) : `${data.name}, test set` } : {}),
    model: { layers, init, seed, dtype, l2, keepProb, output, ...(activation ? { activation: activation.length === 1 ? activation[0] : activation } : {}) },
    fit,
    ...optional('out', a.out === undefined ? undefined : String(a.out)),
    ...optional('plot', a.plot === undefined ? undefined : String(a.plot)),
    ...optional('boundary', a.boundary === undefined ? undefined : String(a.boundary)),
    ...optional('report', a.report === undefined ? undefined : String(a.report)),
    json: Boolean(a.json) || !stdoutIsTTY,
    unit: fit.batchSize === undefined ? 'it' : 'ep',
  };
}
