// deepnet predict / deepnet evaluate: a saved model on a data file.
import * as fs from 'fs';
import { Evaluation, Model } from '../model';
import { Matrix } from '../matrix';
import { readDataFile } from './data';
import { parse, required } from './usage';

export const PREDICT_HELP = `Usage: deepnet predict --model FILE --data FILE [--proba] [--out FILE]

Prints one prediction per example, one per line (or writes them to --out):
0/1 for a sigmoid output (1 where its probability is > 0.5; with --proba the
probability), the class for a softmax output (with --proba the K
probabilities, comma-separated), the value(s) for a linear output.

  --model FILE     a model saved by deepnet train --out (safetensors)
  --data FILE      a CSV file, a .mat file or a directory with the cat .h5 files
                   (the training split is used; labels are not needed by predict
                   but the loaders expect a label column)
  --proba          probabilities instead of 0/1
  --out FILE       write the predictions there instead of stdout
  --json           one JSON object { predictions } on stdout
  --verbose        stack traces on errors
  -h, --help       this help`;

export const EVALUATE_HELP = `Usage: deepnet evaluate --model FILE --data FILE

Prints the model's cost (its output's cost, plus its L2 term) and accuracy (the
mean squared error and R^2 for a linear output) on the data (and on its test
split when the data has one).

  --model FILE     a model saved by deepnet train --out (safetensors)
  --data FILE      a CSV file, a .mat file or a directory with the cat .h5 files
  --json           one JSON object on stdout
  --verbose        stack traces on errors
  -h, --help       this help`;

/** What a data file's label column holds for this model's output. */
function labelsOf(model: Model): 'binary' | 'classes' | 'values' {
  return model.output === 'softmax' ? 'classes' : model.output === 'linear' ? 'values' : 'binary';
}

function asModelDType(model: Model, m: Matrix): Matrix {
  return model.dtype === 'float32' ? { shape: m.shape, data: Float32Array.from(m.data) } : m;
}

export function predict(argv: string[]): number {
  const c = 'predict';
  const a = parse(c, argv, { model: { type: 'string' }, data: { type: 'string' }, proba: { type: 'boolean' }, out: { type: 'string' } });
  if (a.help) {
    process.stdout.write(`${PREDICT_HELP}\n`);
    return 0;
  }
  const model = Model.load(required(c, 'model', a.model));
  const data = readDataFile(c, required(c, 'data', a.data), labelsOf(model));
  const X = asModelDType(model, data.train.X);
  const P = a.proba ? model.predictProba(X) : model.predict(X);
  const [K, m] = P.shape;
  // One entry per example: a number, or the K numbers of a multi-unit output.
  const perExample = Array.from({ length: m }, (_, j) => (K === 1 ? P.data[j] : Array.from({ length: K }, (_, k) => P.data[k * m + j])));
  const text = a.json ? `${JSON.stringify({ predictions: perExample })}\n`
    : `${perExample.map((v) => (Array.isArray(v) ? v.join(',') : String(v))).join('\n')}\n`;
  if (a.out) fs.writeFileSync(a.out as string, text);
  else process.stdout.write(text);
  return 0;
}

export function evaluate(argv: string[]): number {
  const c = 'evaluate';
  const a = parse(c, argv, { model: { type: 'string' }, data: { type: 'string' } });
  if (a.help) {
    process.stdout.write(`${EVALUATE_HELP}\n`);
    return 0;
  }
  const model = Model.load(required(c, 'model', a.model));
  const data = readDataFile(c, required(c, 'data', a.data), labelsOf(model));
  const result: Record<string, Evaluation> = {};
  for (const [name, split] of Object.entries({ train: data.train, test: data.test })) {
    if (split) result[name] = model.evaluate(asModelDType(model, split.X), asModelDType(model, split.Y));
  }
  if (a.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    for (const [name, r] of Object.entries(result)) {
      const score = model.output === 'linear' ? `mean squared error ${(r.meanSquaredError ?? NaN).toPrecision(6)}, R^2 ${(r.r2 ?? NaN).toFixed(4)}`
        : `accuracy ${r.accuracy.toFixed(4)}`;
      process.stdout.write(`${name}: cost ${r.cost.toFixed(6)}, ${score} (m = ${name === 'train' ? data.train.X.shape[1] : data.test?.X.shape[1]})\n`);
    }
  }
  return 0;
}
