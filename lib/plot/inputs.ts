// Input checks shared by the plots; errors follow lib/errors.ts (function,
// argument, expected, received).
import { integerIn, typeError } from '../errors';
import { checkMatrix, expectShape, Matrix } from '../matrix';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, MAX_CLASSES, PlotOptions } from './style';

/** X (2, m) of finite coordinates and Y (1, m) of class labels 0..K-1 (0/1 for two classes). */
export function checkPoints(where: string, X: unknown, Y: unknown, name = ''): [Matrix, Matrix] {
  const x = checkMatrix(where, `${name}X`, X);
  expectShape(where, `${name}X`, x, 2, null, '(two features per example, one example per column)');
  const y = checkMatrix(where, `${name}Y`, Y);
  expectShape(where, `${name}Y`, y, 1, x.shape[1], `(one label per example: ${name}X has m = ${x.shape[1]} columns)`);
  checkClasses(where, `${name}Y`, y);
  return [x, y];
}

/** Throws unless every entry of m is a class label 0..MAX_CLASSES-1; returns the number of classes, at least 2. */
export function checkClasses(where: string, arg: string, m: Matrix, hint = ''): number {
  const cols = m.shape[1];
  let K = 2;
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (!(Number.isInteger(v) && v >= 0 && v < MAX_CLASSES)) {
      throw new RangeError(`${where}: ${arg} must hold class labels 0..${MAX_CLASSES - 1} (0/1 for two classes)${hint}; ` +
        `received ${v} at [${Math.floor(i / cols)}, ${i % cols}]`);
    }
    K = Math.max(K, v + 1);
  }
  return K;
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

/** The points of X (2, m) and labels of Y (1, m) as rows for a Vega-Lite data source; `set` tags them when given. */
export function pointRows(X: Matrix, Y: Matrix, set?: string): { x1: number; x2: number; label: number; set?: string }[] {
  const m = X.shape[1];
  return Array.from({ length: m }, (_, i) => ({ x1: X.data[i], x2: X.data[m + i], label: Y.data[i], ...(set ? { set } : {}) }));
}
