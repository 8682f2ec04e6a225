// loadCsv: values against an independent parse (split + Number()), every
// option, chunk boundaries, the native parser's hand-offs to the TypeScript
// one, and the errors (file, line, column). The older cases are in
// datasets.test.ts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RandomState } from '../lib';
import * as datasets from '../lib/datasets';
import { native } from '../lib/native';
import { DATASETS } from './helpers/golden';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-csv-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tmpFile(name: string, contents: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, contents);
  return file;
}

/** The message loadCsv throws for `text`, with the file's path replaced by <file>. */
function csvError(text: string, opts?: datasets.CsvOptions): string {
  const file = tmpFile('bad.csv', text);
  try {
    datasets.loadCsv(file, opts);
  } catch (e) {
    return (e as Error).message.replace(file, '<file>');
  }
  throw new Error('loadCsv did not throw');
}

/** The rows of a CSV text without a header, each cell through Number(). */
function referenceRows(text: string): number[][] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => l.split(',').map(Number));
}

/** Random decimal strings of every kind the parser meets: 1 to 19+ digits, exponents, signs, leading zeros. */
function randomCells(rng: RandomState, n: number): string[] {
  const u = rng.rand(n, 6).data;
  return Array.from({ length: n }, (_, i) => {
    const [a, b, c, d, e, f] = u.subarray(i * 6, i * 6 + 6);
    const digits = 1 + Math.floor(a * 22);
    let s = '';
    for (let k = 0; k < digits; k++) s += String(Math.floor(((b * 1e6 * (k + 1)) % 1) * 10));
    const point = Math.floor(c * (digits + 1));
    s = point === digits ? s : `${s.slice(0, point)}.${s.slice(point)}`;
    if (s.startsWith('.') && d < 0.5) s = `0${s}`;
    if (e < 0.3) s += `e${Math.floor(f * 60) - 40}`;
    else if (e < 0.35) s += `E+${Math.floor(f * 300)}`;
    return (d < 0.3 ? '-' : d < 0.4 ? '+' : '') + s;
  });
}

