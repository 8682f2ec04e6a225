// The safetensors file format (https://github.com/huggingface/safetensors):
//   8 bytes   N, the header length (unsigned 64-bit little-endian)
//   N bytes   a JSON header: { "__metadata__": { string: string },
//                              name: { dtype, shape, data_offsets: [begin, end] }, ... }
//   the rest  the tensors' bytes, little-endian, offsets relative to this buffer,
//             covering it exactly (no holes, no overlaps)
// Reading validates every length, offset, shape and dtype against the file
// size before it allocates anything, so a truncated, corrupted or hostile file
// gives a clear error, never a crash or a huge allocation. The header is
// scanned before JSON.parse builds anything from it: at most MAX_HEADER bytes,
// MAX_DEPTH levels of nesting and MAX_ENTRIES names (tensors and metadata keys).

export type TensorDType = 'F64' | 'F32' | 'U32';

export interface Tensor {
  dtype: TensorDType;
  shape: number[];
  data: Float64Array | Float32Array | Uint32Array;
}

export interface SafetensorsFile {
  metadata: Record<string, string>;
  tensors: Map<string, Tensor>;
}

const BYTES: Record<TensorDType, number> = { F64: 8, F32: 4, U32: 4 };
/** Caps on the JSON header. deepnet's own take a few KiB, nest 3 deep and hold 8 names per layer (4 per tensor). */
export const MAX_HEADER = 8 * 2 ** 20;
export const MAX_DEPTH = 8;
export const MAX_ENTRIES = 20000;

/** A file is not valid safetensors (truncated, corrupted, hostile): the message says what and where. */
export class SafetensorsError extends Error {
  /** Always 'SafetensorsError'. */
  override readonly name = 'SafetensorsError';
}

/** Serializes tensors (in the given order) and string metadata. */
export function encode(tensors: [string, Tensor][], metadata: Record<string, string>): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const bytes = t.data.length * BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);  // tensors start 8-byte aligned
  const head = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + head.length + offset);
  out.writeBigUInt64LE(BigInt(head.length), 0);
  head.copy(out, 8);
  let at = 8 + head.length;
  for (const [, t] of tensors) {
    const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    bytes.copy(out, at);  // typed arrays are little-endian on every platform Node supports
    at += bytes.length;
  }
  return out;
}

/**
 * Why the JSON text bytes[begin, end) is past the caps (nested deeper than
 * MAX_DEPTH, more than MAX_ENTRIES names), or null. Counts outside strings
 * only; malformed JSON is left for JSON.parse to report.
 */
function scanHeader(bytes: Uint8Array, begin: number, end: number): string | null {
  let depth = 0;
  let names = 0;
  for (let i = begin; i < end; i++) {
    const c = bytes[i];
    if (c === 0x22) {  // a string: skip to its closing quote
      for (i++; i < end && bytes[i] !== 0x22; i++) if (bytes[i] === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {  // { [
      if (++depth > MAX_DEPTH) return `the header nests deeper than ${MAX_DEPTH} levels (byte ${i - begin})`;
    } else if (c === 0x7d || c === 0x5d) {  // } ]
      depth--;
    } else if (c === 0x3a && ++names > MAX_ENTRIES) {  // :
      return `the header has more than ${MAX_ENTRIES} names (tensors and metadata)`;
    }
  }
  return null;
}

/**
 * The header length in the first 8 bytes of a file of `size` bytes (`head`
 * may hold just those 8): checked against the size and MAX_HEADER, so a file
 * can be refused before the rest of it is read.
 */
export function headerLength(head: Uint8Array, size: number, file: string): number {
  const fail = (why: string): never => {
    throw new SafetensorsError(`${file}: not a valid safetensors file: ${why}`);
  };
  if (size < 8 || head.length < 8) fail(`${size} bytes is shorter than the 8-byte header length`);
  const n = Buffer.from(head.buffer, head.byteOffset, 8).readBigUInt64LE(0);
  if (n > BigInt(size - 8)) fail(`the header length ${n} runs past the end of the file (${size} bytes)`);
  if (n > BigInt(MAX_HEADER)) fail(`the header length ${n} exceeds ${MAX_HEADER} bytes`);
  return Number(n);
}

/** Parses and validates a safetensors image; `file` names it in errors. */
export function decode(bytes: Buffer, file: string): SafetensorsFile {
  const fail = (why: string): never => {
    throw new SafetensorsError(`${file}: not a valid safetensors file: ${why}`);
  };
  const headerEnd = 8 + headerLength(bytes, bytes.length, file);
  const shapeError = scanHeader(bytes, 8, headerEnd);
  if (shapeError) fail(shapeError);
  let header: unknown;
  try {
    header = JSON.parse(bytes.subarray(8, headerEnd).toString('utf8'));
  } catch (err) {
    fail(`the header is not JSON (${(err as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('the header is not a JSON object');
  const entries = header as Record<string, unknown>;
  const bufferLength = bytes.length - headerEnd;
  const metadata: Record<string, string> = Object.create(null);
  const spans: [number, number, string][] = [];
  const tensors = new Map<string, Tensor>();
  for (const [name, value] of Object.entries(entries)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(value as object)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const t = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (t === null || typeof t !== 'object') fail(`tensor ${name} is not an object`);
    if (t.dtype !== 'F64' && t.dtype !== 'F32' && t.dtype !== 'U32') {
      fail(`tensor ${name} has dtype ${JSON.stringify(t.dtype)} (deepnet reads F64, F32 and U32)`);
    }
    const dtype = t.dtype as TensorDType;
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`tensor ${name} has a malformed shape ${JSON.stringify(t.shape)}`);
    }
    const shape = t.shape as number[];
    const offsets = t.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      fail(`tensor ${name} has malformed data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    if (begin > end || end > bufferLength) {
      fail(`tensor ${name} spans bytes [${begin}, ${end}) outside the ${bufferLength}-byte data buffer`);
    }
    const count = shape.reduce((a, d) => a * d, 1);
    if (count * BYTES[dtype] !== end - begin) {
      fail(`tensor ${name} of shape [${shape}] and dtype ${dtype} needs ${count * BYTES[dtype]} bytes, its offsets hold ${end - begin}`);
    }
    if (begin % BYTES[dtype] !== 0) fail(`tensor ${name} starts at byte ${begin}, not a multiple of ${BYTES[dtype]}`);
    spans.push([begin, end, name]);
    tensors.set(name, { dtype, shape, data: new Float64Array(0) });
  }
  spans.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== covered) fail(begin < covered ? `tensor ${name} overlaps another tensor` : `a hole before tensor ${name}`);
    covered = end;
  }
  if (covered !== bufferLength) fail(`${bufferLength - covered} bytes after the last tensor are not indexed`);
  // Every check passed: copy each tensor out (aligned, and independent of the file buffer).
  for (const [begin, end, name] of spans) {
    const t = tensors.get(name)!;
    const raw = bytes.subarray(headerEnd + begin, headerEnd + end);
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    t.data = t.dtype === 'F64' ? new Float64Array(copy.buffer) : t.dtype === 'F32' ? new Float32Array(copy.buffer) : new Uint32Array(copy.buffer);
  }
  return { metadata, tensors };
}

// The atomic writer lived here before it served every file deepnet writes; kept importable from here.
export { writeFileAtomic } from './atomic';
