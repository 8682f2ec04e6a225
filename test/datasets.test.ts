// Datasets: the MAT-file reader and the football data (bit-exact against
// football.json), the seeded generators (circles.json for make_circles),
// and the CSV loader, with the errors each gives on bad files and options.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { RandomState } from '../lib';
import * as datasets from '../lib/datasets';
import { DATASETS, expectBitExact, maxError } from './helpers/golden';

const DATA_MAT = path.join(DATASETS, 'data.mat');
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-datasets-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tmpFile(name: string, contents: string | Uint8Array): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, contents);
  return file;
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

// ---- A minimal MAT-file writer, to test the reader on what data.mat lacks ----

type Setter = (v: DataView, o: number, x: number, le: boolean) => void;
const SETTERS: Record<number, [number, Setter]> = {
  1: [1, (v, o, x) => v.setInt8(o, x)],
  2: [1, (v, o, x) => v.setUint8(o, x)],
  3: [2, (v, o, x, le) => v.setInt16(o, x, le)],
  5: [4, (v, o, x, le) => v.setInt32(o, x, le)],
  6: [4, (v, o, x, le) => v.setUint32(o, x, le)],
  7: [4, (v, o, x, le) => v.setFloat32(o, x, le)],
  9: [8, (v, o, x, le) => v.setFloat64(o, x, le)],
  13: [8, (v, o, x, le) => v.setBigUint64(o, BigInt(x), le)],
};

function encode(type: number, values: number[], le: boolean): Uint8Array {
  const [size, set] = SETTERS[type];
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((x, i) => set(view, i * size, x, le));
  return out;
}

/** A data element: the small form for <= 4 bytes (unless `long`), else tag + data padded to 8. */
function element(type: number, data: Uint8Array, le: boolean, long = false): Buffer {
  const small = data.length <= 4 && !long;
  const out = Buffer.alloc(small ? 8 : 8 + Math.ceil(data.length / 8) * 8);
  const view = new DataView(out.buffer, out.byteOffset, out.length);
  if (small) view.setUint32(0, (data.length << 16) | type, le);
  else {
    view.setUint32(0, type, le);
    view.setUint32(4, data.length, le);
  }
  out.set(data, small ? 4 : 8);
  return out;
}

interface Var {
  name: string;
  classId: number;
  dims: number[];
  storage: number;
  /** Column-major, as MATLAB writes them. */
  values: number[];
}

function matrixElement(v: Var, le: boolean): Buffer {
  return element(14, Buffer.concat([
    element(6, encode(6, [v.classId, 0], le), le, true),
    element(5, encode(5, v.dims, le), le, true),
    element(1, Buffer.from(v.name, 'latin1'), le),
    element(v.storage, encode(v.storage, v.values, le), le),
  ]), le, true);
}

function matFile(vars: Var[], { le = true, compress = false } = {}): Buffer {
  const header = Buffer.alloc(128, ' ');
  header.write('MATLAB 5.0 MAT-file, written by the deepnet tests', 'latin1');
  new DataView(header.buffer, header.byteOffset).setUint16(124, 0x0100, le);
  header.write(le ? 'IM' : 'MI', 126, 'latin1');
  const elements = vars.map((v) => {
    const m = matrixElement(v, le);
    if (!compress) return m;
    const z = zlib.deflateSync(m);
    const tag = Buffer.alloc(8);
    tag.writeUInt32LE(15, 0);
    tag.writeUInt32LE(z.length, 4);
    if (!le) {
      tag.writeUInt32BE(15, 0);
      tag.writeUInt32BE(z.length, 4);
    }
    return Buffer.concat([tag, z]); // compressed elements are not padded
  });
  return Buffer.concat([header, ...elements]);
}

// (2, 3) [[1, 2, 3], [4, 5, 6]] stored column-major.
const A23: Var = { name: 'A', classId: 6, dims: [2, 3], storage: 9, values: [1, 4, 2, 5, 3, 6] };