describe('loadCsv values', () => {
  test('random decimal strings give exactly the doubles Number() gives (correct rounding)', () => {
    const rng = new RandomState(7);
    const cells = randomCells(rng, 60000).filter((s) => Number.isFinite(Number(s)));
    const width = 6;
    const rows = Math.floor(cells.length / width);
    let text = '';
    for (let i = 0; i < rows; i++) text += cells.slice(i * width, (i + 1) * width).join(',') + ',1\n';
    const file = tmpFile('random.csv', text);
    const { X, Y } = datasets.loadCsv(file, { header: false });
    expect(X.shape).toEqual([width, rows]);
    let mismatches = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < width; j++) if (!Object.is(X.data[j * rows + i], Number(cells[i * width + j]))) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(Y.data.every((v) => v === 1)).toBe(true);
  });

  test('breast_cancer.csv and digits.csv: every value as an independent parse of the text', () => {
    for (const [name, features, m, labels, classes] of [
      ['breast_cancer.csv', 30, 569, 'binary', 2], ['digits.csv', 64, 1797, 'classes', 10],
    ] as const) {
      const file = path.join(DATASETS, name);
      const text = fs.readFileSync(file, 'utf8');
      const [head, ...body] = text.split('\n');
      const rows = referenceRows(body.join('\n'));
      const ds = datasets.loadCsv(file, { labels });
      expect([ds.X.shape, ds.Y.shape, ds.numClasses, ds.labelName]).toEqual([[features, m], [1, m], classes, 'label']);
      expect(ds.featureNames).toEqual(head.split(',').slice(0, -1));
      const want = new Float64Array(features * m);
      rows.forEach((r, i) => r.slice(0, -1).forEach((v, j) => { want[j * m + i] = v; }));
      expect(ds.X.data).toEqual(want);
      expect(Array.from(ds.Y.data)).toEqual(rows.map((r) => r[r.length - 1]));
    }
  });

  test('dtype float32: the float64 values rounded once; layout rows: X (m, features), Y (m, 1)', () => {
    const file = tmpFile('small.csv', 'a,b,label\n0.1,2.5,1\n-3e-2,7,0\n1e-46,1,1\n');
    const f32 = datasets.loadCsv(file, { dtype: 'float32' });
    expect(f32.X.data).toBeInstanceOf(Float32Array);
    expect(f32.Y.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f32.X.data)).toEqual([0.1, -3e-2, 1e-46, 2.5, 7, 1].map(Math.fround));
    const rows = datasets.loadCsv(file, { layout: 'rows' });
    expect(rows.X).toEqual({ shape: [3, 2], data: Float64Array.from([0.1, 2.5, -3e-2, 7, 1e-46, 1]) });
    expect(rows.Y).toEqual({ shape: [3, 1], data: Float64Array.from([1, 0, 1]) });
    expect(rows.layout).toBe('rows');
  });

  test("labels: 'classes' reports K, 'values' loads any number; labelColumn null loads every column as a feature", () => {
    const file = tmpFile('classes.csv', 'x,target\n1,0\n2,4\n3,2\n');
    const classes = datasets.loadCsv(file, { labels: 'classes' });
    expect([Array.from(classes.Y.data), classes.numClasses]).toEqual([[0, 4, 2], 5]);
    const values = datasets.loadCsv(tmpFile('reg.csv', 'x,y\n1,-0.5\n2,1e3\n'), { labels: 'values' });
    expect([Array.from(values.Y.data), values.numClasses, values.labelName]).toEqual([[-0.5, 1000], undefined, 'y']);
    const none = datasets.loadCsv(file, { labelColumn: null });
    expect(none).toEqual({ X: { shape: [2, 3], data: Float64Array.from([1, 2, 3, 0, 4, 2]) }, featureNames: ['x', 'target'], layout: 'columns' });
    expect('Y' in datasets.loadCsv(file, { labelColumn: false })).toBe(false);
    const single = datasets.loadCsv(tmpFile('one.csv', '5\n6\n'), { labelColumn: null });
    expect([single.X.shape, single.featureNames]).toEqual([[1, 2], ['col0']]);
  });

  test("header 'auto': a first line of numbers is data; a line with a name is a header; true and false force it", () => {
    const numbers = tmpFile('numbers.csv', '\uFEFF1,2,0\n3,4,1\n');
    expect(datasets.loadCsv(numbers).X.shape).toEqual([2, 2]);
    expect(datasets.loadCsv(numbers).featureNames).toEqual(['col0', 'col1']);
    const forced = datasets.loadCsv(tmpFile('forced.csv', '1,2,0\n3,4,1\n'), { header: true });
    expect([forced.featureNames, forced.labelName, forced.X.shape]).toEqual([['1', '2'], '0', [2, 1]]);
    const named = datasets.loadCsv(tmpFile('named.csv', '\n\n  \nlength,1,label\n3,4,1\n'));
    expect([named.featureNames, named.X.shape]).toEqual([['length', '1'], [2, 1]]);
  });

  test('quoted, padded and underflowing cells go through the TypeScript parser in the middle of the native one', () => {
    const text = 'a,b,label\n1,2,0\n"3",\t4 ,1\n5,1e-400,0\n  \n7,"8",1\n9,10,0';
    const { X, Y } = datasets.loadCsv(tmpFile('mixed.csv', text));
    expect(X).toEqual({ shape: [2, 5], data: Float64Array.from([1, 3, 5, 7, 9, 2, 4, 0, 8, 10]) });
    expect(Array.from(Y.data)).toEqual([0, 1, 0, 1, 0]);
  });

  test('lines across chunk boundaries and a line longer than the 1 MiB buffer', () => {
    const long = Array.from({ length: 120000 }, (_, j) => String(j % 97)).join(',');  // about 340 KB
    const width = 120001;
    const lines = [0, 1, 2, 3].map((i) => `${long},${i % 2}`);
    const wide = datasets.loadCsv(tmpFile('wide.csv', lines.join('\n') + '\n'), { header: false });
    expect(wide.X.shape).toEqual([width - 1, 4]);
    expect([wide.X.data[119999 * 4 + 3], wide.X.data[5 * 4 + 2]]).toEqual([119999 % 97, 5]);
    const huge = `${Array.from({ length: 400000 }, () => '1.25').join(',')},1`;  // 2 MB: the buffer grows
    const h = datasets.loadCsv(tmpFile('huge.csv', `${huge}\n${huge}`), { header: false });
    expect([h.X.shape, h.X.data.every((v) => v === 1.25)]).toEqual([[400000, 2], true]);
    // 70,000 short lines: about 2.3 MB, so lines straddle the chunk boundaries.
    const m = 70000;
    let text = 'x1,x2,label\n';
    for (let i = 0; i < m; i++) text += `${i},${i * 0.5},${i % 2}\n`;
    const many = datasets.loadCsv(tmpFile('many.csv', text));
    const ok = Array.from({ length: m }, (_, i) => many.X.data[i] === i && many.X.data[m + i] === i * 0.5 && many.Y.data[i] === i % 2);
    expect(ok.every(Boolean)).toBe(true);
  });
});

