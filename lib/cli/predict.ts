// deepnet predict / deepnet evaluate: a saved model on a data file. predict
// takes files without labels (a CSV of the model's features only) as well as
// labeled ones; evaluate names the file (and split) each score is for. The
// model's scaler, when it has one, is applied to the data by the model.
import { Evaluation, Model } from '../model';
import { Matrix } from '../matrix';
import { CSV_FLAGS, CSV_HELP, csvReading, readDataFile, readFeatures } from './data';
import { checkOutputs, writeOutput } from './output';
import { parse, required } from './usage';

export const PREDICT_HELP = `Usage: deepnet predict --model FILE --data FILE [--proba] [--out FILE]

Prints one prediction per example, one per line (or writes them to --out):
0/1 for a sigmoid output (1 where its probability is > 0.5; with --proba the
probability), the class for a softmax output (with --proba the K
probabilities, comma-separated), the value(s) for a linear output.

  --model FILE            a model saved by deepnet train --out (safetensors)
  --data FILE             a CSV file of the model's features, with or without a label column
                          (a label column is left out: the one --label-column names, else the
                          one named label, y or target, else the last); a .mat file or a
                          directory with the cat .h5 files (their training examples)
${CSV_HELP}
  --proba                 probabilities instead of 0/1
  --out FILE              write the predictions there instead of stdout (atomically)
  --json                  one JSON object { predictions } on stdout
  --verbose               stack traces on errors
  -h, --help              this help`;

export const EVALUATE_HELP = `Usage: deepnet evaluate --model FILE --data FILE

Prints the model's cost (its output's cost, plus its L2 term) and accuracy (the
mean squared error and R^2 for a linear output) on the data file (on each of
its train and test splits for a .mat file or a cat directory), naming it.

  --model FILE            a model saved by deepnet train --out (safetensors)
  --data FILE             a labeled CSV file, a .mat file or a directory with the cat .h5 files
${CSV_HELP}
  --json                  one JSON object { evaluations: [...] } on stdout
  --verbose               stack traces on errors
  -h, --help              this help`;

/** What a data file's label column holds for this model's output. */
function labelsOf(model: Model): 'binary' | 'classes' | 'values' {
  return model.output === 'softmax' ? 'classes' : model.output === 'linear' ? 'values' : 'binary';
}

function asModelDType(model: Model, m: Matrix): Matrix {
  return model.dtype === 'float32' ? { shape: m.shape, data: Float32Array.from(m.data) } : m;
}

/** Runs deepnet predict; returns the exit code. */
export function predict(argv: string[]): number {
  const c = 'predict';
  const a = parse(c, argv, { ...CSV_FLAGS, model: { type: 'string' }, data: { type: 'string' }, proba: { type: 'boolean' }, out: { type: 'string' } });
  if (a.help) {
    process.stdout.write(`${PREDICT_HELP}\n`);
    return 0;
  }
  const modelFile = required(c, 'model', a.model);
  const dataFile = required(c, 'data', a.data);
  if (a.out !== undefined) {
    checkOutputs(c, [{ flag: 'out', file: String(a.out), kind: 'text' }], [{ flag: 'model', file: modelFile }, { flag: 'data', file: dataFile }]);
  }
  const model = Model.load(modelFile);
  const X = asModelDType(model, readFeatures(c, 'data', dataFile, model.layers[0], csvReading(c, a)).X);
  const P = a.proba ? model.predictProba(X) : model.predict(X);
  const [K, m] = P.shape;
  // One entry per example: a number, or the K numbers of a multi-unit output.
  const perExample = Array.from({ length: m }, (_, j) => (K === 1 ? P.data[j] : Array.from({ length: K }, (_, k) => P.data[k * m + j])));
  const text = a.json ? `${JSON.stringify({ predictions: perExample })}\n`
    : `${perExample.map((v) => (Array.isArray(v) ? v.join(',') : String(v))).join('\n')}\n`;
  if (a.out !== undefined) writeOutput(c, 'out', String(a.out), text);
  else process.stdout.write(text);
  return 0;
}

/** Runs deepnet evaluate; returns the exit code. */
export function evaluate(argv: string[]): number {
  const c = 'evaluate';
  const a = parse(c, argv, { ...CSV_FLAGS, model: { type: 'string' }, data: { type: 'string' } });
  if (a.help) {
    process.stdout.write(`${EVALUATE_HELP}\n`);
    return 0;
  }
  const model = Model.load(required(c, 'model', a.model));
  const file = required(c, 'data', a.data);
  const data = readDataFile(c, 'data', file, labelsOf(model), csvReading(c, a), model.layers[0]);
  // A CSV file is one set; a .mat file and a cat directory hold a train and a test split.
  const sets = data.test ? [['train', data.train], ['test', data.test]] as const : [[undefined, data.train]] as const;
  const evaluations: (Evaluation & { data: string; split?: string; m: number })[] = sets.map(([split, s]) => ({
    data: file, ...(split ? { split } : {}), m: s.X.shape[1], ...model.evaluate(asModelDType(model, s.X), asModelDType(model, s.Y)),
  }));
  if (a.json) {
    process.stdout.write(`${JSON.stringify({ evaluations })}\n`);
  } else {
    for (const e of evaluations) {
      const score = model.output === 'linear' ? `mean squared error ${(e.meanSquaredError ?? NaN).toPrecision(6)}, R^2 ${(e.r2 ?? NaN).toFixed(4)}`
        : `accuracy ${e.accuracy.toFixed(4)}`;
      process.stdout.write(`${e.data}${e.split ? ` (${e.split} split)` : ''}: cost ${e.cost.toFixed(6)}, ${score} (m = ${e.m})\n`);
    }
  }
  return 0;
}