describe('readMat', () => {
  test('data.mat: four compressed variables with the shapes of its README', () => {
    const vars = datasets.readMat(DATA_MAT);
    expect(Object.keys(vars).sort()).toEqual(['X', 'Xval', 'y', 'yval']);
    // All four are class double; y and yval are stored as uint8 (what the README and scipy report).
    expect([vars.X.className, vars.X.shape]).toEqual(['double', [211, 2]]);
    expect([vars.y.className, vars.y.shape]).toEqual(['double', [211, 1]]);
    expect([vars.Xval.className, vars.Xval.shape]).toEqual(['double', [200, 2]]);
    expect([vars.yval.className, vars.yval.shape]).toEqual(['double', [200, 1]]);
    expect([sum(vars.y.data), sum(vars.yval.data)]).toEqual([106, 87]);
  });

  test.each([
    ['little-endian', { le: true, compress: false }],
    ['big-endian', { le: false, compress: false }],
    ['compressed', { le: true, compress: true }],
    ['big-endian compressed', { le: false, compress: true }],
  ])('%s: column-major storage comes back row-major, narrowed storage widened', (_, how) => {
    const file = tmpFile('vars.mat', matFile([
      A23,
      // MATLAB stores a double of small integers as int8; a 1x1 int32 uses the small element form.
      { name: 'd', classId: 6, dims: [3, 1], storage: 1, values: [-1, 0, 7] },
      { name: 'k', classId: 12, dims: [1, 1], storage: 5, values: [-123456] },
      { name: 'f', classId: 7, dims: [1, 2], storage: 7, values: [0.5, -2.25] },
      { name: 'u', classId: 15, dims: [1, 1], storage: 13, values: [2 ** 40 + 3] },
      { name: 'w', classId: 10, dims: [2, 2], storage: 3, values: [-300, 2, 300, -4] },
      // char (class 4) is skipped, not misread.
      { name: 's', classId: 4, dims: [1, 2], storage: 2, values: [104, 105] },
    ], how));
    const vars = datasets.readMat(file);
    expect(Object.keys(vars)).toEqual(['A', 'd', 'k', 'f', 'u', 'w']);
    expect(vars.A).toEqual({ className: 'double', shape: [2, 3], data: Float64Array.from([1, 2, 3, 4, 5, 6]) });
    expect(vars.d).toEqual({ className: 'double', shape: [3, 1], data: Float64Array.from([-1, 0, 7]) });
    expect(vars.k).toEqual({ className: 'int32', shape: [1, 1], data: Float64Array.from([-123456]) });
    expect(vars.f).toEqual({ className: 'single', shape: [1, 2], data: Float64Array.from([0.5, -2.25]) });
    expect(vars.u).toEqual({ className: 'uint64', shape: [1, 1], data: Float64Array.from([2 ** 40 + 3]) });
    expect(vars.w).toEqual({ className: 'int16', shape: [2, 2], data: Float64Array.from([-300, 300, 2, -4]) });
  });

  test('a truncated copy of data.mat names the file and the truncation', () => {
    const bytes = fs.readFileSync(DATA_MAT);
    const file = tmpFile('truncated.mat', bytes.subarray(0, 3000));
    expect(() => datasets.readMat(file)).toThrow(
      `readMat: ${file}: variable 4 (byte 2881): truncated or corrupt: an element of type 15 declares 3149 bytes, 111 remain`);
    expect(() => datasets.readMat(tmpFile('tag.mat', bytes.subarray(0, 132))))
      .toThrow(/readMat: .*tag\.mat: variable 1 \(byte 128\): truncated: an element tag needs 8 bytes, 4 remain/);
    expect(() => datasets.loadFootballDataset(file)).toThrow(/^readMat: .*truncated\.mat: variable 4/);
  });

  test('corrupt compressed data, header, endianness or version give a clear error', () => {
    const bytes = Buffer.from(fs.readFileSync(DATA_MAT));
    for (let i = 200; i < 260; i++) bytes[i] ^= 0x5a;
    expect(() => datasets.readMat(tmpFile('corrupt.mat', bytes)))
      .toThrow(/readMat: .*corrupt\.mat: variable 1 \(byte 128\): corrupt compressed data \(zlib: .+\)/);

    const good = fs.readFileSync(DATA_MAT);
    expect(() => datasets.readMat(tmpFile('short.mat', good.subarray(0, 100))))
      .toThrow(/short\.mat: too short for a MAT-file \(100 bytes; the header alone is 128\)/);
    const text = Buffer.from(good);
    text.write('HDF5', 0, 'latin1');
    expect(() => datasets.readMat(tmpFile('text.mat', text))).toThrow(/text\.mat: not a MATLAB 5\.0 MAT-file \(the header text starts "HDF5AB 5\.0/);
    const endian = Buffer.from(good);
    endian.write('XX', 126, 'latin1');
    expect(() => datasets.readMat(tmpFile('endian.mat', endian))).toThrow(/endian\.mat: bad endian indicator "XX"/);
    const version = Buffer.from(good);
    version[125] = 2;
    expect(() => datasets.readMat(tmpFile('version.mat', version))).toThrow(/version\.mat: unsupported version 0x200/);
  });

  test('dimensions that do not match the stored values are rejected before any allocation', () => {
    const huge = matFile([{ ...A23, dims: [2 ** 30, 2 ** 30] }]);
    expect(() => datasets.parseMat(huge, 'huge.mat')).toThrow(
      "readMat: huge.mat: variable 1 (byte 128) 'A': real part holds 48 bytes, but (1073741824, 1073741824) of 8-byte values take 9223372036854776000");
    expect(() => datasets.parseMat(matFile([{ ...A23, dims: [2, -3] }]), 'neg.mat'))
      .toThrow("readMat: neg.mat: variable 1 (byte 128): negative dimension in (2, -3)");
    expect(() => datasets.parseMat(matFile([{ ...A23, classId: 99 }]), 'cls.mat'))
      .toThrow("readMat: cls.mat: variable 1 (byte 128) 'A': unknown array class 99");
    // An inner element longer than its matrix is caught by the matrix's bounds, not the file's.
    const inner = matFile([A23]);
    inner.writeUInt32LE(200, 128 + 8 + 16 + 4); // the dimensions' byte count
    expect(() => datasets.parseMat(inner, 'inner.mat')).toThrow(
      /inner\.mat: variable 1 \(byte 128\), dimensions: truncated or corrupt: an element of type 5 declares 200 bytes, \d+ remain/);
  });

  test('a missing file or a bad path argument', () => {
    expect(() => datasets.readMat(path.join(tmp, 'nope.mat'))).toThrow(/readMat: cannot read .*nope\.mat: ENOENT/);
    expect(() => datasets.readMat(3 as unknown as string)).toThrow(TypeError);
  });
});

describe('football (data.mat)', () => {
  test('loadFootballDataset equals football.json bit for bit', () => {
    const expected = JSON.parse(fs.readFileSync(path.join(DATASETS, 'football.json'), 'utf8'));
    const { train, test: testSet } = datasets.loadFootballDataset(DATA_MAT);
    expect([train.X.shape, train.Y.shape, testSet.X.shape, testSet.Y.shape]).toEqual([[2, 211], [1, 211], [2, 200], [1, 200]]);
    expectBitExact(train.X, expected.train.X.flat(), 'train.X');
    expectBitExact(train.Y, expected.train.Y.flat(), 'train.Y');
    expectBitExact(testSet.X, expected.test.X.flat(), 'test.X');
    expectBitExact(testSet.Y, expected.test.Y.flat(), 'test.Y');
  });

  test('missing variables, bad labels and a bad argument are named', () => {
    const file = tmpFile('partial.mat', matFile([{ ...A23, name: 'X' }, { ...A23, name: 'Xval' }]));
    expect(() => datasets.loadFootballDataset(file))
      .toThrow(`loadFootballDataset: ${file} lacks the variable(s) y, yval (has: X, Xval)`);
    const labels = (v: number[]): Var => ({ name: 'y', classId: 9, dims: [2, 1], storage: 2, values: v });
    const bad = tmpFile('labels.mat', matFile([{ ...A23, name: 'X' }, labels([1, 2]), { ...A23, name: 'Xval' },
      { ...labels([0, 1]), name: 'yval' }]));
    expect(() => datasets.loadFootballDataset(bad)).toThrow(`loadFootballDataset: ${bad}: y must hold 0/1 labels; found 2 at row 1`);
    expect(() => datasets.loadFootballDataset(undefined as unknown as string)).toThrow(/loadFootballDataset: file must be/);
  });
});

describe('makeCircles', () => {
  const circles = JSON.parse(fs.readFileSync(path.join(DATASETS, 'circles.json'), 'utf8'));

  // sklearn 1.2.1 after np.random.seed(1) / seed(2). Order, labels and noise are numpy's
  // exactly; the coordinates differ in the last bit wherever V8's Math.cos/Math.sin round
  // differently from glibc's (measured: 9 of 600 train and 2 of 200 test coordinates, by at
  // most 2^-53 = 1.11e-16).
  test.each([
    ['train', { nSamples: 300, noise: 0.05, seed: 1 }],
    ['test', { nSamples: 100, noise: 0.05, seed: 2 }],
  ] as const)('reproduces the %s part of circles.json', (part, opts) => {
    const { X, Y } = datasets.makeCircles(opts);
    expectBitExact(Y, circles[part].Y.flat(), `${part}.Y`);
    expect(X.shape).toEqual([2, opts.nSamples]);
    const expected = circles[part].X.flat() as number[];
    expect(maxError(X.data, expected).err).toBeLessThanOrEqual(2 ** -53);
    const differing = expected.filter((v, i) => !Object.is(v, X.data[i])).length;
    expect(differing).toBeLessThanOrEqual(part === 'train' ? 9 : 2);
  });

  test('without noise or shuffle: radius 1 (label 0) then radius factor (label 1)', () => {
    const { X, Y } = datasets.makeCircles({ nSamples: 7, shuffle: false, factor: 0.5 });
    expect(Array.from(Y.data)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    for (let k = 0; k < 7; k++) expect(Math.hypot(X.data[k], X.data[7 + k])).toBeCloseTo(k < 3 ? 1 : 0.5, 15);
  });

  test('an rng is consumed in place, as the global numpy state is', () => {
    const rng = new RandomState(1);
    const first = datasets.makeCircles({ nSamples: 300, noise: 0.05, rng });
    expectBitExact(first.X, datasets.makeCircles({ nSamples: 300, noise: 0.05, seed: 1 }).X, 'rng vs seed');
    const second = datasets.makeCircles({ nSamples: 300, noise: 0.05, rng });
    expect(Array.from(second.Y.data)).not.toEqual(Array.from(first.Y.data));
  });
});

describe.each([
  ['makeCircles', (seed: number) => datasets.makeCircles({ nSamples: 301, noise: 0.1, seed }), 301, 151],
  ['makeMoons', (seed: number) => datasets.makeMoons({ nSamples: 301, noise: 0.1, seed }), 301, 151],
  ['makePlanarFlower', (seed: number) => datasets.makePlanarFlower({ m: 300, seed }), 300, 150],
  ['makeFootball', (seed: number) => datasets.makeFootball({ seed }), 211, null],
] as const)('%s', (_, make, m, ones) => {
  test('is deterministic per seed and differs across seeds', () => {
    const a = make(5);
    expectBitExact(a.X, make(5).X, 'X');
    expectBitExact(a.Y, make(5).Y, 'Y');
    expect(Array.from(make(6).X.data)).not.toEqual(Array.from(a.X.data));
  });

  test('shapes, finite float64 coordinates and 0/1 labels, balanced', () => {
    const { X, Y } = make(7);
    expect([X.shape, Y.shape]).toEqual([[2, m], [1, m]]);
    expect(X.data).toBeInstanceOf(Float64Array);
    expect(X.data.every(Number.isFinite)).toBe(true);
    expect(Y.data.every((v) => v === 0 || v === 1)).toBe(true);
    if (ones !== null) expect(sum(Y.data)).toBe(ones);
    else expect(sum(Y.data) / m).toBeGreaterThan(0.35);
  });
});

describe('generator details and options', () => {
  test('makePlanarFlower defaults to the course: m = 400, seed 1, petals of r = 4 sin 4t', () => {
    const { X, Y } = datasets.makePlanarFlower();
    expectBitExact(X, datasets.makePlanarFlower({ m: 400, seed: 1 }).X, 'default');
    expect(X.shape).toEqual([2, 400]);
    expect(Array.from(Y.data.subarray(0, 200)).every((v) => v === 0)).toBe(true);
    expect(Array.from(Y.data.subarray(200)).every((v) => v === 1)).toBe(true);
    // np.random.seed(1) + load_planar_dataset (numpy 2.4.6): first and last points. Other
    // coordinates may differ from numpy's in the last bit (V8's Math.sin/cos vs glibc's).
    expect([X.data[0], X.data[400], X.data[399], X.data[799]])
      .toEqual([1.204442292254319, 3.5761141481288448, 0.7307808250007513, 3.0683292081876545]);
    const radii = Array.from({ length: 400 }, (_, k) => Math.hypot(X.data[k], X.data[400 + k]));
    expect(Math.max(...radii)).toBeLessThan(5);
  });

  test('makeFootball stays in the football field', () => {
    const { X } = datasets.makeFootball({ nSamples: 1000, seed: 1 });
    const [x1, x2] = [X.data.subarray(0, 1000), X.data.subarray(1000)];
    expect([Math.min(...x1) >= -0.65, Math.max(...x1) < 0.35, Math.min(...x2) >= -0.75, Math.max(...x2) < 0.6])
      .toEqual([true, true, true, true]);
  });

  test('bad options name the function and the option', () => {
    expect(() => datasets.makeCircles({ factor: 1 })).toThrow('makeCircles: factor must be a number in [0, 1); received 1');
    expect(() => datasets.makeCircles({ noise: -0.1 })).toThrow('makeCircles: noise must be a finite number >= 0; received -0.1');
    expect(() => datasets.makeMoons({ nSamples: 0 })).toThrow('makeMoons: nSamples must be an integer in [1, 2147483647]; received 0');
    expect(() => datasets.makeMoons({ seed: 1, rng: new RandomState(1) })).toThrow('makeMoons: give seed or rng, not both');
    expect(() => datasets.makeMoons({ seed: -1 })).toThrow('makeMoons: seed must be an integer in [0, 4294967295]; received -1');
    expect(() => datasets.makePlanarFlower({ m: 401 })).toThrow('makePlanarFlower: m must be even (m/2 points per class); received 401');
    expect(() => datasets.makeFootball({ n: 3 } as never)).toThrow("makeFootball: unknown option 'n' (known: nSamples, seed, rng)");
    expect(() => datasets.makeCircles({ shuffle: 'yes' } as never)).toThrow(/makeCircles: shuffle must be a boolean/);
  });
});

describe('loadCsv', () => {
  test('header, label column found by name, quoted names, CRLF, BOM and blank lines', () => {
    const file = tmpFile('ok.csv', '\uFEFF"x, first",label,x2\r\n0.5,1,-2\r\n\r\n1e-3,0,+4\r\n.25,1,7.\r\n\n');
    const { X, Y, featureNames } = datasets.loadCsv(file);
    expect(featureNames).toEqual(['x, first', 'x2']);
    expect(X).toEqual({ shape: [2, 3], data: Float64Array.from([0.5, 1e-3, 0.25, -2, 4, 7]) });
    expect(Y).toEqual({ shape: [1, 3], data: Float64Array.from([1, 0, 1]) });
  });

  test('without a header the last column is the label; labelColumn by index or name; other delimiters', () => {
    const file = tmpFile('plain.csv', '1;2;0\n3;4;1\n');
    expect(datasets.loadCsv(file, { header: false, delimiter: ';' })).toEqual({
      X: { shape: [2, 2], data: Float64Array.from([1, 3, 2, 4]) },
      Y: { shape: [1, 2], data: Float64Array.from([0, 1]) },
      featureNames: ['col0', 'col1'],
      labelName: 'col2',
      numClasses: 2,
      layout: 'columns',
    });
    const byIndex = datasets.loadCsv(tmpFile('first.csv', 'y2,a,target\n1,5,9\n0,6,8\n'), { labelColumn: 0 });
    expect([byIndex.featureNames, Array.from(byIndex.Y.data)]).toEqual([['a', 'target'], [1, 0]]);
    const byName = datasets.loadCsv(tmpFile('named.csv', 'a,b,Target\n1,0,9\n2,1,8\n'), { labelColumn: 'b' });
    expect([byName.featureNames, Array.from(byName.Y.data)]).toEqual([['a', 'Target'], [0, 1]]);
    expect(datasets.loadCsv(tmpFile('target.csv', 'a,Target,b\n1,1,9\n')).featureNames).toEqual(['a', 'b']);
  });

  test('each bad file gives a one-line error naming the file, line and column', () => {
    const err = (name: string, text: string, opts?: datasets.CsvOptions): string => {
      const file = tmpFile(name, text);
      try {
        datasets.loadCsv(file, opts);
      } catch (e) {
        return (e as Error).message.replace(file, '<file>');
      }
      throw new Error(`loadCsv(${name}) did not throw`);
    };
    expect(err('empty.csv', '\n \n')).toBe('loadCsv: <file>: the file is empty');
    expect(err('header.csv', 'a,label\n')).toBe('loadCsv: <file>: no data rows after the header');
    expect(err('one.csv', 'label\n1\n')).toBe('loadCsv: <file>: needs a label column and at least one feature column; the first line has 1 column');
    expect(err('ragged.csv', 'a,b,label\n1,2,0\n3,1\n')).toBe('loadCsv: <file>: line 3: 2 columns, expected 3 (as the first line)');
    expect(err('text.csv', 'a,b,label\n1,2,0\n3,x,1\n')).toBe('loadCsv: <file>: line 3, column "b": expected a finite number, found "x"');
    expect(err('blank.csv', 'a,b,label\n1,,0\n')).toBe('loadCsv: <file>: line 2, column "b": expected a finite number, found ""');
    expect(err('nan.csv', 'a,label\nNaN,0\n')).toBe('loadCsv: <file>: line 2, column "a": expected a finite number, found "NaN"');
    expect(err('labels.csv', 'a,label\n1,0\n2,2\n')).toBe('loadCsv: <file>: line 3: label "label" must be 0 or 1; found 2 ' +
      "(labels: 'classes' loads class indices 0..K-1, labels: 'values' any number)");
    expect(err('quote.csv', 'a,label\n"1,0\n')).toBe('loadCsv: <file>: line 2: unterminated quoted field');
    expect(err('col.csv', 'a,b\n1,0\n', { labelColumn: 'c' })).toBe('loadCsv: <file>: no column named "c" for labelColumn (columns: a, b)');
  });

  test('a missing file and bad options', () => {
    expect(() => datasets.loadCsv(path.join(tmp, 'nope.csv'))).toThrow(/^loadCsv: cannot read .*nope\.csv: ENOENT/);
    const file = tmpFile('opts.csv', 'a,label\n1,0\n');
    expect(() => datasets.loadCsv(file, { labelColumn: 2 })).toThrow('loadCsv: labelColumn must be a column index in [0, 1]; received 2');
    expect(() => datasets.loadCsv(file, { delimiter: ', ' })).toThrow(/loadCsv: delimiter must be one character/);
    expect(() => datasets.loadCsv(file, { header: 'yes' } as never)).toThrow("loadCsv: header must be a boolean or 'auto'; received the string \"yes\"");
    expect(() => datasets.loadCsv(file, { sep: ';' } as never)).toThrow("loadCsv: unknown option 'sep'");
  });
});
