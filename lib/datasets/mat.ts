// A MATLAB v5 MAT-file reader (the format of the course's data.mat, also
// MATLAB's default v7 with compression): the 128-byte header, data elements
// (tag = type + byte count, or the 4-byte "small data element" form),
// zlib-compressed elements, and numeric 2-D arrays (their real part).
// Every count is checked against the bytes that hold it before anything is
// read or allocated, so a truncated or corrupt file gives an Error naming
// the file and the defect, never a RangeError from a DataView or a huge array.
// A compressed variable inflates to at most the size its own tag declares,
// and a whole file to at most MAX_INFLATED bytes and MAX_VALUES values, so a
// zip bomb stops there.
import * as zlib from 'node:zlib';
import { FILE_LIMITS, readRegularFile } from '../io/regularFile';
import { allocate } from '../matrix';
import { checkMemory } from '../memory';

/** A MATLAB numeric class, as readMat reports a variable's. */
export type MatClass =
  'double' | 'single' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';

/** A numeric variable of a .mat file, as a float64 matrix. */
export interface MatArray {
  /** The variable's MATLAB class (its values are converted to float64). */
  className: MatClass;
  /** (rows, cols). */
  shape: [number, number];
  /** The real part, row-major (MATLAB stores column-major); int64 beyond ±2^53 is rounded. */
  data: Float64Array;
}

const miINT8 = 1;
const miUINT32 = 6;
const miINT32 = 5;
const miMATRIX = 14;
const miCOMPRESSED = 15;

/** The most a file's compressed variables may inflate to, together (bytes). */
export const MAX_INFLATED = 256 * 2 ** 20;
/** The most values a file's numeric variables may hold, together (256 MiB as float64). */
export const MAX_VALUES = 2 ** 25;
/** Compressed bytes inflated first, for the tag (the first 8 bytes out need far fewer). */
const HEAD = 4096;

type Getter = (view: DataView, offset: number, littleEndian: boolean) => number;

/** Storage types a numeric array's values may be written in (MATLAB narrows them, e.g. double as uint8). */
const STORAGE: Record<number, { size: number; get: Getter }> = {
  1: { size: 1, get: (v, o) => v.getInt8(o) },
  2: { size: 1, get: (v, o) => v.getUint8(o) },
  3: { size: 2, get: (v, o, le) => v.getInt16(o, le) },
  4: { size: 2, get: (v, o, le) => v.getUint16(o, le) },
  5: { size: 4, get: (v, o, le) => v.getInt32(o, le) },
  6: { size: 4, get: (v, o, le) => v.getUint32(o, le) },
  7: { size: 4, get: (v, o, le) => v.getFloat32(o, le) },
  9: { size: 8, get: (v, o, le) => v.getFloat64(o, le) },
  12: { size: 8, get: (v, o, le) => Number(v.getBigInt64(o, le)) },
  13: { size: 8, get: (v, o, le) => Number(v.getBigUint64(o, le)) },
};

const NUMERIC_CLASSES: Record<number, MatClass> = {
  6: 'double', 7: 'single', 8: 'int8', 9: 'uint8', 10: 'int16', 11: 'uint16',
  12: 'int32', 13: 'uint32', 14: 'int64', 15: 'uint64',
};

/** cell, struct, object, char, sparse, function handle, opaque: valid, but not read. */
const OTHER_CLASSES = new Set([1, 2, 3, 4, 5, 16, 17]);

/**
 * The numeric 2-D variables of a MATLAB v5/v7 MAT-file, by name. Variables of
 * other classes (char, cell, struct, sparse, ...) and N-D arrays are skipped.
 */
export function readMat(file: string): Record<string, MatArray> {
  if (typeof file !== 'string') throw new TypeError(`readMat: file must be a path string; received ${typeof file}`);
  return parseMat(readRegularFile('readMat', file, FILE_LIMITS.mat), file);
}

