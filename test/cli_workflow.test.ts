// A new user's path with the command line: a CSV of row examples to a
// trained, saved, standardized model, its test-set report and predictions on
// a file without labels; and CSV files in other shapes (another delimiter, no
// header, the label first).
import * as fs from 'fs';
import * as path from 'path';
import { loadCsv, Model, standardScaler, trainTestSplit } from '../lib';
import { cliSandbox } from './helpers/cli';
import { DATASETS } from './helpers/golden';

const sandbox = cliSandbox('deepnet-cli-workflow-');
const { deepnet } = sandbox;

/** Rows of X (features, m) and Y (1, m) as CSV lines, the label last (or none). */
function csvLines(X: { shape: [number, number]; data: ArrayLike<number> }, Y?: { data: ArrayLike<number> }, sep = ','): string[] {
  const [n, m] = X.shape;
  return Array.from({ length: m }, (_, j) => {
    const row = Array.from({ length: n }, (_, i) => String(X.data[i * m + j]));
    return (Y ? [...row, String(Y.data[j])] : row).join(sep);
  });
}

describe('breast cancer: train, evaluate, predict', () => {
  const cancer = loadCsv(path.join(DATASETS, 'breast_cancer.csv'));
  const { train, test: held } = trainTestSplit(cancer.X, cancer.Y, { testSize: 0.25, stratify: true, seed: 0 });
  const header = [...cancer.featureNames, cancer.labelName].join(',');

  test('a standardized model with a test-set report, then predictions on unlabeled rows', () => {
    const trainCsv = sandbox.file('train.csv', [header, ...csvLines(train.X, train.Y)].join('\n'));
    const testCsv = sandbox.file('test.csv', [header, ...csvLines(held.X, held.Y)].join('\n'));
    const newCsv = sandbox.file('new.csv', [cancer.featureNames.join(','), ...csvLines(held.X)].join('\n'));
    const r = deepnet('train', '--data', trainCsv, '--test', testCsv, '--scaler', 'standard', '--hidden', '16',
      '--optimizer', 'adam', '--learning-rate', '0.001', '--batch-size', '32', '--epochs', '60', '--validation-split', '0.2',
      '--out', 'cancer.safetensors', '--report', 'report');
    expect(r.code).toBe(0);
    const done = JSON.parse(r.out.trim().split('\n').pop()!);
    expect(done.testAccuracy).toBeGreaterThan(0.95);
    expect(done.report).toBe(path.join('report', 'index.html'));

    // The model file holds the scaler, fitted on the examples trained on (not the validation split's).
    const model = Model.load(path.join(sandbox.dir, 'cancer.safetensors'));
    const fitted = Math.floor(train.X.shape[1] * 0.8);
    const firstRows = loadCsv(trainCsv, { layout: 'rows' }).X;
    const expected = standardScaler().fit({ shape: [fitted, 30], data: firstRows.data.subarray(0, fitted * 30) }, { layout: 'rows' });
    expect(model.scaler?.toJSON()).toEqual(expected.toJSON());
    expect(model.init).toBe('deep');   // one default for the CLI and the API

    // evaluate names the file and gives train's test score.
    const e = deepnet('evaluate', '--model', 'cancer.safetensors', '--data', testCsv);
    expect(e.out).toBe(`${testCsv}: cost ${model.evaluate(held.X, held.Y).cost.toFixed(6)}, accuracy ${done.testAccuracy.toFixed(4)} (m = ${held.X.shape[1]})\n`);

    // predict on a file without labels; on the labeled file the label column is left out: the same output.
    const p = deepnet('predict', '--model', 'cancer.safetensors', '--data', newCsv);
    expect(p.code).toBe(0);
    const predicted = p.out.trim().split('\n').map(Number);
    expect(predicted).toEqual(Array.from(model.predict(held.X).data));
    expect(deepnet('predict', '--model', 'cancer.safetensors', '--data', testCsv).out).toBe(p.out);
    const proba = JSON.parse(deepnet('predict', '--model', 'cancer.safetensors', '--data', newCsv, '--proba', '--json').out).predictions;
    expect(proba).toEqual(Array.from(model.predictProba(held.X).data));

    const html = fs.readFileSync(path.join(sandbox.dir, 'report', 'index.html'), 'utf8');
    expect(html).toContain(`<tr><td>test</td><td>${held.X.shape[1]}</td><td>${testCsv}</td>`);
    expect(html).toContain('id="confusion"');
    expect(html).not.toContain('id="boundary"');   // 30-D data
  });

  test('predict and evaluate refuse files that do not fit the model, naming the counts', () => {
    const narrow = sandbox.file('narrow.csv', 'a,b,c\n1,2,3\n');
    const r = deepnet('predict', '--model', 'cancer.safetensors', '--data', narrow);
    expect([r.code, r.err.trim()]).toEqual([2, `deepnet predict: --data ${narrow} has 3 columns; the model takes 30 features: ` +
      'expected 30 columns, or 31 with a label column']);
    const unlabeled = path.join(sandbox.dir, 'new.csv');
    expect(deepnet('evaluate', '--model', 'cancer.safetensors', '--data', unlabeled).err.trim()).toBe(`deepnet evaluate: --data ${unlabeled} ` +
      'has 30 columns; the model takes 30 features, so a labeled file needs 31 (the features and a label column)');
  });
});

