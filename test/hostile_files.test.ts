// Tiny hostile files cost neither gigabytes nor forever (issue 15, finding 3).
// Each is read in a child process that reports the error, its peak memory
// growth and its time. Bounds: 64 MiB and 10 s for every file here (the time
// bound is wall-clock because the finding is about time: before the fixes
// these took up to 3.1 GB, or 18 s, or never returned).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Model } from '../lib';
import { DATASETS } from './helpers/golden';
import { deflateWithZeros, matFile, matrixHead, measure, Outcome, safetensors, sparseFile } from './helpers/hostileFiles';

const MEMORY_MIB = 64;
const TIME_MS = 10000;
const GiB = 2 ** 30;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-hostile-'));
  execFileSync('mkfifo', [path.join(dir, 'fifo')]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, bytes: Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
};
const q = JSON.stringify;

/** The read failed with `message`, within the bounds. */
function expectRefused(o: Outcome, message: string | RegExp): void {
  expect(o.killed).toBeUndefined();
  if (typeof message === 'string') expect(o.error).toContain(message);
  else expect(o.error).toMatch(message);
  expect(o.peakMiB).toBeLessThan(MEMORY_MIB);
  expect(o.ms).toBeLessThan(TIME_MS);
}

describe('model files', () => {
  const good = () => {
    const p = path.join(dir, 'good.safetensors');
    new Model({ layers: [3, 5, 2, 1] }).save(p);
    return fs.readFileSync(p);
  };
  const header = (bytes: Buffer) => JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString());
  const dataOf = (bytes: Buffer) => bytes.subarray(8 + Number(bytes.readBigUInt64LE(0)));

  test('a 4 KB file whose metadata says layers [20000, 20000, 1]: refused before the model is built', async () => {
    const bytes = good();
    const h = header(bytes);
    h.__metadata__.layers = '[20000,20000,1]';
    h.__metadata__.activations = '["relu","sigmoid"]';
    const p = file('big-layers.safetensors', safetensors(JSON.stringify(h), dataOf(bytes)));
    expect(fs.statSync(p).size).toBeLessThan(8192);
    expectRefused(await measure(`deepnet.Model.load(${q(p)})`), `${p}: tensor W1 has shape [5,3], layers [20000,20000,1] need [20000,20000]`);
  });

  test('a header nested 4 million levels deep, within the size cap', async () => {
    const depth = 4 * 2 ** 20 - 64;
    const text = `{"__metadata__":{"format":"deepnet-model"},"x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const p = file('nested.safetensors', safetensors(text));
    expectRefused(await measure(`deepnet.Model.load(${q(p)})`), `${p}: not a valid safetensors file: the header nests deeper than 8 levels`);
  });

  test('a 100 MB header of 1.87 million empty tensors, and one of 130,000 within the size cap', async () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => `"t${i}":{"dtype":"F64","shape":[0],"data_offsets":[0,0]}`);
    const huge = safetensors(`{${entries(1870000).join(',')}}`);
    expect(huge.length).toBeGreaterThan(100e6);
    const p = file('empty-tensors.safetensors', huge);
    expectRefused(await measure(`deepnet.Model.load(${q(p)})`), /the header length \d+ exceeds 8388608 bytes/);
    const many = file('many-tensors.safetensors', safetensors(`{${entries(130000).join(',')}}`));
    expect(fs.statSync(many).size).toBeLessThan(8 * 2 ** 20);
    expectRefused(await measure(`deepnet.Model.load(${q(many)})`), `${many}: not a valid safetensors file: the header has more than 20000 names`);
  });

  test('devices, a FIFO and a file over the 4 GiB limit are refused before any read', async () => {
    for (const [p, what] of [['/dev/zero', 'a character device'], ['/dev/urandom', 'a character device'],
      [path.join(dir, 'fifo'), 'a FIFO (named pipe)']]) {
      expectRefused(await measure(`deepnet.Model.load(${q(p)})`), `Model.load: ${p} is ${what}, not a regular file; refusing to read it`);
    }
    const big = sparseFile(path.join(dir, 'big.safetensors'), 5 * GiB);
    expectRefused(await measure(`deepnet.Model.load(${q(big)})`), `Model.load: ${big} is 5.00 GiB, more than the 4.00 GiB this reader takes`);
    fs.rmSync(big);
  });

  test.each([
    ['epochs_trained', '-5', 'is -5, not an integer in [0, 9007199254740991]'],
    ['iterations_trained', '1e308', 'is 1e308, not an integer in [0, 9007199254740991]'],
    ['learning_rate', '-0.1', 'is -0.1, not a positive number'],
    ['seed', '1e20', 'is 1e20, not an integer in [0, 4294967295]'],
    ['keep_prob', '0', 'is 0, not in (0, 1]'],
    ['l2', '-1', 'is -1, not a number >= 0'],
  ])('header field %s = %s is refused, naming the file', (key, value, why) => {
    const bytes = good();
    const h = header(bytes);
    if (key === 'iterations_trained') delete h.__metadata__.epochs_trained;
    h.__metadata__[key] = value;
    const p = file(`${key}.safetensors`, safetensors(JSON.stringify(h), dataOf(bytes)));
    expect(() => Model.load(p)).toThrow(`Model.load: ${p}: header field ${key} ${why}`);
  });

  test('an all-zero generator key, and allowNonFinite that is not a boolean', () => {
    const bytes = good();
    const h = header(bytes);
    const state = JSON.parse(h.__metadata__.rng_state);
    state.key = Buffer.alloc(624 * 4).toString('base64');
    h.__metadata__.rng_state = JSON.stringify(state);
    const p = file('zero-key.safetensors', safetensors(JSON.stringify(h), dataOf(bytes)));
    expect(() => Model.load(p)).toThrow(`Model.load: ${p}: header field rng_state has an all-zero key, which no generator reaches`);
    const ok = file('ok.safetensors', bytes);
    expect(() => Model.load(ok, { allowNonFinite: 'yes' as never })).toThrow('Model.load: allowNonFinite must be a boolean; received the string "yes"');
  });
});

describe('MAT-files', () => {
  test('a zip bomb: 8 variables whose 64-byte matrices inflate to 256 MiB each (2 GiB in all)', async () => {
    const bomb = await deflateWithZeros(matrixHead(1, 1, 9, 8), 256 * 2 ** 20);
    const p = file('bomb.mat', matFile(...Array(8).fill(bomb)));
    expect(fs.statSync(p).size).toBeLessThan(4 * 2 ** 20);
    expectRefused(await measure(`datasets.readMat(${q(p)})`),
      `readMat: ${p}: variable 1 (byte 128): the compressed data inflates to more than the 72 bytes its tag declares`);
  });

  test('a variable that declares more than the file cap is refused before inflating', async () => {
    const z = await deflateWithZeros(matrixHead(1, 1, 9, 8, 300 * 2 ** 20), 1024);
    const p = file('declares.mat', matFile(z));
    expectRefused(await measure(`datasets.readMat(${q(p)})`),
      /variable 1 \(byte 128\): the compressed variable declares 314572808 bytes; readMat inflates at most 268435456 per file/);
  });

  test('honest variables beyond the values cap: refused before they are converted to float64', async () => {
    // 40 MiB of uint8 zeros declared truthfully: 40 Mi values would be 320 MiB as float64.
    const values = 40 * 2 ** 20;
    const z = await deflateWithZeros(matrixHead(values / 1024, 1024, 2, values), values);
    const p = file('values.mat', matFile(z));
    const o = await measure(`datasets.readMat(${q(p)})`);
    expect(o.error).toContain(`readMat: ${p}: variable 1 (byte 128) 'A': (40960, 1024) values; readMat reads at most 33554432 per file`);
    expect(o.peakMiB).toBeLessThan(values / 2 ** 20 + MEMORY_MIB);  // the inflated bytes it declared, no more
    expect(o.ms).toBeLessThan(TIME_MS);
  });

  test('devices, a FIFO and a file over the 2 GiB limit', async () => {
    for (const [p, what] of [['/dev/zero', 'a character device'], [path.join(dir, 'fifo'), 'a FIFO (named pipe)']]) {
      expectRefused(await measure(`datasets.readMat(${q(p)})`), `readMat: ${p} is ${what}, not a regular file`);
      expectRefused(await measure(`datasets.loadFootballDataset(${q(p)})`), `readMat: ${p} is ${what}, not a regular file`);
    }
    const big = sparseFile(path.join(dir, 'big.mat'), 3 * GiB);
    expectRefused(await measure(`datasets.readMat(${q(big)})`), `readMat: ${big} is 3.00 GiB, more than the 2.00 GiB this reader takes`);
    fs.rmSync(big);
  });
});

describe('CSV and HDF5 files', () => {
  test('loadCsv: devices and a FIFO are refused before reading; a file over 256 GiB too', async () => {
    for (const [p, what] of [['/dev/zero', 'a character device'], ['/dev/urandom', 'a character device'],
      [path.join(dir, 'fifo'), 'a FIFO (named pipe)']]) {
      expectRefused(await measure(`datasets.loadCsv(${q(p)})`), `loadCsv: ${p} is ${what}, not a regular file; refusing to read it`);
    }
    const big = sparseFile(path.join(dir, 'big.csv'), 300 * GiB);
    expectRefused(await measure(`datasets.loadCsv(${q(big)})`), `loadCsv: ${big} is 300.00 GiB, more than the 256.00 GiB this reader takes`);
    fs.rmSync(big);
  });

  test('loadCatDataset: a FIFO or a device in place of an .h5 file', async () => {
    const cat = path.join(dir, 'cat');
    fs.mkdirSync(cat);
    execFileSync('mkfifo', [path.join(cat, 'train_catvnoncat.h5')]);
    expectRefused(await measure(`datasets.loadCatDataset(${q(cat)})`),
      `loadCatDataset: ${path.join(cat, 'train_catvnoncat.h5')} is a FIFO (named pipe), not a regular file`);
    fs.rmSync(path.join(cat, 'train_catvnoncat.h5'));
    fs.symlinkSync('/dev/urandom', path.join(cat, 'train_catvnoncat.h5'));
    expectRefused(await measure(`datasets.loadCatDataset(${q(cat)})`),
      `loadCatDataset: ${path.join(cat, 'train_catvnoncat.h5')} is a character device, not a regular file`);
  });

  test('400 mutated .h5 files: every error names the file (none a bare DataView or TypeError message)', async () => {
    const MUTANTS = 400;
    const cat = path.join(dir, 'mutants');
    fs.mkdirSync(cat);
    fs.copyFileSync(path.join(DATASETS, 'test_catvnoncat.h5'), path.join(cat, 'test_catvnoncat.h5'));
    const target = path.join(cat, 'train_catvnoncat.h5');
    // One child runs all the mutants; the file names in its messages are checked here.
    const script = `
      const fs = require('fs');
      const { rng } = require(${q(path.join(__dirname, 'fuzz', 'fuzzer'))});
      const good = fs.readFileSync(${q(path.join(DATASETS, 'train_catvnoncat.h5'))});
      const out = { loaded: 0, errors: [] };
      for (let i = 0; i < ${MUTANTS}; i++) {
        const r = rng(1000 + i);
        let b = Buffer.from(good);
        switch (i % 4) {
          case 0: b = b.subarray(0, r.int(b.length)); break;  // truncated
          case 1: for (let k = 0; k < 1 + r.int(8); k++) b[r.int(4096)] ^= 1 << r.int(8); break;  // superblock, headers
          case 2: for (let k = 0; k < 1 + r.int(8); k++) b[r.int(b.length)] = r.int(256); break;  // anywhere
          default: { const at = r.int(2048); for (let k = 0; k < 8; k++) b[at + k] = 0xff; }  // an address set to -1
        }
        fs.writeFileSync(${q(target)}, b);
        try { datasets.loadCatDataset(${q(cat)}); out.loaded++; }
        catch (err) { out.errors.push(err instanceof Error ? err.message : 'non-Error: ' + String(err)); }
      }
      throw new Error(JSON.stringify(out));`;
    const o = await measure(script, 300000);
    const { loaded, errors } = JSON.parse(o.error!) as { loaded: number; errors: string[] };
    expect(loaded + errors.length).toBe(MUTANTS);
    expect(errors.length).toBeGreaterThan(MUTANTS / 4);
    for (const message of errors) expect(message).toMatch(new RegExp(`^loadCatDataset: ${target.replace(/[.]/g, '\\.')}`));
    expect(o.peakMiB).toBeLessThan(512);  // the dataset itself is ~100 MB as JS arrays; no mutant may multiply it
  }, 320000);
});
