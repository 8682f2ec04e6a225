// Hostile input files for the readers (issue 15, finding 3), built in the
// test's temporary directory, and a child process that reads one and reports
// its error, its peak memory growth and its time: a reader that allocated
// gigabytes or never finished shows here without taking jest down.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const dist = path.resolve(__dirname, '..', '..', 'dist');

export interface Outcome {
  /** The error's message, or null when the read succeeded. */
  error: string | null;
  /** Peak resident memory over the read, beyond what the process held before it (MiB). */
  peakMiB: number;
  ms: number;
  /** Set when the child had to be killed at the time limit. */
  killed?: boolean;
}

/**
 * Runs `call` (JavaScript with `deepnet` and `datasets` in scope) in a child process
 * (measure_child.js) and measures it; the child is killed after `limitMs`.
 */
export function measure(call: string, limitMs = 60000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'measure_child.js'), dist, call], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ error: null, peakMiB: NaN, ms: limitMs, killed: true });
      else if (code !== 0) reject(new Error(`child exited with ${code ?? signal}: ${err.slice(0, 1000)}`));
      else resolve(JSON.parse(out) as Outcome);
    });
  });
}

/** A safetensors file: the 8-byte length, the header text as given, then `data`. */
export function safetensors(header: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const json = Buffer.from(header);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, data]);
}

/** A sparse file of `bytes` (no disk space used): a file over a reader's size limit. */
export function sparseFile(file: string, bytes: number): string {
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, bytes);
  return file;
}

// MATLAB v5 MAT-files (little-endian): the 128-byte header, then elements.
function tag(type: number, length: number): Buffer {
  const t = Buffer.alloc(8);
  t.writeUInt32LE(type, 0);
  t.writeUInt32LE(length, 4);
  return t;
}

/** The start of an miMATRIX of class double (rows, cols) named 'A', whose real part is `realBytes` of type `storage`. */
export function matrixHead(rows: number, cols: number, storage: number, realBytes: number, declared?: number): Buffer {
  const flags = Buffer.concat([tag(6, 8), Buffer.from([6, 0, 0, 0, 0, 0, 0, 0])]);
  const dims = Buffer.concat([tag(5, 8), Buffer.alloc(8)]);
  dims.writeInt32LE(rows, 8);
  dims.writeInt32LE(cols, 12);
  const name = Buffer.concat([tag(1, 1), Buffer.from('A\0\0\0\0\0\0\0')]);
  const body = Buffer.concat([flags, dims, name, tag(storage, realBytes)]);
  return Buffer.concat([tag(14, declared ?? body.length + Math.ceil(realBytes / 8) * 8), body]);
}

/** deflate(head followed by `zeros` zero bytes), streamed: no buffer of that size is made. */
export async function deflateWithZeros(head: Buffer, zeros: number): Promise<Buffer> {
  const z = zlib.createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  z.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => z.on('end', resolve));
  const block = Buffer.alloc(2 ** 20);
  z.write(head);
  for (let left = zeros; left > 0; left -= block.length) {
    if (!z.write(left >= block.length ? block : block.subarray(0, left))) await new Promise((resolve) => z.once('drain', resolve));
  }
  z.end();
  await ended;
  return Buffer.concat(chunks);
}

/** A MAT-file of compressed elements (each `deflated` as given). */
export function matFile(...deflated: Buffer[]): Buffer {
  const header = Buffer.alloc(128, ' ');
  header.write('MATLAB 5.0 MAT-file, hostile test input', 'latin1');
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  return Buffer.concat([header, ...deflated.flatMap((z) => [tag(15, z.length), z])]);
}
