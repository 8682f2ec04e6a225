// Model files: safetensors that Python can read, atomic saves, strict loading,
// and checkpoints that resume exactly.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AbortError, Model } from '../lib';
import { loadGolden, toMatrix } from './helpers/golden';

const r = loadGolden('train').runs.find((x: { name: string }) => x.name === 'reg_model_plain');
const X = toMatrix(r.X);
const Y = toMatrix(r.Y);
let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-model-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function trained(opts: Partial<ConstructorParameters<typeof Model>[0]> = {}): Model {
  const model = new Model({ layers: [2, 20, 3, 1], seed: 3, ...opts });
  model.fitSync(X, Y, { learningRate: 0.3, iterations: 50 });
  return model;
}

function sameParameters(a: Model, b: Model): void {
  const [p, q] = [a.getParameters(), b.getParameters()];
  for (const k of Object.keys(p)) expect(Array.from(q[k].data)).toEqual(Array.from(p[k].data));
}

describe('save and load', () => {
  test.each(['float64', 'float32'] as const)('a %s model round-trips with its settings', (dtype) => {
    const model = new Model({ layers: [2, 20, 3, 1], seed: 3, dtype, l2: 0.7, keepProb: 0.86, dropoutSeed: 1 });
    const f = (m: typeof X) => ({ shape: m.shape, data: dtype === 'float32' ? Float32Array.from(m.data) : m.data });
    model.fitSync(f(X), f(Y), { learningRate: 0.3, iterations: 20 });
    const file = path.join(dir, 'model.safetensors');
    model.save(file);
    const back = Model.load(file);
    expect([back.layers, back.dtype, back.l2, back.keepProb, back.dropoutSeed, back.seed, back.iterationsTrained])
      .toEqual([model.layers, dtype, 0.7, 0.86, 1, 3, 20]);
    sameParameters(model, back);
    expect(Array.from(back.predictProba(f(X)).data)).toEqual(Array.from(model.predictProba(f(X)).data));
  });

  test('Python reads the weights with numpy alone', () => {
    const model = trained();
    const file = path.join(dir, 'model.safetensors');
    model.save(file);
    const script = `
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
meta = header.pop('__metadata__')
out = {'layers': json.loads(meta['layers']), 'dtype': meta['dtype']}
for name, t in header.items():
    begin, end = t['data_offsets']
    a = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype={'F64': '<f8', 'F32': '<f4'}[t['dtype']]).reshape(t['shape'])
    out[name] = a.tolist()
print(json.dumps(out))`;
    const got = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
    expect(got.layers).toEqual([2, 20, 3, 1]);
    expect(got.dtype).toBe('float64');
    const p = model.getParameters();
    for (const k of Object.keys(p)) expect(got[k].flat()).toEqual(Array.from(p[k].data));
  });

  test('a failed save leaves the previous file intact and no temporary file', () => {
    const file = path.join(dir, 'model.safetensors');
    trained().save(file);
    const before = fs.readFileSync(file);
    // The module object itself (the `import * as` namespace is read-only), which the library reads through.
    const spy = jest.spyOn(require('fs') as typeof fs, 'writeSync').mockImplementation(() => { throw new Error('disk full'); });
    try {
      expect(() => trained({ seed: 9 }).save(file)).toThrow('disk full');
    } finally {
      spy.mockRestore();
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
  });
});

describe('loading refuses bad files with clear errors', () => {
  let good: Buffer;
  let file: string;
  beforeEach(() => {
    file = path.join(dir, 'model.safetensors');
    trained().save(file);
    good = fs.readFileSync(file);
  });
  const headerOf = (b: Buffer) => {
    const n = Number(b.readBigUInt64LE(0));
    return { n, header: JSON.parse(b.subarray(8, 8 + n).toString()) };
  };
  const withHeader = (edit: (h: Record<string, any>) => void): Buffer => {  // eslint-disable-line @typescript-eslint/no-explicit-any
    const { n, header } = headerOf(good);
    edit(header);
    const json = Buffer.from(JSON.stringify(header));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    return Buffer.concat([len, json, good.subarray(8 + n)]);
  };
  const load = (bytes: Buffer, opts?: { allowNonFinite?: boolean }) => {
    fs.writeFileSync(file, bytes);
    return () => Model.load(file, opts);
  };

  test('missing file', () => {
    expect(() => Model.load(path.join(dir, 'nope.safetensors'))).toThrow(/Model\.load: cannot read .*nope\.safetensors/);
  });
  test('truncated files', () => {
    expect(load(good.subarray(0, 5))).toThrow(/not a valid safetensors file: 5 bytes is shorter than the 8-byte header length/);
    expect(load(good.subarray(0, 40))).toThrow(/the header length \d+ runs past the end of the file \(40 bytes\)/);
    expect(load(good.subarray(0, good.length - 8))).toThrow(/spans bytes .* outside the .*-byte data buffer/);
  });
  test('a huge header length is refused before allocating', () => {
    const b = Buffer.from(good);
    b.writeBigUInt64LE(2n ** 62n, 0);
    expect(load(b)).toThrow(/runs past the end of the file/);
  });
  test('corrupted header JSON', () => {
    const b = Buffer.from(good);
    b[9] = 0x7b;  // '{' inside the JSON
    b[10] = 0x7b;
    expect(load(b)).toThrow(/the header is not JSON/);
  });
  test('unknown dtype, wrong shape, overlapping offsets, a hole', () => {
    expect(load(withHeader((h) => { h.W1.dtype = 'BF16'; }))).toThrow(/tensor W1 has dtype "BF16"/);
    expect(load(withHeader((h) => { h.W1.shape = [2, 20]; }))).toThrow(/tensor W1 has shape \[2,20\], layers \[2,20,3,1\] need \[20,2\]/);
    expect(load(withHeader((h) => { h.b1.data_offsets = [0, 160]; }))).toThrow(/overlaps another tensor/);
    expect(load(withHeader((h) => { h.W1.shape = [10, 2]; h.W1.data_offsets = [0, 160]; }))).toThrow(/a hole before tensor/);
    expect(load(withHeader((h) => { h.W1.dtype = 'F32'; h.W1.shape = [20, 4]; }))).toThrow(/tensor W1 is F32 but the model is float64/);
  });
  test('shapes that disagree with the layer sizes, missing or extra tensors', () => {
    expect(load(withHeader((h) => { h.__metadata__.layers = '[2,20,4,1]'; }))).toThrow(/tensor W2 has shape \[3,20\], layers \[2,20,4,1\] need \[4,20\]/);
    expect(load(withHeader((h) => { h.__metadata__.layers = '[2,-1]'; }))).toThrow(/header field layers is \[2,-1\], not a list of positive layer sizes/);
    expect(load(withHeader((h) => { h.extra = h.b3; h.b3 = undefined; delete h.b3; }))).toThrow(/has no tensor b3/);
  });
  test('not a deepnet file', () => {
    expect(load(withHeader((h) => { delete h.__metadata__.format; }))).toThrow(/header field format is undefined, expected "deepnet-model"/);
  });
  test('NaN weights are refused unless asked for', () => {
    const { n } = headerOf(good);
    const b = Buffer.from(good);
    b.writeDoubleLE(NaN, 8 + n + 8 * 3);
    expect(load(b)).toThrow(/tensor W1 holds NaN at index 3 \(pass \{ allowNonFinite: true \} to load it anyway\)/);
    expect(Number.isNaN(load(b, { allowNonFinite: true })().getParameters().W1.data[3])).toBe(true);
  });
});

describe('checkpoints', () => {
  test('a run aborted after a checkpoint and resumed from it ends with the parameters of an uninterrupted run', async () => {
    // Fresh dropout masks every iteration: resuming also needs the generator's state.
    const settings = { layers: [2, 20, 3, 1], seed: 3, keepProb: 0.86 };
    const uninterrupted = new Model(settings);
    uninterrupted.fitSync(X, Y, { learningRate: 0.3, iterations: 1000 });

    const file = path.join(dir, 'checkpoint.safetensors');
    const controller = new AbortController();
    const first = new Model(settings);
    await expect(first.fit(X, Y, {
      learningRate: 0.3, iterations: 1000, logEvery: 100, checkpoint: { path: file, every: 100 }, signal: controller.signal,
      onProgress: ({ iteration }) => { if (iteration === 300) controller.abort(); },
    })).rejects.toBeInstanceOf(AbortError);
    const resumed = Model.load(file);
    expect(resumed.iterationsTrained).toBeGreaterThanOrEqual(300);
    expect(resumed.iterationsTrained).toBeLessThan(1000);
    resumed.fitSync(X, Y, { learningRate: 0.3, iterations: 1000 - resumed.iterationsTrained });
    sameParameters(uninterrupted, resumed);
  });

  test('a checkpointed fit saves along the way and gives the same history', () => {
    const file = path.join(dir, 'checkpoint.safetensors');
    const a = new Model({ layers: [2, 20, 3, 1], seed: 3 });
    const b = new Model({ layers: [2, 20, 3, 1], seed: 3 });
    const ha = a.fitSync(X, Y, { learningRate: 0.3, iterations: 250 });
    const seen: number[] = [];
    const hb = b.fitSync(X, Y, { learningRate: 0.3, iterations: 250, logEvery: 50, checkpoint: { path: file, every: 100 },
      onProgress: (p) => seen.push(p.iteration) });
    expect(hb.costs).toEqual(ha.costs);
    expect(seen).toEqual([0, 50, 100, 150, 200]);
    expect(Model.load(file).iterationsTrained).toBe(250);
    expect(() => b.fitSync(X, Y, { logEvery: 30, checkpoint: { path: file, every: 100 } }))
      .toThrow(/checkpoint\.every \(100\) must be a multiple or a divisor of logEvery \(30\)/);
  });
});
