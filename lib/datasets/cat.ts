// The course's cat / non-cat images (train_catvnoncat.h5, test_catvnoncat.h5),
// read with jsfive (a maintained pure-JS HDF5 reader) and preprocessed as the
// course's load_data + notebook: each 64x64x3 image flattened in stored
// (row, col, channel) order into one column, divided by 255.
import * as fs from 'fs';
import * as path from 'path';
import { Matrix } from '../matrix';
import { requireOptional } from '../optional';

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
  const hdf5 = requireOptional<Hdf5>('loadCatDataset', 'jsfive');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`loadCatDataset: cannot read ${file}: ${(err as Error).message}`);
  }
  let h5: InstanceType<Hdf5['File']>;
  try {
    h5 = new hdf5.File(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, file);
  } catch (err) {
    throw new Error(`loadCatDataset: ${file} is not a readable HDF5 file (${(err as Error).message})`);
  }
  const need = [`${split}_set_x`, `${split}_set_y`, 'list_classes'];
  const missing = need.filter((k) => !h5.keys.includes(k));
  if (missing.length > 0) {
    throw new Error(`loadCatDataset: ${file} lacks the dataset(s) ${missing.join(', ')} (has: ${h5.keys.join(', ')})`);
  }
  const x = h5.get(`${split}_set_x`);
  const y = h5.get(`${split}_set_y`);
  const [m, ...image] = x.shape;
  const nx = image.reduce((a, b) => a * b, 1);
  if (x.shape.length !== 4 || y.shape.length !== 1 || y.shape[0] !== m) {
    throw new Error(`loadCatDataset: ${file}: expected ${split}_set_x (m, 64, 64, 3) and ${split}_set_y (m,); ` +
      `found (${x.shape.join(', ')}) and (${y.shape.join(', ')})`);
  }
  const X = new Float64Array(nx * m);
  const pixels = x.value;
  // Image i is bytes [i*nx, (i+1)*nx): it becomes column i of X (nx, m).
  for (let i = 0; i < m; i++) {
    for (let f = 0; f < nx; f++) X[f * m + i] = (pixels[i * nx + f] as number) / 255;
  }
  const Y = Float64Array.from(y.value as ArrayLike<number>);
  const classes = Array.from(h5.get('list_classes').value as ArrayLike<string>, (s) => String(s).replace(/\0+$/, ''));
  return { split: { X: { shape: [nx, m], data: X }, Y: { shape: [1, m], data: Y } }, classes };
}

/** Loads train_catvnoncat.h5 and test_catvnoncat.h5 from `dir`. */
export function loadCatDataset(dir: string): CatDataset {
  if (typeof dir !== 'string') throw new TypeError(`loadCatDataset: dir must be a directory path string; received ${typeof dir}`);
  const train = readSplit(path.join(dir, 'train_catvnoncat.h5'), 'train');
  const test = readSplit(path.join(dir, 'test_catvnoncat.h5'), 'test');
  return { train: train.split, test: test.split, classes: train.classes };
}
