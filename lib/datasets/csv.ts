// A numeric CSV as a dataset: one example per row, an optional label column,
// the other columns features. The file is streamed twice in chunks of whole
// lines (chunks.ts): a first pass counts the rows, so that X is allocated once
// at its final size, and the second parses the numbers straight into it in
// native code (std::from_chars: correctly rounded, the double Number() gives).
// Lines the native parser does not take (quoted fields, bad cells) are parsed
// here, which either reads them or throws an error naming the file, the line
// and the column.
import * as fs from 'fs';
import { options, typeError } from '../errors';
import { FILE_LIMITS, openRegularFile } from '../io/regularFile';
import { allocate, DType, FloatArray, Matrix } from '../matrix';
import { native } from '../native';
import { forEachChunk, isBlank, lineEnd } from './chunks';

/** What the label column holds: 0/1 (sigmoid output), class indices 0..K-1 (softmax), or any number (regression). */
export type CsvLabels = 'binary' | 'classes' | 'values';

/** 'columns': X (features, m) and Y (1, m), as training takes them; 'rows': X (m, features) and Y (m, 1), as the file. */
export type CsvLayout = 'columns' | 'rows';

/** Options of loadCsv. */
export interface CsvOptions {
  /**
   * The label column: a header name or a 0-based index; null or false for a
   * file without labels (every column a feature). Default: the column named
   * `label`, `y` or `target` (any case), else the last column.
   */
  labelColumn?: string | number | null | false;
  /** Whether the first line names the columns. Default 'auto': it does when one of its cells is not a number. */
  header?: boolean | 'auto';
  /** One ASCII character (default ','). Fields may be double-quoted ("a,b", "" for a quote); a field holds no line break. */
  delimiter?: string;
  /** The dtype of X and Y (default 'float64'). float32 values are the float64 values rounded, as numpy's loadtxt(dtype=float32). */
  dtype?: DType;
  /** What the labels must be (default 'binary'). */
  labels?: CsvLabels;
  /** Default 'columns'. */
  layout?: CsvLayout;
}

/** A CSV file without a label column. */
export interface CsvFeatures<A extends FloatArray = FloatArray> {
  /** (features, m), or (m, features) with layout 'rows'. */
  X: Matrix<A>;
  /** The names of the features, in X's order (col0, col1, ... without a header). */
  featureNames: string[];
  /** The layout X (and Y) came in, as asked for. */
  layout: CsvLayout;
}

/** A CSV file with a label column. */
export interface CsvDataset<A extends FloatArray = FloatArray> extends CsvFeatures<A> {
  /** (1, m), or (m, 1) with layout 'rows'. */
  Y: Matrix<A>;
  /** The label column's name (col<j> without a header). */
  labelName: string;
  /** K, the number of classes: 2 for 'binary' labels, the largest label + 1 for 'classes'; absent for 'values'. */
  numClasses?: number;
}

// Conditional types test required properties: an options type with every key optional would be a
// "weak type", which an object without that key does not match.
type ArrayFor<O> = 'dtype' extends keyof O
  ? O extends { dtype: 'float32' } ? Float32Array : O extends { dtype: 'float64' } ? Float64Array : FloatArray
  : Float64Array;

/** loadCsv's result for options O: without Y when labelColumn is null or false. */
export type CsvResult<O extends CsvOptions> = O extends { labelColumn: null | false } ? CsvFeatures<ArrayFor<O>>
  : O extends { labelColumn: string | number } ? CsvDataset<ArrayFor<O>>
    : 'labelColumn' extends keyof O ? CsvDataset<ArrayFor<O>> | CsvFeatures<ArrayFor<O>> : CsvDataset<ArrayFor<O>>;

const WHERE = 'loadCsv';
const KNOWN = ['labelColumn', 'header', 'delimiter', 'dtype', 'labels', 'layout'] as const;
const LABEL_NAMES = ['label', 'y', 'target'];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPACE = /^[ \t\r]+|[ \t\r]+$/g;

/** The settings of one load, once the first line has been read. */
interface Plan {
  file: string;
  delimiter: string;
  width: number;
  /** The label column, or -1. */
  label: number;
  labels: CsvLabels;
  rows: boolean;
  names: string[];
  /** Byte offset and line number (1-based) of the first data line. */
  dataStart: number;
  dataLine: number;
}

/**
 * X and Y from a CSV file with one example per row, streamed: peak memory is
 * the arrays plus a 1 MiB buffer. Labels are checked as `labels` says;
 * a bad cell is an error naming the file, the line and the column.
 */