/** readMat for a file already in memory; `label` names it in errors. */
export function parseMat(bytes: Uint8Array, label = 'the MAT-file buffer'): Record<string, MatArray> {
  const fail = (what: string): never => {
    throw new Error(`readMat: ${label}: ${what}`);
  };
  if (bytes.length < 128) fail(`too short for a MAT-file (${bytes.length} bytes; the header alone is 128)`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, 116).toString('latin1');
  if (!text.startsWith('MATLAB 5.0 MAT-file')) {
    fail(`not a MATLAB 5.0 MAT-file (the header text starts ${JSON.stringify(text.slice(0, 24))}; ` +
      'v7.3 files are HDF5 and v4 files have no text header)');
  }
  const endian = String.fromCharCode(bytes[126], bytes[127]);
  if (endian !== 'IM' && endian !== 'MI') fail(`bad endian indicator ${JSON.stringify(endian)} (expected "IM" or "MI")`);
  const le = endian === 'IM';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(124, le);
  if (version !== 0x0100) fail(`unsupported version 0x${version.toString(16)} (expected 0x0100)`);

  const vars: Record<string, MatArray> = Object.create(null);
  const budget = { inflated: MAX_INFLATED, values: MAX_VALUES };
  for (let offset = 128, index = 1; offset < bytes.length; index++) {
    const where = `variable ${index} (byte ${offset})`;
    const el = readTag(view, offset, bytes.length, le, where, fail);
    let matrix: { view: DataView; start: number; length: number };
    if (el.type === miCOMPRESSED) {
      const inflated = inflateVariable(bytes.subarray(el.start, el.start + el.length), le, budget, where, fail);
      const inner = new DataView(inflated.buffer, inflated.byteOffset, inflated.byteLength);
      const m = readTag(inner, 0, inflated.length, le, `${where}, decompressed`, fail);
      if (m.type !== miMATRIX) fail(`${where}: the compressed element holds type ${m.type}, not miMATRIX (14)`);
      matrix = { view: inner, start: m.start, length: m.length };
    } else if (el.type === miMATRIX) {
      matrix = { view, start: el.start, length: el.length };
    } else {
      return fail(`${where}: unexpected element type ${el.type} (expected miMATRIX 14 or miCOMPRESSED 15)`);
    }
    const variable = readMatrix(matrix.view, matrix.start, matrix.length, le, budget, where, fail);
    if (variable.array) vars[variable.name] = variable.array;
    offset = el.end;
  }
  return vars;
}

/** What is left of a file's allowance (MAX_INFLATED, MAX_VALUES). */
interface Budget {
  inflated: number;
  values: number;
}

/**
 * A compressed element's data, inflated: first its head, for the tag of the
 * miMATRIX inside, then the whole, stopping at the size that tag declares.
 */
