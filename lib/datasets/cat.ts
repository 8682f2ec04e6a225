// The course's cat / non-cat images (train_catvnoncat.h5, test_catvnoncat.h5),
// read with jsfive (a maintained pure-JS HDF5 reader) and preprocessed as the
// course's load_data + notebook: each 64x64x3 image flattened in stored
// (row, col, channel) order into one column, divided by 255.
import * as path from 'path';
import { FILE_LIMITS, readRegularFile } from '../io/regularFile';
import { allocate, Matrix } from '../matrix';
import { requireOptional } from '../optional';

const WHERE = 'loadCatDataset';
/** The class names a file may list (the course's: 2). */
const MAX_CLASSES = 1024;
/** How many times its file size a dataset's values may take (HDF5 may compress them). */
const MAX_EXPANSION = 64;

/** One split of a dataset: X (features, m) and Y (1, m), examples as columns. */
export interface Split {
  /** (features, m): one example per column. */
  X: Matrix<Float64Array>;
  /** (1, m): the labels. */
  Y: Matrix<Float64Array>;
}

/** The course's cat / non-cat images, preprocessed as its notebook does. */
export interface CatDataset {
  /** The 209 training images: X (12288, 209). */
  train: Split;
  /** The 50 test images: X (12288, 50). */
  test: Split;
  /** The class names, index = label: ['non-cat', 'cat']. */
  classes: string[];
}

// jsfive (an optional dependency, loaded on first use) ships CommonJS without type declarations.
interface Hdf5 {
  File: new (buffer: ArrayBuffer, name: string) => {
    keys: string[];
    get(key: string): { shape: number[]; value: ArrayLike<number | string> };
  };
}

function readSplit(file: string, split: 'train' | 'test'): { split: Split; classes: string[] } {
  const hdf5 = requireOptional<Hdf5>(WHERE, 'jsfive');
  const bytes = readRegularFile(WHERE, file, FILE_LIMITS.hdf5);
  try {
    return decodeSplit(hdf5, file, split, bytes);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith(`${WHERE}: `)) throw err;
    // jsfive reads lazily and fails in many ways on a damaged file: a DataView RangeError, a
    // TypeError from a structure it misread, or a bare string it throws.
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${WHERE}: ${file} is not a readable HDF5 file (${reason.slice(0, 200)})`);
  }
}

function decodeSplit(hdf5: Hdf5, file: string, split: 'train' | 'test', bytes: Buffer): { split: Split; classes: string[] } {
  const h5 = new hdf5.File(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, file);
  const need = [`${split}_set_x`, `${split}_set_y`, 'list_classes'];
  const missing = need.filter((k) => !h5.keys.includes(k));
  if (missing.length > 0) {
    throw new Error(`${WHERE}: ${file} lacks the dataset(s) ${missing.join(', ')} (has: ${h5.keys.join(', ')})`);
  }
  const x = h5.get(`${split}_set_x`);
  const y = h5.get(`${split}_set_y`);
  const classList = h5.get('list_classes');
  // Shapes are checked before any .value: jsfive builds a dataset's whole value at once, so a
  // damaged shape (list_classes of 4294967042 strings) would exhaust the heap.
  const count = (name: string, shape: unknown, max: number): number => {
    const dims = Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0) ? shape as number[] : null;
    const n = dims ? dims.reduce((a, d) => a * d, 1) : Infinity;
    if (!(n <= max)) throw new Error(`${WHERE}: ${file}: dataset ${name} has shape (${String(shape)}): more than the ${max} values it may hold`);
    return n;
  };
  count(`${split}_set_x`, x.shape, MAX_EXPANSION * bytes.length);
  count(`${split}_set_y`, y.shape, MAX_EXPANSION * bytes.length);
  count('list_classes', classList.shape, MAX_CLASSES);
  const [m, ...image] = x.shape;
  const nx = image.reduce((a, b) => a * b, 1);
  if (x.shape.length !== 4 || y.shape.length !== 1 || y.shape[0] !== m) {
    throw new Error(`${WHERE}: ${file}: expected ${split}_set_x (m, 64, 64, 3) and ${split}_set_y (m,); ` +
      `found (${x.shape.join(', ')}) and (${y.shape.join(', ')})`);
  }
  const pixels = x.value;
  const labels = y.value;
  if (pixels.length !== nx * m || labels.length !== m) {
    throw new Error(`${WHERE}: ${file}: ${split}_set_x holds ${pixels.length} values and ${split}_set_y ${labels.length}; ` +
      `their shapes need ${nx * m} and ${m}`);
  }
  const X = allocate('float64', nx * m, WHERE) as Float64Array;
  // Image i is bytes [i*nx, (i+1)*nx): it becomes column i of X (nx, m).
  for (let i = 0; i < m; i++) {
    for (let f = 0; f < nx; f++) X[f * m + i] = (pixels[i * nx + f] as number) / 255;
  }
  const Y = Float64Array.from(labels as ArrayLike<number>);
  const classes = Array.from(classList.value as ArrayLike<string>, (s) => String(s).replace(/\0+$/, ''));
  return { split: { X: { shape: [nx, m], data: X }, Y: { shape: [1, m], data: Y } }, classes };
}

/** Loads train_catvnoncat.h5 and test_catvnoncat.h5 from `dir`. */
export function loadCatDataset(dir: string): CatDataset {
  if (typeof dir !== 'string') throw new TypeError(`loadCatDataset: dir must be a directory path string; received ${typeof dir}`);
  const train = readSplit(path.join(dir, 'train_catvnoncat.h5'), 'train');
  const test = readSplit(path.join(dir, 'test_catvnoncat.h5'), 'test');
  return { train: train.split, test: test.split, classes: train.classes };
}
