// deepnet train checks everything that can fail before it trains (output
// paths, figures against the data, sizes), writes only regular files and
// only atomically, and stops on SIGINT or SIGTERM at the next step, saving
// what it has.
import * as fs from 'fs';
import * as path from 'path';
import { Model } from '../lib';
import { progressSink } from '../lib/cli/progress';
import { cliSandbox, Run } from './helpers/cli';
import { DATASETS } from './helpers/golden';

const sandbox = cliSandbox('deepnet-cli-checks-');
const { deepnet } = sandbox;
const cancer = path.join(DATASETS, 'breast_cancer.csv');

/** A usage error before training: exit code 2, one line, and no progress printed. */
function refusedBeforeTraining(r: Run, message: string): void {
  expect([r.code, r.err.trim()]).toEqual([2, message]);
  expect(r.out).toBe('');
}

describe('every check that can fail runs before training', () => {
  test('--boundary on 30-D data, with 20,000 iterations asked for: refused at once, nothing saved', () => {
    const r = deepnet('train', '--data', cancer, '--iterations', '20000', '--boundary', 'b.svg', '--out', 'm.safetensors');
    refusedBeforeTraining(r, 'deepnet train: --boundary needs 2-D data and a classifier; this data has 30 features');
    expect(fs.existsSync(path.join(sandbox.dir, 'm.safetensors'))).toBe(false);
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--output', 'linear', '--boundary', 'b.svg'),
      'deepnet train: --boundary needs 2-D data and a classifier; this data has 2 features and the output is linear');
  });

  test('outputs: a missing directory, an empty path, a directory, a symbolic link, a non-model file, an input, twice the same file', () => {
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--out', '/nonexistent/dir/m.safetensors'),
      'deepnet train: --out /nonexistent/dir/m.safetensors: the directory /nonexistent/dir does not exist');
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--out', ''), "deepnet train: --out needs a file path; received ''");
    fs.mkdirSync(path.join(sandbox.dir, 'adir'));
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--out', 'adir'),
      'deepnet train: --out adir is a directory; deepnet writes only regular files (remove it or choose another name)');
    const target = sandbox.file('elsewhere.svg', 'precious');
    fs.symlinkSync(target, path.join(sandbox.dir, 'link.svg'));
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--plot', 'link.svg'),
      'deepnet train: --plot link.svg is a symbolic link; deepnet writes only regular files (remove it or choose another name)');
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');
    sandbox.file('notes.txt', 'my notes');
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--out', 'notes.txt'),
      'deepnet train: --out notes.txt exists and is not a deepnet model file; not overwriting it (choose another name)');
    expect(fs.readFileSync(path.join(sandbox.dir, 'notes.txt'), 'utf8')).toBe('my notes');
    const data = sandbox.file('points.csv', 'a,b,label\n0,1,0\n1,0,1\n');
    refusedBeforeTraining(deepnet('train', '--data', data, '--out', data),
      `deepnet train: --out ${data} exists and is not a deepnet model file; not overwriting it (choose another name)`);
    refusedBeforeTraining(deepnet('train', '--data', 'points.csv', '--plot', 'points.csv'),
      "deepnet train: --plot must name a .svg or .png file; received 'points.csv'");
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--plot', 'x.svg', '--boundary', './x.svg'),
      'deepnet train: --plot and --boundary name the same file ./x.svg');
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--report', 'notes.txt'),
      'deepnet train: --report notes.txt exists and is not a directory');
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--report', '/nonexistent/report'),
      'deepnet train: --report /nonexistent/report: the directory /nonexistent does not exist');
    refusedBeforeTraining(deepnet('predict', '--model', 'm.safetensors', '--data', data, '--out', data),
      `deepnet predict: --out ${data} is the input file of --data; not overwriting it`);
  });

  test('sizes and data: --samples beyond the limit, a --test file with other features', () => {
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--samples', '1e9'),
      "deepnet train: --samples must be an integer in [2, 10000000]; received '1e9'");
    const test = sandbox.file('test3.csv', 'a,b,c,label\n0,1,2,0\n');
    refusedBeforeTraining(deepnet('train', '--data', sandbox.file('train2.csv', 'a,b,label\n0,1,0\n1,0,1\n'), '--test', test),
      `deepnet train: --test ${test} has 4 columns; the model takes 2 features, so a labeled file needs 3 (the features and a label column)`);
    refusedBeforeTraining(deepnet('train', '--dataset', 'moons', '--test', test),
      'deepnet train: --test, --delimiter, --label-column and --no-header go with --data FILE, not --dataset');
  });
});

describe('files the CLI writes', () => {
  test('replace an existing file atomically, keeping its mode', () => {
    const out = sandbox.file('p.txt', 'old predictions\n');
    fs.chmodSync(out, 0o600);
    const data = sandbox.file('grid.csv', 'a,b\n0,1\n1,0\n2,2\n');
    expect(deepnet('train', '--dataset', 'moons', '--layers', '2,3,1', '--iterations', '5', '--out', 'small.safetensors').code).toBe(0);
    fs.chmodSync(path.join(sandbox.dir, 'small.safetensors'), 0o640);
    expect(deepnet('train', '--dataset', 'moons', '--layers', '2,3,1', '--iterations', '6', '--out', 'small.safetensors').code).toBe(0);
    expect(fs.statSync(path.join(sandbox.dir, 'small.safetensors')).mode & 0o777).toBe(0o640);
    expect(Model.load(path.join(sandbox.dir, 'small.safetensors')).epochsTrained).toBe(6);
    const r = deepnet('predict', '--model', 'small.safetensors', '--data', data, '--out', out);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    // No temporary file is left behind.
    expect(fs.readdirSync(sandbox.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('signals', () => {
  test.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('%s stops at the next step and saves the model, the figure and the report; exit code %i',
    async (signal, code) => {
      const model = `stopped-${signal}.safetensors`;
      const r = await sandbox.interrupt(signal, /"event":"progress"/, 'train', '--dataset', 'moons', '--layers', '2,16,8,1',
        '--iterations', '2000000', '--learning-rate', '0.05', '--log-every', '1000', '--out', model, '--plot', `cost-${signal}.svg`,
        '--report', `report-${signal}`, '--json');
      expect(r.signalled).toBe(true);
      expect(r.code).toBe(code);
      const done = JSON.parse(r.out.trim().split('\n').pop()!);
      expect(done).toMatchObject({ event: 'done', interrupted: true, signal, model });
      expect(done.iterations).toBeGreaterThan(0);
      expect(done.iterations).toBeLessThan(2000000);
      expect(Model.load(path.join(sandbox.dir, model)).iterationsTrained).toBe(done.iterations);
      expect(fs.readFileSync(path.join(sandbox.dir, `cost-${signal}.svg`), 'utf8')).toMatch(/^<svg/);
      expect(fs.readFileSync(path.join(sandbox.dir, `report-${signal}`, 'index.html'), 'utf8'))
        .toContain(`stopped by ${signal} after ${done.iterations} of 2000000 iterations`);
    });

  test('the bar after an interrupt shows where training stopped, not 100%', () => {
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const sink = progressSink(20000, false, 'it', tty, tty);
    sink.update(0, 0.7);
    sink.end(7368, 0.25);
    const last = written[written.length - 1];
    expect(last).toMatch(/\] {2}37% 7368\/20000 it .* stopped {2}cost 0\.250000/);
    expect(last).not.toContain('100%');
    sink.end(20000, 0.2);
    expect(written[written.length - 1]).toMatch(/100% 20000\/20000 it .* ETA 00:00 {2}cost 0\.200000/);
  });
});