describe('loadCsv errors', () => {
  test('a bad cell far into the file names its line and column', () => {
    let text = 'a,b,label\n';
    for (let i = 0; i < 100000; i++) text += `${i}.5,2,1\n`;
    text += '1,2x,0\n';
    expect(csvError(text)).toBe('loadCsv: <file>: line 100002, column "b": expected a finite number, found "2x"');
    expect(csvError('a,label\n\n1,0\n\n1e400,1\n')).toBe('loadCsv: <file>: line 5, column "a": expected a finite number, found "1e400"');
    expect(csvError('a,label\n1,0\n-inf,1\n')).toBe('loadCsv: <file>: line 3, column "a": expected a finite number, found "-inf"');
    expect(csvError('a,label\n1,0\n--1,1\n')).toBe('loadCsv: <file>: line 3, column "a": expected a finite number, found "--1"');
    expect(csvError('a,label\n1,0\n0x10,1\n')).toBe('loadCsv: <file>: line 3, column "a": expected a finite number, found "0x10"');
    expect(csvError('a,b,label\n1,2,0,4\n')).toBe('loadCsv: <file>: line 2: 4 columns, expected 3 (as the first line)');
  });

  test("labels that do not fit the labels option say which option would load them", () => {
    expect(csvError('a,label\n1,0.5\n', { labels: 'classes' })).toBe(
      'loadCsv: <file>: line 2: label "label" must be a class index (an integer >= 0); found 0.5 ' +
      "(labels: 'values' loads any number)");
    expect(csvError('a,label\n1,-1\n', { labels: 'classes' })).toMatch(/line 2: label "label" must be a class index/);
    expect(csvError('a,label\n1,1\n3,2\n')).toMatch(/line 3: label "label" must be 0 or 1; found 2 \(labels: 'classes'/);
  });

  test('bad options are refused before the file is read', () => {
    const missing = path.join(tmp, 'missing.csv');
    expect(() => datasets.loadCsv(missing, { dtype: 'int8' } as never)).toThrow("loadCsv: dtype must be 'float64' or 'float32'; received the string \"int8\"");
    expect(() => datasets.loadCsv(missing, { labels: 'multi' } as never)).toThrow("loadCsv: labels must be 'binary' or 'classes' or 'values'");
    expect(() => datasets.loadCsv(missing, { layout: 'cols' } as never)).toThrow("loadCsv: layout must be 'columns' or 'rows'");
    expect(() => datasets.loadCsv(missing, { labelColumn: true } as never)).toThrow('loadCsv: labelColumn must be a column name, a column index, null or false; received boolean true');
    expect(() => datasets.loadCsv(missing, { delimiter: '§' })).toThrow(/loadCsv: delimiter must be one character \(ASCII\)/);
    expect(() => datasets.loadCsv(7 as never)).toThrow('loadCsv: file must be a path string; received the number 7');
    expect(() => datasets.loadCsv(tmp)).toThrow(/^loadCsv: .* is a directory, not a regular file; refusing to read it/);
  });

  test('the raw native parser checks its arguments and never writes past the arrays', () => {
    const chunk = Buffer.from('1,2\n3,4\n5,6\n');
    const X = new Float64Array(2);
    const Y = new Float64Array(2);
    // Two rows fit: the third line is a stop, not a write.
    expect(native.parseCsv(chunk, 0, chunk.length, true, 44, 2, 1, 'values', false, 2, 0, X, Y))
      .toEqual({ pos: 8, row: 2, lines: 2, stopped: true });
    expect([Array.from(X), Array.from(Y)]).toEqual([[1, 3], [2, 4]]);
    expect(() => native.parseCsv(chunk, 0, 99, true, 44, 2, 1, 'values', false, 2, 0, X, Y)).toThrow(/end must be an integer in \[0, 12\]/);
    expect(() => native.parseCsv(chunk, 0, 12, true, 44, 2, 1, 'values', false, 3, 0, X, Y)).toThrow(/X has 2 elements, expected 3/);
    expect(() => native.parseCsv(chunk, 0, 12, true, 44, 2, 1, 'values', false, 2, 0, X, null)).toThrow(/Y must be a Float64Array/);
    expect(() => native.parseCsv(chunk, 0, 12, true, 34, 2, 1, 'values', false, 2, 0, X, Y)).toThrow(/delimiter must not be a quote/);
    expect(() => native.parseCsv(X as never, 0, 12, true, 44, 2, 1, 'values', false, 2, 0, X, Y)).toThrow(/chunk must be a Uint8Array/);
  });
});
