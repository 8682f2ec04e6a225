// A numeric CSV as a dataset: one example per row, one column of 0/1
// labels, the other columns features. Errors name the file, the line and
// the column, so a bad cell is found at once.
import * as fs from 'fs';
import { options, typeError } from '../errors';
import { Split } from './cat';

export interface CsvOptions {
  /** The label column: a header name, or a 0-based index. Default: `label`, `y` or `target`, else the last column. */
  labelColumn?: string | number;
  /** Whether the first line names the columns (default true). Without one, columns are named col0, col1, ... */
  header?: boolean;
  /** One character (default ','). Fields may be double-quoted ("a,b", "" for a quote). */
  delimiter?: string;
}

export interface CsvDataset extends Split {
  /** The names of X's rows, in order. */
  featureNames: string[];
}

const LABEL_NAMES = ['label', 'y', 'target'];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** X (n_features, m) and Y (1, m) from a CSV file with one example per row. */
export function loadCsv(file: string, opts?: CsvOptions): CsvDataset {
  const where = 'loadCsv';
  if (typeof file !== 'string') throw typeError(where, 'file', 'a path string', file);
  const o = options<CsvOptions>(where, opts, ['labelColumn', 'header', 'delimiter']);
  const header = o.header ?? true;
  if (typeof header !== 'boolean') throw typeError(where, 'header', 'a boolean', header);
  const delimiter = o.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || '"\r\n'.includes(delimiter)) {
    throw typeError(where, 'delimiter', 'one character other than a quote or a line break', delimiter);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${where}: cannot read ${file}: ${(err as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new Error(`${where}: ${file}: ${what}`);
  };

  // [line number, cells] of every non-blank line.
  const rows: [number, string[]][] = [];
  text.replace(/^\uFEFF/, '').split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    rows.push([i + 1, splitLine(line, delimiter, () => fail(`line ${i + 1}: unterminated quoted field`))]);
  });
  if (rows.length === 0) fail('the file is empty');
  const width = rows[0][1].length;
  const names = header ? rows.shift()![1].map((s) => s.trim()) : Array.from({ length: width }, (_, j) => `col${j}`);
  if (rows.length === 0) fail('no data rows after the header');
  if (width < 2) fail(`needs a label column and at least one feature column; the first line has ${width} column`);

  const label = labelIndex(where, o.labelColumn, names, fail);
  const features = names.map((_, j) => j).filter((j) => j !== label);
  const m = rows.length;
  const X = new Float64Array(features.length * m);
  const Y = new Float64Array(m);
  rows.forEach(([line, cells], i) => {
    if (cells.length !== width) fail(`line ${line}: ${cells.length} columns, expected ${width} (as the first line)`);
    const value = (j: number): number => {
      const cell = cells[j].trim();
      const v = Number(cell);
      if (!NUMBER.test(cell) || !Number.isFinite(v)) {
        fail(`line ${line}, column "${names[j]}": expected a finite number, found ${JSON.stringify(cells[j].slice(0, 40))}`);
      }
      return v;
    };
    features.forEach((j, f) => {
      X[f * m + i] = value(j);
    });
    Y[i] = value(label);
    if (Y[i] !== 0 && Y[i] !== 1) fail(`line ${line}: label "${names[label]}" must be 0 or 1; found ${cells[label].trim()}`);
  });
  return {
    X: { shape: [features.length, m], data: X },
    Y: { shape: [1, m], data: Y },
    featureNames: features.map((j) => names[j]),
  };
}

/** The label column's index: as given, else the first of label / y / target (any case), else the last. */
function labelIndex(where: string, given: unknown, names: string[], fail: (what: string) => never): number {
  if (given === undefined) {
    for (const want of LABEL_NAMES) {
      const j = names.findIndex((n) => n.toLowerCase() === want);
      if (j >= 0) return j;
    }
    return names.length - 1;
  }
  if (typeof given === 'number') {
    if (!Number.isInteger(given) || given < 0 || given >= names.length) {
      throw new RangeError(`${where}: labelColumn must be a column index in [0, ${names.length - 1}]; received ${given}`);
    }
    return given;
  }
  if (typeof given !== 'string') throw typeError(where, 'labelColumn', 'a column name or index', given);
  const j = names.indexOf(given);
  return j >= 0 ? j : fail(`no column named "${given}" for labelColumn (columns: ${names.join(', ')})`);
}

/** The fields of one line; double-quoted fields may hold the delimiter, and "" stands for a quote. */
function splitLine(line: string, delimiter: string, unterminated: () => never): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c !== '"') cell += c;
      else if (line[i + 1] === '"') cell += line[++i];
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  if (quoted) unterminated();
  cells.push(cell);
  return cells;
}