export function loadCsv<O extends CsvOptions = Record<never, never>>(file: string, opts?: O): CsvResult<O> {
  if (typeof file !== 'string') throw typeError(WHERE, 'file', 'a path string', file);
  const o = options<CsvOptions>(WHERE, opts, KNOWN);
  const { header, delimiter } = readingOptions(WHERE, o);
  const dtype = oneOf('dtype', o.dtype, ['float64', 'float32'] as const, 'float64');
  const labels = oneOf('labels', o.labels, ['binary', 'classes', 'values'] as const, 'binary');
  const layout = oneOf('layout', o.layout, ['columns', 'rows'] as const, 'columns');
  const given = o.labelColumn;
  if (given !== undefined && given !== null && given !== false && typeof given !== 'string' && typeof given !== 'number') {
    throw typeError(WHERE, 'labelColumn', 'a column name, a column index, null or false', given);
  }

  return withFile(WHERE, file, (fd) => {
    const plan = planLoad(fd, file, header, delimiter, given, labels, layout === 'rows');
    const m = countRows(fd, plan);
    if (m === 0) fail(file, 'no data rows after the header');
    const features = plan.width - (plan.label >= 0 ? 1 : 0);
    const X = allocate(dtype, features * m, WHERE);
    const Y = plan.label >= 0 ? allocate(dtype, m, WHERE) : null;
    parseRows(fd, plan, m, X, Y);
    const out: CsvFeatures & Partial<CsvDataset> = {
      X: { shape: plan.rows ? [m, features] : [features, m], data: X },
      featureNames: plan.names.filter((_, j) => j !== plan.label),
      layout,
    };
    if (Y) {
      out.Y = { shape: plan.rows ? [m, 1] : [1, m], data: Y };
      out.labelName = plan.names[plan.label];
      if (labels !== 'values') out.numClasses = labels === 'binary' ? 2 : maxOf(Y) + 1;
    }
    return out as CsvResult<O>;
  });
}

/** Options of csvColumns: how loadCsv would read the file. */
export type CsvColumnsOptions = Pick<CsvOptions, 'header' | 'delimiter'>;

/**
 * The names of a CSV file's columns, reading only its first line: the header's
 * names, or col0, col1, ... when it has none (as loadCsv names them). Tells,
 * before loading a large file, which column holds the labels and how many
 * features there are.
 */
export function csvColumns(file: string, opts?: CsvColumnsOptions): string[] {
  const where = 'csvColumns';
  if (typeof file !== 'string') throw typeError(where, 'file', 'a path string', file);
  const { header, delimiter } = readingOptions(where, options<CsvColumnsOptions>(where, opts, ['header', 'delimiter']));
  return withFile(where, file, (fd) => planLoad(fd, file, header, delimiter, null, 'values', false).names);
}

function readingOptions(where: string, o: CsvColumnsOptions): { header: boolean | 'auto'; delimiter: string } {
  const header = o.header ?? 'auto';
  if (typeof header !== 'boolean' && header !== 'auto') throw typeError(where, 'header', "a boolean or 'auto'", header);
  const delimiter = o.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || '"\r\n'.includes(delimiter)) {
    throw typeError(where, 'delimiter', 'one character (ASCII) other than a quote or a line break', delimiter);
  }
  return { header, delimiter };
}

/** read(fd) on the open file; errors reading it name `where` and the file. */
function withFile<T>(where: string, file: string, read: (fd: number) => T): T {
  const { fd } = openRegularFile(where, file, FILE_LIMITS.csv);
  try {
    return read(fd);
  } catch (err) {
    // A read error past the open (EISDIR, EIO) names the file too.
    if ((err as NodeJS.ErrnoException).code !== undefined) throw new Error(`${where}: cannot read ${file}: ${(err as Error).message}`);
    throw err;
  } finally {
    fs.closeSync(fd);
  }
}

function oneOf<T extends string>(arg: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw typeError(WHERE, arg, allowed.map((a) => `'${a}'`).join(' or '), value);
  return value as T;
}

function fail(file: string, what: string): never {
  throw new Error(`${WHERE}: ${file}: ${what}`);
}

/** Reads the first non-blank line: the header (or the first row), the width, the label column. */
function planLoad(fd: number, file: string, header: boolean | 'auto', delimiter: string, given: CsvOptions['labelColumn'],
  labels: CsvLabels, rows: boolean): Plan {
  let first: { text: string; line: number; start: number; next: number } | null = null;
  let line = 1;
  const bom = Buffer.alloc(3);
  const start = fs.readSync(fd, bom, 0, 3, 0) === 3 && bom.equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  forEachChunk(fd, start, (buf, end, final, base) => {
    let pos = 0;
    while (pos < end) {
      const eol = lineEnd(buf, pos, end);
      if (eol === end && !final) return pos;
      if (!isBlank(buf, pos, eol)) {
        first = { text: buf.toString('utf8', pos, eol), line, start: base + pos, next: base + eol + 1 };
        return null;
      }
      pos = eol + 1;
      line++;
    }
    return pos;
  });
  if (first === null) fail(file, 'the file is empty');
  const { text, line: firstLine, start: firstStart, next } = first as { text: string; line: number; start: number; next: number };
  const cells = splitLine(text.replace(/\r$/, ''), delimiter, () => fail(file, `line ${firstLine}: unterminated quoted field`));
  const hasHeader = header === 'auto' ? cells.some((c) => !isNumber(c.replace(SPACE, ''))) : header;
  const width = cells.length;
  const names = hasHeader ? cells.map((s) => s.trim()) : Array.from({ length: width }, (_, j) => `col${j}`);
  const withLabels = given !== null && given !== false;
  if (withLabels && width < 2) {
    fail(file, `needs a label column and at least one feature column; the first line has ${width} column`);
  }
  const label = withLabels ? labelIndex(file, given, names) : -1;
  return {
    file, delimiter, width, label, labels, rows, names,
    dataStart: hasHeader ? next : firstStart,
    dataLine: hasHeader ? firstLine + 1 : firstLine,
  };
}

