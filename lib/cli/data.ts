// Where a command's data comes from: a file (CSV, the course's data.mat, a
// directory holding the cat .h5 files) or a dataset deepnet generates.
import * as fs from 'fs';
import * as path from 'path';
import * as datasets from '../datasets';
import { Split } from '../datasets/cat';
import { CsvLabels } from '../datasets/csv';
import { UsageError } from './usage';

export const GENERATED = ['circles', 'moons', 'flower', 'football'] as const;
export type Generated = typeof GENERATED[number];

export interface Data {
  train: Split;
  test?: Split;
  /** How to describe it in logs and reports. */
  name: string;
  /** Class labels 0..K-1: K (CSV with labels 'classes'). */
  numClasses?: number;
}

/**
 * Reads --data FILE: .csv, .mat (X, y, Xval, yval as the course's data.mat) or
 * a directory with the cat .h5 files. `labels`: what a CSV's label column
 * holds (0/1, class labels 0..K-1, or real values); the others hold 0/1.
 */
export function readDataFile(command: string, file: string, labels: CsvLabels = 'binary'): Data {
  if (!fs.existsSync(file)) throw new UsageError(`deepnet ${command}: --data ${file} does not exist`);
  if (fs.statSync(file).isDirectory()) {
    const cat = datasets.loadCatDataset(file);
    return { train: cat.train, test: cat.test, name: `cat/non-cat images in ${file}` };
  }
  switch (path.extname(file).toLowerCase()) {
    case '.csv': {
      const csv = datasets.loadCsv(file, { labels });
      return { train: { X: csv.X, Y: csv.Y }, name: file, ...(labels === 'classes' ? { numClasses: csv.numClasses } : {}) };
    }
    case '.mat': {
      const football = datasets.loadFootballDataset(file);
      return { train: football.train, test: football.test, name: file };
    }
    default:
      throw new UsageError(`deepnet ${command}: --data ${file}: expected a .csv file, a .mat file or a directory with train_catvnoncat.h5 and test_catvnoncat.h5`);
  }
}

/** A generated dataset: train and test drawn from seeds `seed` and `seed + 1`. */
export function generate(name: Generated, samples: number | undefined, noise: number | undefined, seed: number): Data {
  const make = (s: number, n?: number): Split => {
    switch (name) {
      case 'circles': return datasets.makeCircles({ nSamples: n ?? 300, noise: noise ?? 0.05, seed: s });
      case 'moons': return datasets.makeMoons({ nSamples: n ?? 300, noise: noise ?? 0.2, seed: s });
      case 'flower': return datasets.makePlanarFlower({ m: n ?? 400, seed: s });
      case 'football': return datasets.makeFootball({ nSamples: n ?? 211, seed: s });
    }
  };
  return { train: make(seed, samples), test: make(seed + 1, samples), name: `${name} (generated, seed ${seed})` };
}
