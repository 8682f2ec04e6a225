// Where a command's data comes from: a file (CSV, the course's data.mat, a
// directory holding the cat .h5 files) or a dataset deepnet generates. CSV
// files are read as --delimiter, --label-column and --no-header say; their
// first line is read first, so a file that does not fit the model (or a label
// column that does not exist) is refused before anything is loaded.
import * as fs from 'fs';
import * as path from 'path';
import * as datasets from '../datasets';
import { Split } from '../datasets/cat';
import { csvColumns, CsvDataset, CsvLabels, CsvOptions } from '../datasets/csv';
import { Matrix } from '../matrix';
import { Flags, UsageError } from './usage';

export const GENERATED = ['circles', 'moons', 'flower', 'football'] as const;
export type Generated = typeof GENERATED[number];

/** The most examples --samples generates (a 2-D toy dataset; its train and test sets take 48 bytes an example). */
export const MAX_SAMPLES = 10_000_000;

/** The flags that say how to read a CSV file (train, predict and evaluate take them). */
export const CSV_FLAGS: Flags = {
  delimiter: { type: 'string' }, 'label-column': { type: 'string' }, 'no-header': { type: 'boolean' },
};

/** The help text of CSV_FLAGS. */
export const CSV_HELP = `  --delimiter C           the CSV's field separator: one character, or tab (default ,)
  --label-column COL      the CSV's label column: a header name or a 0-based index (default:
                          the column named label, y or target, else the last one)
  --no-header             the CSV's first line is data (default: a header when one of its
                          cells is not a number)`;

/** How to read CSV files, from CSV_FLAGS. */
export interface CsvReading {
  delimiter?: string;
  labelColumn?: string;
  header?: false;
}

/** Labeled data: a training set, maybe a test set. */
export interface Data {
  train: Split;
  test?: Split;
  /** How to describe it in logs and reports. */
  name: string;
  /** Class labels 0..K-1: K (CSV with labels 'classes'). */
  numClasses?: number;
  /** The features' names, for a CSV file. */
  featureNames?: string[];
}

/** CSV_FLAGS' values, checked (a delimiter of one character; "tab" and "\t" mean a tab). */
export function csvReading(command: string, a: Record<string, string | boolean | undefined>): CsvReading {
  const out: CsvReading = {};
  if (a.delimiter !== undefined) {
    const d = a.delimiter === 'tab' || a.delimiter === '\\t' ? '\t' : String(a.delimiter);
    if (d.length !== 1 || d.charCodeAt(0) > 127 || '"\r\n'.includes(d)) {
      throw new UsageError(`deepnet ${command}: --delimiter must be one ASCII character (or tab), not a quote; received '${a.delimiter}'`);
    }
    out.delimiter = d;
  }
  if (a['label-column'] !== undefined) {
    if (a['label-column'] === '') throw new UsageError(`deepnet ${command}: --label-column needs a column name or index`);
    out.labelColumn = String(a['label-column']);
  }
  if (a['no-header']) out.header = false;
  return out;
}

function exists(command: string, flag: string, file: string): void {
  if (!fs.existsSync(file)) throw new UsageError(`deepnet ${command}: --${flag} ${file} does not exist`);
}

function refuseCsvFlags(command: string, flag: string, file: string, csv: CsvReading, what: string): void {
  const given = [csv.delimiter !== undefined && '--delimiter', csv.labelColumn !== undefined && '--label-column',
    csv.header === false && '--no-header'].filter(Boolean);
  if (given.length > 0) throw new UsageError(`deepnet ${command}: ${given.join(', ')} appl${given.length > 1 ? 'y' : 'ies'} to CSV files; --${flag} ${file} is ${what}`);
}

