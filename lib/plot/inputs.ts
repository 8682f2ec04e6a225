// Input checks shared by the plots; errors follow lib/errors.ts (function,
// argument, expected, received).
import { integerIn, typeError } from '../errors';
import { checkMatrix, expectShape, Matrix } from '../matrix';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, PlotOptions } from './style';

/** X (2, m) of finite coordinates and Y (1, m) of 0/1 labels. */
export function checkPoints(where: string, X: unknown, Y: unknown): [Matrix, Matrix] {
  const x = checkMatrix(where, 'X', X);
  expectShape(where, 'X', x, 2, null, '(two features per example, one example per column)');
  const y = checkMatrix(where, 'Y', Y);
  expectShape(where, 'Y', y, 1, x.shape[1], `(one label per example: X has m = ${x.shape[1]} columns)`);
  checkBinary(where, 'Y', y);
  return [x, y];
}

/** Throws unless every entry of m is 0 or 1. */
export function checkBinary(where: string, arg: string, m: Matrix, hint = ''): void {
  const cols = m.shape[1];
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (v !== 0 && v !== 1) {
      throw new RangeError(`${where}: ${arg} must hold 0/1 labels${hint}; received ${v} at ` +
        `[${Math.floor(i / cols)}, ${i % cols}]`);
    }
  }
}

/** The title, width and height of a plot's options, with defaults. */
export function plotOptions(where: string, opts: PlotOptions): { title?: string; width: number; height: number } {
  if (opts.title !== undefined && typeof opts.title !== 'string') {
    throw typeError(where, 'options.title', 'a string', opts.title);
  }
  return {
    title: opts.title,
    width: integerIn(where, 'options.width', opts.width ?? DEFAULT_WIDTH, 10, 10000),
    height: integerIn(where, 'options.height', opts.height ?? DEFAULT_HEIGHT, 10, 10000),
  };
}

/** The points of X (2, m) and labels of Y (1, m) as rows for a Vega-Lite data source. */
export function pointRows(X: Matrix, Y: Matrix): { x1: number; x2: number; label: number }[] {
  const m = X.shape[1];
  return Array.from({ length: m }, (_, i) => ({ x1: X.data[i], x2: X.data[m + i], label: Y.data[i] }));
}
