// Reading ../shared/golden and ../shared/datasets, and the comparisons with
// the golden README's tolerances, stated once here.
import * as fs from 'fs';
import * as path from 'path';
import { FloatArray, Matrix } from '../../lib';

/** The shared test data (golden vectors, datasets); never copied into the repo. */
export const SHARED = path.resolve(process.env.DEEPNET_SHARED ?? path.join(__dirname, '..', '..', '..', 'shared'));
export const GOLDEN = path.resolve(process.env.DEEPNET_GOLDEN ?? path.join(SHARED, 'golden'));
export const DATASETS = path.join(SHARED, 'datasets');

/** Tolerances of ../shared/golden/README.md. */
export const TOL = {
  /** single forward/backward arrays and costs: norm-relative */
  array: 1e-12,
  /** training runs: costs and final parameters */
  train: 1e-10,
};

export interface JsonArray {
  shape: number[];
  data: unknown;
  dtype?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadGolden(name: string): any {
  const file = path.join(GOLDEN, `${name}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(`golden file ${file} not found: set DEEPNET_SHARED or DEEPNET_GOLDEN`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function flatten(data: unknown, out: number[]): number[] {
  if (Array.isArray(data)) for (const x of data) flatten(x, out);
  else out.push(data as number);
  return out;
}

/** A golden array as a Matrix; 1-D shape [n] becomes (1, n), 0-D (1, 1). */
export function toMatrix(a: JsonArray, dtype: 'float64' | 'float32' = 'float64'): Matrix {
  const values = flatten(a.data, []);
  const shape: [number, number] = a.shape.length === 2 ? [a.shape[0], a.shape[1]] : [1, a.shape[0] ?? 1];
  const data = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  return { shape, data };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function toParams(p: Record<string, JsonArray>, dtype: 'float64' | 'float32' = 'float64'): Record<string, Matrix> {
  const out: Record<string, Matrix> = {};
  for (const [k, v] of Object.entries(p)) out[k] = toMatrix(v, dtype);
  return out;
}

type Values = Matrix | JsonArray | FloatArray | number[];

/** The elements of a Matrix, golden array, typed array or number list, flat. */
function flat(x: Values): ArrayLike<number> {
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return x as ArrayLike<number>;
  return ArrayBuffer.isView(x.data) ? (x.data as FloatArray) : flatten(x.data, []);
}

/** The (rows, cols) of a Matrix or golden array (1-D [n] is (1, n)), else null. */
function shapeOf(x: Values): number[] | null {
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return null;
  return x.shape.length === 2 ? [...x.shape] : [1, x.shape[0] ?? 1];
}

function expectSameShape(got: Values, exp: Values, label: string): void {
  const [g, e] = [shapeOf(got), shapeOf(exp)];
  if (g && e) expect(`${label} shape ${g}`).toBe(`${label} shape ${e}`);
  expect(`${label} length ${flat(got).length}`).toBe(`${label} length ${flat(exp).length}`);
}

/** Every element identical, bit for bit (0.0 and -0.0 are told apart). */
export function expectBitExact(got: Values, exp: Values, label = ''): void {
  expectSameShape(got, exp, label);
  const [g, e] = [flat(got), flat(exp)];
  for (let i = 0; i < e.length; i++) {
    if (!Object.is(g[i], e[i])) throw new Error(`${label}[${i}]: got ${g[i]}, expected ${e[i]} (bit-exact)`);
  }
}

/** max|got - exp| and max(1, max|exp|): the README's norm-relative criterion. */
export function maxError(got: ArrayLike<number>, exp: ArrayLike<number>): { err: number; scale: number } {
  let err = 0;
  let scale = 1;
  for (let i = 0; i < exp.length; i++) {
    const d = Math.abs(got[i] - exp[i]);
    err = Number.isNaN(d) ? Infinity : Math.max(err, d);
    scale = Math.max(scale, Math.abs(exp[i]));
  }
  return { err, scale };
}

/** max|got - exp| <= tol * max(1, max|exp|), and the same shape. */
export function expectClose(got: Values, exp: Values, tol: number, label = ''): void {
  expectSameShape(got, exp, label);
  const { err, scale } = maxError(flat(got), flat(exp));
  if (!(err <= tol * scale)) throw new Error(`${label}: max |got - expected| = ${err} exceeds ${tol} * ${scale}`);
}

/** A scalar within tol * max(1, |exp|). */
export function expectNumberClose(got: number, exp: number, tol: number, label = ''): void {
  const bound = tol * Math.max(1, Math.abs(exp));
  if (!(Math.abs(got - exp) <= bound)) throw new Error(`${label}: got ${got}, expected ${exp} (tolerance ${bound})`);
}