describe('CSV flags: --delimiter, --no-header, --label-column', () => {
  // Two blobs, the label in the first column, semicolons, no header.
  const rows = Array.from({ length: 60 }, (_, j) => {
    const label = j % 2;
    return [label, (label ? 1 : -1) + ((j * 7) % 10) / 20, (label ? 1 : -1) + ((j * 3) % 10) / 20].join(';');
  });

  test('a semicolon file without a header, labels first: trains, and predicts with the same flags', () => {
    const file = sandbox.file('blobs.csv', rows.join('\n'));
    const flags = ['--delimiter', ';', '--no-header', '--label-column', '0'];
    const r = deepnet('train', '--data', file, ...flags, '--layers', '2,4,1', '--learning-rate', '0.5', '--iterations', '300',
      '--out', 'blobs.safetensors');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.trim().split('\n').pop()!).trainAccuracy).toBe(1);
    const p = deepnet('predict', '--model', 'blobs.safetensors', '--data', file, ...flags);
    expect(p.out.trim().split('\n')).toEqual(rows.map((row) => row.split(';')[0]));
    // The same file read as the default would: 3 columns, the last taken as the label, 2 features: not 0/1.
    expect(deepnet('train', '--data', file, '--delimiter', ';', '--no-header').err).toMatch(/must be 0 or 1/);
  });

  test('a tab-separated file with a header, the label column by name', () => {
    const file = sandbox.file('blobs.tsv.csv', ['y\tx1\tx2', ...rows.map((row) => row.replace(/;/g, '\t'))].join('\n'));
    const r = deepnet('train', '--data', file, '--delimiter', 'tab', '--label-column', 'y', '--layers', '2,4,1',
      '--learning-rate', '0.5', '--iterations', '300');
    expect(JSON.parse(r.out.trim().split('\n').pop()!).trainAccuracy).toBe(1);
  });

  test('bad flags: a missing column (the columns listed), a delimiter of two characters, CSV flags on other data', () => {
    const file = path.join(sandbox.dir, 'blobs.csv');
    expect(deepnet('train', '--data', file, '--delimiter', ';', '--no-header', '--label-column', 'label').err.trim())
      .toBe(`deepnet train: --label-column label: --data ${file} has no such column (its 3 columns: col0, col1, col2)`);
    expect(deepnet('train', '--data', file, '--delimiter', ';;').err.trim())
      .toBe("deepnet train: --delimiter must be one ASCII character (or tab), not a quote; received ';;'");
    expect(deepnet('train', '--data', path.join(DATASETS, 'data.mat'), '--no-header').err.trim())
      .toBe(`deepnet train: --no-header applies to CSV files; --data ${path.join(DATASETS, 'data.mat')} is a .mat file`);
  });
});
