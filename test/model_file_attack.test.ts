// Model files under attack: mutated files only ever give clear errors (and no
// allocation beyond the file's size), and a process killed in the middle of
// save() leaves a loadable file: the previous one or the new one.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Model } from '../lib';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { rng } = require('./fuzz/fuzzer');

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deepnet-attack-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const FILES = 600;

test(`${FILES} truncated, bit-flipped and rewritten model files give clear errors`, () => {
  const file = path.join(dir, 'good.safetensors');
  new Model({ layers: [3, 5, 2, 1], dtype: 'float32' }).save(file);
  const good = fs.readFileSync(file);
  const headerLength = Number(good.readBigUInt64LE(0));
  const r = rng(7);
  const outcomes = { loaded: 0, refused: 0 };
  const messages = new Set<string>();
  const target = path.join(dir, 'mutant.safetensors');
  for (let i = 0; i < FILES; i++) {
    let bytes = Buffer.from(good);
    switch (i % 5) {
      case 0: bytes = bytes.subarray(0, r.int(bytes.length)); break;  // truncated
      case 1: for (let k = 0; k < 1 + r.int(4); k++) bytes[r.int(bytes.length)] ^= 1 << r.int(8); break;  // flipped bits
      case 2: for (let k = 0; k < 1 + r.int(4); k++) bytes[8 + r.int(headerLength)] = r.int(256); break;  // header bytes
      case 3: bytes.writeBigUInt64LE(BigInt(r.pick([0, 1, headerLength - 1, headerLength + 1, bytes.length, 2 ** 40, 2 ** 63])), 0); break;
      default: {  // a header rewritten with hostile values
        const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString());
        const name = r.pick(['W1', 'b1', 'W2', 'b3']);
        const field = r.pick(['dtype', 'shape', 'data_offsets']);
        header[name][field] = r.pick([[0, 2 ** 52], [-8, 0], [2 ** 31, 2 ** 31, 2 ** 31], 'I64', 'F16', [1e9, 1e9], null, [3], 'x']);
        const json = Buffer.from(JSON.stringify(header));
        const len = Buffer.alloc(8);
        len.writeBigUInt64LE(BigInt(json.length));
        bytes = Buffer.concat([len, json, bytes.subarray(8 + headerLength)]);
      }
    }
    fs.writeFileSync(target, bytes);
    const before = process.memoryUsage().arrayBuffers;
    try {
      Model.load(target);
      outcomes.loaded++;  // a flip inside a weight's bytes may still be a valid file
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      const message = (err as Error).message;
      expect(message).toMatch(/^(Model\.load: )?.*mutant\.safetensors/);
      messages.add(message.replace(/\d+/g, 'N').slice(0, 80));
      outcomes.refused++;
    }
    // Nothing beyond the file's size (plus the model) was allocated for it.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * bytes.length + (1 << 20));
  }
  expect(outcomes.refused).toBeGreaterThan(FILES / 2);
  expect(messages.size).toBeGreaterThan(5);  // many distinct, specific reasons
});

test('a process killed in the middle of save() leaves the previous file intact', async () => {
  const file = path.join(dir, 'big.safetensors');
  // An 8 MB model, saved over and over by a child; we kill it at several moments.
  const script = `
    const { Model } = require(${JSON.stringify(path.resolve(__dirname, '..', 'dist'))});
    const model = new Model({ layers: [1000, 1000, 1], seed: Number(process.argv[1]) });
    model.save(${JSON.stringify(file)});
    process.stdout.write('saved\\n');
    for (;;) model.save(${JSON.stringify(file)});`;
  const first = spawn(process.execPath, ['-e', script, '1']);
  await new Promise<void>((resolve) => first.stdout.once('data', () => resolve()));
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const reference = Model.load(file).getParameters().W1.data.slice(0, 1000);
  const seed2 = new Model({ layers: [1000, 1000, 1], seed: 2 }).getParameters().W1.data.slice(0, 1000);
  for (const delay of [5, 23, 57, 131]) {
    const child = spawn(process.execPath, ['-e', script, '2']);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, delay));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // Whatever moment the kill hit, the file is a complete model: seed 1's or seed 2's.
    const w = Model.load(file).getParameters().W1.data.slice(0, 1000);
    expect([Array.from(reference), Array.from(seed2)]).toContainEqual(Array.from(w));
  }
  // Killed writers leave at most their temporary files behind, never a damaged target.
  for (const name of fs.readdirSync(dir)) expect(name === 'big.safetensors' || name.endsWith('.tmp') || name.endsWith('safetensors')).toBe(true);
});
