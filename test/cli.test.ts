// The command line, run as a user runs it: node bin/deepnet.js (built dist/).
import * as fs from 'fs';
import * as path from 'path';
import { Model } from '../lib';
import { cliSandbox } from './helpers/cli';
import { DATASETS } from './helpers/golden';

const sandbox = cliSandbox('deepnet-cli-');
const { deepnet } = sandbox;
const csv = (name: string, text: string) => sandbox.file(name, text);

describe('help and usage errors', () => {
  test('deepnet --help lists the commands; no command is a usage error', () => {
    const help = deepnet('--help');
    expect(help.code).toBe(0);
    for (const c of ['demo', 'train', 'predict', 'evaluate', 'gradcheck', 'info']) expect(help.out).toContain(`  ${c}`);
    expect(deepnet().code).toBe(2);
  });

  test.each(['demo', 'train', 'predict', 'evaluate', 'gradcheck', 'info'])('deepnet %s --help', (command) => {
    const r = deepnet(command, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Usage: deepnet ${command}`));
  });

  test('unknown commands and flags: one line, exit code 2, no stack trace', () => {
    const a = deepnet('trian');
    expect([a.code, a.err.trim()]).toEqual([2, "deepnet: unknown command 'trian'; did you mean train? (commands: demo, train, predict, evaluate, gradcheck, info)"]);
    // Names on Object.prototype are not commands.
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect([deepnet(name).code, deepnet(name).err.trim()])
        .toEqual([2, `deepnet: unknown command '${name}' (commands: demo, train, predict, evaluate, gradcheck, info)`]);
    }
    const b = deepnet('train', '--dataset', 'circles', '--learnig-rate', '0.1');
    expect([b.code, b.err.trim()]).toEqual([2, "deepnet train: unknown option '--learnig-rate'; did you mean --learning-rate? (see deepnet train --help)"]);
    expect(deepnet('predict', '--modle', 'm').err.trim()).toBe("deepnet predict: unknown option '--modle'; did you mean --model? (see deepnet predict --help)");
    expect(deepnet('train', '--frobnicate').err.trim()).toBe("deepnet train: unknown option '--frobnicate' (see deepnet train --help)");
    expect(deepnet('train', '--json=yes').err.trim()).toBe('deepnet train: --json takes no value (see deepnet train --help)');
    const c = deepnet('train', '--dataset', 'circles', '--iterations=-5');
    expect([c.code, c.err.trim()]).toEqual([2, "deepnet train: --iterations must be a non-negative integer; received '-5'"]);
    expect(deepnet('train', '--dataset', 'circles', '--iterations', '-5').err)
      .toMatch(/--iterations got a value that starts with '-': write --iterations=VALUE/);
    expect(deepnet('train', '--dataset').err).toMatch(/deepnet train: --dataset needs a value/);
    expect(deepnet('train', '--dataset', 'squares').err).toMatch(/--dataset must be one of circles, moons, flower, football; received 'squares'/);
    expect(deepnet('train').err).toMatch(/give --data FILE or --dataset NAME/);
  });
});

describe('train with mini-batches and an optimizer', () => {
  test('Adam with the course\'s shuffling, validation and early stopping: JSON progress per epoch', () => {
    const r = deepnet('train', '--dataset', 'moons', '--layers', '2,5,2,1', '--init', 'he', '--optimizer', 'adam',
      '--batch-size', '64', '--epochs', '400', '--learning-rate', '0.01', '--shuffle-seed', '10', '--log-every', '50',
      '--validation-split', '0.2', '--early-stopping', '20', '--decay', 'step', '--decay-rate', '1', '--decay-interval', '100');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    const progress = lines.filter((l) => l.event === 'progress');
    const done = lines[lines.length - 1];
    expect(done.event).toBe('done');
    expect(progress[0]).toMatchObject({ iteration: 0, iterations: 400 });
    expect(progress[0].validationCost).toBeGreaterThan(0);
    expect(progress[0].validationAccuracy).toBeGreaterThan(0);
    expect(done.trainAccuracy).toBeGreaterThan(0.8);
    expect(typeof done.validationCost).toBe('number');
    if (done.stoppedEarly) expect(done.iterations).toBeLessThan(400);
    else expect(done.iterations).toBe(400);
  });

  test('bad optimization flags are usage errors before training', () => {
    expect(deepnet('train', '--dataset', 'moons', '--optimizer', 'sgd').err)
      .toMatch(/--optimizer must be one of gd, momentum, rmsprop, adam; received 'sgd'/);
    expect(deepnet('train', '--dataset', 'moons', '--batch-size', '0').err).toMatch(/--batch-size must be a positive integer; received '0'/);
    expect(deepnet('train', '--dataset', 'moons', '--decay-rate', '2').err).toMatch(/--decay-rate and --decay-interval need --decay/);
    expect(deepnet('train', '--dataset', 'moons', '--epochs', '5', '--iterations', '5').err).toMatch(/give --epochs or --iterations, not both/);
    const r = deepnet('train', '--dataset', 'moons', '--validation-split', '1');
    expect([r.code, r.err.trim()]).toEqual([2, "deepnet train: --validation-split must be a number in (0, 1); received '1'"]);
  });
});

describe('softmax and linear outputs from the command line', () => {
  test('digits: class labels in the CSV, a softmax model, its predictions and evaluation', () => {
    const model = path.join(sandbox.dir, 'digits.safetensors');
    const r = deepnet('train', '--data', path.join(DATASETS, 'digits.csv'), '--output', 'softmax', '--hidden', '32',
      '--activation', 'tanh', '--optimizer', 'adam', '--learning-rate', '0.01', '--batch-size', '32', '--epochs', '20',
      '--scaler', 'standard', '--out', model, '--log-every', '10');
    expect(r.code).toBe(0);
    const done = JSON.parse(r.out.trim().split('\n').pop() as string);
    // Standardized, 20 epochs fit digits (1.0 at every SIMD level); unscaled
    // pixels (0-16) leave tanh near saturation, where rounding-level changes
    // in a product's summation move the 20th epoch's accuracy by 0.02.
    expect(done.trainAccuracy).toBeGreaterThan(0.99);
    const loaded = Model.load(model);
    expect([loaded.layers, loaded.output, loaded.activation]).toEqual([[64, 32, 10], 'softmax', ['tanh']]);
    const p = deepnet('predict', '--model', model, '--data', path.join(DATASETS, 'digits.csv'), '--json');
    const predictions = JSON.parse(p.out).predictions as number[];
    expect(predictions).toHaveLength(1797);
    expect(new Set(predictions).size).toBe(10);
    const proba = JSON.parse(deepnet('predict', '--model', model, '--data', path.join(DATASETS, 'digits.csv'), '--proba', '--json').out).predictions;
    expect(proba[0]).toHaveLength(10);
    expect(proba[0].reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 6);
    const e = JSON.parse(deepnet('evaluate', '--model', model, '--data', path.join(DATASETS, 'digits.csv'), '--json').out);
    expect(e.evaluations).toHaveLength(1);
    expect(e.evaluations[0]).toMatchObject({ data: path.join(DATASETS, 'digits.csv'), m: 1797, accuracy: done.trainAccuracy });
  });

  test('regression: real-valued labels, a linear output, R^2 reported', () => {
    const rows = Array.from({ length: 200 }, (_, i) => {
      const x = i / 100 - 1;
      return `${x},${(2 * x * x - 0.5).toFixed(6)}`;
    });
    const file = csv('quadratic.csv', `x,target\n${rows.join('\n')}\n`);
    const r = deepnet('train', '--data', file, '--output', 'linear', '--layers', '1,16,1', '--activation', 'tanh',
      '--optimizer', 'adam', '--learning-rate', '0.02', '--batch-size', '20', '--epochs', '300', '--log-every', '100');
    expect(r.code).toBe(0);
    const done = JSON.parse(r.out.trim().split('\n').pop() as string);
    expect(done.trainR2).toBeGreaterThan(0.98);
    expect(done.trainAccuracy).toBeUndefined();
    expect(deepnet('train', '--data', file, '--output', 'linear', '--layers', '1,16,3').err).toMatch(/--layers must end with 1 \(one output unit per label row\)/);
    expect(deepnet('train', '--data', file, '--output', 'softmax').err).toMatch(/label "target" must be a class index/);
    expect(deepnet('train', '--dataset', 'moons', '--activation', 'swish').err).toMatch(/--activation must be one of relu, tanh, sigmoid, leakyRelu; received 'swish'/);
  });
});

describe('train, predict, evaluate', () => {
  test('train on a generated dataset: JSON lines, a model file and a PNG cost curve', () => {
    const r = deepnet('train', '--dataset', 'circles', '--hidden', '10,5', '--iterations', '300', '--learning-rate', '0.05',
      '--out', 'model.safetensors', '--plot', 'cost.png', '--boundary', 'boundary.svg');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.event === 'progress').map((l) => l.iteration)).toEqual([0, 100, 200]);
    const done = lines[lines.length - 1];
    expect(done).toMatchObject({ event: 'done', iterations: 300, interrupted: false, model: 'model.safetensors' });
    expect(done.trainAccuracy).toBeGreaterThan(0.5);
    const model = Model.load(path.join(sandbox.dir, 'model.safetensors'));
    expect(model.layers).toEqual([2, 10, 5, 1]);
    expect(model.iterationsTrained).toBe(300);
    expect(fs.readFileSync(path.join(sandbox.dir, 'cost.png')).subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    expect(fs.readFileSync(path.join(sandbox.dir, 'boundary.svg'), 'utf8')).toMatch(/^<svg/);
  });

  test('train on a CSV file, then predict and evaluate with the saved model', () => {
    const rows = ['x1,x2,label'];
    for (let i = 0; i < 40; i++) rows.push(`${(i % 7) / 7},${(i % 5) / 5},${(i % 7) / 7 > 0.5 ? 1 : 0}`);
    const data = csv('data.csv', rows.join('\n'));
    expect(deepnet('train', '--data', data, '--hidden', '4', '--iterations', '2000', '--learning-rate', '0.5', '--out', 'csv.safetensors').code).toBe(0);
    const p = deepnet('predict', '--model', 'csv.safetensors', '--data', data);
    expect(p.code).toBe(0);
    expect(p.out.trim().split('\n')).toHaveLength(40);
    expect(new Set(p.out.trim().split('\n'))).toEqual(new Set(['0', '1']));
    const e = deepnet('evaluate', '--model', 'csv.safetensors', '--data', data, '--json');
    expect(e.code).toBe(0);
    expect(JSON.parse(e.out).evaluations[0].accuracy).toBeGreaterThan(0.8);
    expect(deepnet('evaluate', '--model', 'csv.safetensors', '--data', data).out).toMatch(new RegExp(`^${data}: cost \\d\\.\\d{6}, accuracy \\d\\.\\d{4} \\(m = 40\\)\n$`));
  });

  test('the course\'s data.mat (train and test split)', () => {
    const r = deepnet('train', '--data', path.join(DATASETS, 'data.mat'), '--layers', '2,20,3,1', '--init', 'deep',
      '--learning-rate', '0.3', '--iterations', '1000');
    expect(r.code).toBe(0);
    const done = JSON.parse(r.out.trim().split('\n').pop()!);
    expect(done.testAccuracy).toBeGreaterThan(0.8);
  });

  test('bad data files: one-line errors naming the problem, the right exit codes', () => {
    const missing = deepnet('train', '--data', 'nope.csv');
    expect([missing.code, missing.err.trim()]).toEqual([2, 'deepnet train: --data nope.csv does not exist']);
    const ragged = csv('ragged.csv', 'a,b,label\n1,2,0\n3,1\n');
    const r = deepnet('train', '--data', ragged);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/ragged\.csv: line 3/);
    const text = csv('text.csv', 'a,b,label\n1,x,0\n');
    expect(deepnet('train', '--data', text).err).toMatch(/line 2.*"x"|line 2.*x/);
    const labels = csv('labels.csv', 'a,b,label\n1,2,0\n3,4,2\n');
    expect(deepnet('train', '--data', labels).err).toMatch(/line 3/);
    const verbose = deepnet('train', '--data', ragged, '--verbose');
    expect(verbose.err.split('\n').length).toBeGreaterThan(2);  // a stack trace
    const h5dir = path.join(sandbox.dir, 'bad-h5');
    fs.mkdirSync(h5dir);
    fs.copyFileSync(path.join(DATASETS, 'test_catvnoncat.h5'), path.join(h5dir, 'train_catvnoncat.h5'));
    fs.copyFileSync(path.join(DATASETS, 'test_catvnoncat.h5'), path.join(h5dir, 'test_catvnoncat.h5'));
    const h5 = deepnet('train', '--data', h5dir);
    expect(h5.code).toBe(1);
    expect(h5.err).toMatch(/lacks the dataset\(s\) train_set_x, train_set_y/);
    expect(deepnet('predict', '--model', 'nope.safetensors', '--data', ragged).err).toMatch(/Model\.load: cannot read nope\.safetensors/);
  });
});

describe('gradcheck and info', () => {
  test('a correct backward pass passes; the planted bug fails and is located', () => {
    const ok = deepnet('gradcheck');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^Your backward propagation works perfectly fine! difference = /);
    const bug = deepnet('gradcheck', '--bug', '--json');
    expect(bug.code).toBe(1);
    const r = JSON.parse(bug.out);
    expect(r.passed).toBe(false);
    expect(r.breakdown.filter((p: { passed: boolean }) => !p.passed).map((p: { key: string }) => p.key).sort()).toEqual(['W2', 'b1']);
  });

  test('info reports the platform, the addon that loaded and the backend', () => {
    const r = deepnet('info', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ gemm: expect.stringMatching(/openblas|builtin/), simd: expect.any(String),
      platform: expect.stringMatching(new RegExp(`^${process.platform}-${process.arch}`)),
      addon: process.env.DEEPNET_ADDON ? 'DEEPNET_ADDON' : 'source build' });
    const text = deepnet('info');
    expect(text.out).toMatch(new RegExp(`^platform ${process.platform}-${process.arch}`, 'm'));
    const { gemmDispatch, gemm, cpuVendor, cpuModel, subnormal } = JSON.parse(r.out);
    expect(subnormal).toMatch(/^(measured: |DEEPNET_SUBNORMAL=)/);
    expect(text.out).toContain(`\nsubnormal ${subnormal}\n`);
    expect(text.out).toContain(`dispatch ${gemmDispatch.family}: ${gemmDispatch.source}\n`);
    expect(text.out).toContain(`\ncpu      ${[cpuVendor, cpuModel].filter(Boolean).join(' ') || 'unknown'}\n`);
    for (const dtype of ['float64', 'float32']) {
      const [one, more] = gemmDispatch.openblas[dtype];
      expect(text.out.includes(`  OpenBLAS ${dtype}: `)).toBe(gemm === 'openblas' && one.length + more.length > 0);
      expect(text.out.includes(`  built-in at AVX2 ${dtype}: ${gemmDispatch.builtinAvx2[dtype].join(', ')}\n`)).toBe(gemmDispatch.builtinAvx2[dtype].length > 0);
    }
    expect(text.out).toMatch(/^addon {4}(source build|DEEPNET_ADDON) \(.*deepnet\.node\)$/m);
  });
});

describe('the terminal progress bar', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { progressLine, formatDuration } = require('../lib/cli/progress');
  test('shows the fraction done, iterations/s, ETA and the cost', () => {
    expect(progressLine(500, 2000, 2, 0.123456789, 8)).toBe('[##......]  25% 500/2000 it  250 it/s  ETA 00:06  cost 0.123457');
    expect(progressLine(0, 10, 0, 0.7, 4)).toBe('[....]   0% 0/10 it  0.0 it/s  ETA --:--  cost 0.700000');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