/** The CSV's columns and which one holds the labels (as --label-column names it), read from its first line. */
function csvPlan(command: string, flag: string, file: string, csv: CsvReading): { names: string[]; label?: number } {
  const names = csvColumns(file, { delimiter: csv.delimiter ?? ',', header: csv.header ?? 'auto' });
  if (csv.labelColumn === undefined) return { names };
  const byName = names.indexOf(csv.labelColumn);
  const index = /^\d+$/.test(csv.labelColumn) ? Number(csv.labelColumn) : -1;
  const label = byName >= 0 ? byName : index < names.length ? index : -1;
  if (label < 0) {
    throw new UsageError(`deepnet ${command}: --label-column ${csv.labelColumn}: --${flag} ${file} has no such column ` +
      `(its ${names.length} columns: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''})`);
  }
  return { names, label };
}

function loadCsvOptions(csv: CsvReading): Pick<CsvOptions, 'delimiter' | 'header'> {
  return { ...(csv.delimiter === undefined ? {} : { delimiter: csv.delimiter }), ...(csv.header === false ? { header: false } : {}) };
}

/**
 * Labeled data from --`flag` FILE: .csv, .mat (X, y, Xval, yval as the
 * course's data.mat) or a directory with the cat .h5 files. `labels`: what a
 * CSV's label column holds (0/1, class labels 0..K-1, or real values); the
 * others hold 0/1. `features`, when the model is known: the CSV must have
 * that many feature columns besides its labels.
 */
export function readDataFile(command: string, flag: string, file: string, labels: CsvLabels, csv: CsvReading = {},
  features?: number): Data {
  exists(command, flag, file);
  if (fs.statSync(file).isDirectory()) {
    refuseCsvFlags(command, flag, file, csv, 'a directory');
    const cat = datasets.loadCatDataset(file);
    return { train: cat.train, test: cat.test, name: `cat/non-cat images in ${file}` };
  }
  switch (path.extname(file).toLowerCase()) {
    case '.csv': {
      const { names, label } = csvPlan(command, flag, file, csv);
      if (features !== undefined && names.length !== features + 1) {
        throw new UsageError(`deepnet ${command}: --${flag} ${file} has ${names.length} columns; the model takes ${features} ` +
          `features, so a labeled file needs ${features + 1} (the features and a label column)`);
      }
      const data = datasets.loadCsv(file, { ...loadCsvOptions(csv), labels, ...(label === undefined ? {} : { labelColumn: label }) }) as CsvDataset<Float64Array>;
      return { train: { X: data.X, Y: data.Y }, name: file, featureNames: data.featureNames,
        ...(labels === 'classes' ? { numClasses: data.numClasses } : {}) };
    }
    case '.mat': {
      refuseCsvFlags(command, flag, file, csv, 'a .mat file');
      const football = datasets.loadFootballDataset(file);
      return { train: football.train, test: football.test, name: file };
    }
    default:
      throw new UsageError(`deepnet ${command}: --${flag} ${file}: expected a .csv file, a .mat file or a directory with ` +
        'train_catvnoncat.h5 and test_catvnoncat.h5');
  }
}

/**
 * The examples of --`flag` FILE for a model of `features` inputs, labeled or
 * not: a CSV with exactly `features` columns is all features; with one more,
 * the label column (--label-column, else found as train finds it) is left
 * out. A .mat file or a cat directory gives its training examples.
 */
export function readFeatures(command: string, flag: string, file: string, features: number, csv: CsvReading): { X: Matrix; name: string } {
  exists(command, flag, file);
  if (fs.statSync(file).isDirectory() || path.extname(file).toLowerCase() !== '.csv') {
    return { X: readDataFile(command, flag, file, 'binary', csv).train.X, name: file };
  }
  const { names, label } = csvPlan(command, flag, file, csv);
  const labeled = label !== undefined || names.length === features + 1;
  if (names.length !== (labeled ? features + 1 : features)) {
    throw new UsageError(`deepnet ${command}: --${flag} ${file} has ${names.length} columns${label === undefined ? '' : ` (one of them the label)`}; ` +
      `the model takes ${features} features: expected ${features} columns, or ${features + 1} with a label column`);
  }
  const options = { ...loadCsvOptions(csv), labels: 'values' as const };
  const X = labeled ? datasets.loadCsv(file, { ...options, ...(label === undefined ? {} : { labelColumn: label }) }).X
    : datasets.loadCsv(file, { ...options, labelColumn: null }).X;
  return { X, name: file };
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