/** The label column's index: as given, else the first of label / y / target (any case), else the last. */
function labelIndex(file: string, given: string | number | undefined, names: string[]): number {
  if (given === undefined) {
    for (const want of LABEL_NAMES) {
      const j = names.findIndex((n) => n.toLowerCase() === want);
      if (j >= 0) return j;
    }
    return names.length - 1;
  }
  if (typeof given === 'number') {
    if (!Number.isInteger(given) || given < 0 || given >= names.length) {
      throw new RangeError(`${WHERE}: labelColumn must be a column index in [0, ${names.length - 1}]; received ${given}`);
    }
    return given;
  }
  const j = names.indexOf(given);
  return j >= 0 ? j : fail(file, `no column named "${given}" for labelColumn (columns: ${names.join(', ')})`);
}

/** The number of non-blank lines from the first data line on. */
function countRows(fd: number, plan: Plan): number {
  let m = 0;
  forEachChunk(fd, plan.dataStart, (buf, end, final) => {
    let pos = 0;
    while (pos < end) {
      const eol = lineEnd(buf, pos, end);
      if (eol === end && !final) return pos;
      if (!isBlank(buf, pos, eol)) m++;
      pos = eol + 1;
    }
    return end;
  });
  return m;
}

/** Fills X and Y: natively, line by line here where the native parser stops. */
function parseRows(fd: number, plan: Plan, m: number, X: FloatArray, Y: FloatArray | null): void {
  const delimiter = plan.delimiter.charCodeAt(0);
  let row = 0;
  let line = plan.dataLine;
  forEachChunk(fd, plan.dataStart, (buf, end, final) => {
    let pos = 0;
    for (;;) {
      const p = native.parseCsv(buf, pos, end, final, delimiter, plan.width, plan.label, plan.labels, plan.rows, m, row, X, Y);
      ({ pos, row } = p);
      line += p.lines;
      if (!p.stopped) return pos;
      const eol = lineEnd(buf, pos, end);
      if (row === m) fail(plan.file, `line ${line}: the file changed while it was read (more rows than counted)`);
      parseLine(plan, buf.toString('utf8', pos, eol).replace(/\r$/, ''), line, row, m, X, Y);
      row++;
      line++;
      pos = Math.min(eol + 1, end);
    }
  });
  if (row !== m) fail(plan.file, `the file changed while it was read (${row} rows, counted ${m})`);
}

/** One line the native parser stopped at: its values into row `row`, or an error naming the line and the column. */
function parseLine(plan: Plan, text: string, line: number, row: number, m: number, X: FloatArray, Y: FloatArray | null): void {
  const { file, width, label, names } = plan;
  const cells = splitLine(text, plan.delimiter, () => fail(file, `line ${line}: unterminated quoted field`));
  if (cells.length !== width) fail(file, `line ${line}: ${cells.length} columns, expected ${width} (as the first line)`);
  const features = width - (label >= 0 ? 1 : 0);
  let f = 0;
  cells.forEach((raw, j) => {
    const cell = raw.replace(SPACE, '');
    const v = Number(cell);
    if (!isNumber(cell) || !Number.isFinite(v)) {
      fail(file, `line ${line}, column "${names[j]}": expected a finite number, found ${JSON.stringify(raw.slice(0, 40))}`);
    }
    if (j === label) {
      checkLabel(plan, v, cell, line);
      Y![row] = v;
    } else {
      X[plan.rows ? row * features + f : f * m + row] = v;
      f++;
    }
  });
}

function checkLabel(plan: Plan, v: number, cell: string, line: number): void {
  const name = plan.names[plan.label];
  if (plan.labels === 'binary' && v !== 0 && v !== 1) {
    fail(plan.file, `line ${line}: label "${name}" must be 0 or 1; found ${cell} ` +
      "(labels: 'classes' loads class indices 0..K-1, labels: 'values' any number)");
  }
  if (plan.labels === 'classes' && !(Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1)) {
    fail(plan.file, `line ${line}: label "${name}" must be a class index (an integer >= 0); found ${cell} ` +
      "(labels: 'values' loads any number)");
  }
}

function isNumber(cell: string): boolean {
  return NUMBER.test(cell);
}

function maxOf(a: FloatArray): number {
  let max = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] > max) max = a[i];
  return max;
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