function inflateVariable(compressed: Uint8Array, le: boolean, budget: Budget, where: string,
  fail: (what: string) => never): Buffer {
  const zlibError = (err: unknown): never => fail(`${where}: corrupt compressed data (zlib: ${(err as Error).message})`);
  let head: Buffer;
  try {
    // A prefix, flushed without its end: at most ~1000 times its size comes out.
    head = zlib.inflateSync(compressed.subarray(0, HEAD), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch (err) {
    return zlibError(err);
  }
  if (head.length < 8) fail(`${where}: the compressed data does not start with an element tag`);
  const declared = 8 + Math.ceil((le ? head.readUInt32LE(4) : head.readUInt32BE(4)) / 8) * 8;
  if (declared > budget.inflated) {
    fail(`${where}: the compressed variable declares ${declared} bytes; readMat inflates at most ${MAX_INFLATED} ` +
      `per file (${budget.inflated} left)`);
  }
  budget.inflated -= declared;
  checkMemory('readMat', `${where}, inflated`, declared);
  try {
    return zlib.inflateSync(compressed, { maxOutputLength: declared });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return fail(`${where}: the compressed data inflates to more than the ${declared} bytes its tag declares`);
    }
    return zlibError(err);
  }
}

interface Element {
  type: number;
  /** Offset of the element's data and its byte count. */
  start: number;
  length: number;
  /** Offset of the next element (data padded to 8 bytes, except compressed data). */
  end: number;
}

function readTag(view: DataView, offset: number, limit: number, le: boolean, where: string,
  fail: (what: string) => never): Element {
  if (limit - offset < 8) fail(`${where}: truncated: an element tag needs 8 bytes, ${limit - offset} remain`);
  const word = view.getUint32(offset, le);
  // Small data element: 2-byte count and 2-byte type packed in one word, data in the next 4 bytes.
  if (word >>> 16 !== 0) {
    const length = word >>> 16;
    if (length > 4) fail(`${where}: small data element of ${length} bytes (at most 4)`);
    return { type: word & 0xffff, start: offset + 4, length, end: offset + 8 };
  }
  const length = view.getUint32(offset + 4, le);
  const available = limit - offset - 8;
  if (length > available) {
    fail(`${where}: truncated or corrupt: an element of type ${word} declares ${length} bytes, ${available} remain`);
  }
  const padded = word === miCOMPRESSED ? length : Math.ceil(length / 8) * 8;
  return { type: word, start: offset + 8, length, end: offset + 8 + Math.min(padded, available) };
}

/** An miMATRIX's name and, for a numeric 2-D array, its values (null for what readMat skips). */
function readMatrix(view: DataView, start: number, length: number, le: boolean, budget: Budget, where: string,
  fail: (what: string) => never): { name: string; array: MatArray | null } {
  const limit = start + length;
  const sub = (offset: number, what: string, type: number | null): Element => {
    const el = readTag(view, offset, limit, le, `${where}, ${what}`, fail);
    if (type !== null && el.type !== type) fail(`${where}: ${what} has element type ${el.type}, expected ${type}`);
    return el;
  };
  const flags = sub(start, 'array flags', miUINT32);
  if (flags.length !== 8) fail(`${where}: array flags are ${flags.length} bytes, expected 8`);
  const classId = view.getUint32(flags.start, le) & 0xff;
  const dims = sub(flags.end, 'dimensions', miINT32);
  if (dims.length < 8 || dims.length % 4 !== 0) fail(`${where}: dimensions take ${dims.length} bytes (expected 2 or more int32)`);
  const shape: number[] = [];
  for (let o = dims.start; o < dims.start + dims.length; o += 4) shape.push(view.getInt32(o, le));
  if (shape.some((d) => d < 0)) fail(`${where}: negative dimension in (${shape.join(', ')})`);
  const nameEl = sub(dims.end, 'array name', miINT8);
  const name = Buffer.from(view.buffer, view.byteOffset + nameEl.start, nameEl.length).toString('latin1');
  const what = `${where} '${name}'`;
  if (OTHER_CLASSES.has(classId) || shape.length > 2) return { name, array: null };
  const className = NUMERIC_CLASSES[classId];
  if (className === undefined) fail(`${what}: unknown array class ${classId}`);
  const real = sub(nameEl.end, 'real part', null);
  const storage = STORAGE[real.type];
  if (storage === undefined) fail(`${what}: real part has element type ${real.type}, which is not numeric`);
  const [rows, cols] = shape;
  if (real.length !== rows * cols * storage.size) {
    fail(`${what}: real part holds ${real.length} bytes, but (${rows}, ${cols}) of ${storage.size}-byte values ` +
      `take ${rows * cols * storage.size}`);
  }
  if (rows * cols > budget.values) {
    fail(`${what}: (${rows}, ${cols}) values; readMat reads at most ${MAX_VALUES} per file (${budget.values} left)`);
  }
  budget.values -= rows * cols;
  // Column-major in the file: element (i, j) is value j*rows + i.
  const data = allocate('float64', rows * cols, 'readMat') as Float64Array;
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) {
      data[i * cols + j] = storage.get(view, real.start + (j * rows + i) * storage.size, le);
    }
  }
  return { name, array: { className, shape: [rows, cols], data } };
}
