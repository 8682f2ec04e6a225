// Feature scaling fitted on the training set and applied to any X: the
// formulas, the order of operations and the handling of constant features are
// scikit-learn's StandardScaler and MinMaxScaler, on examples as columns (one
// feature per row of X) or, with { layout: 'rows' }, as rows (read in place,
// the same arithmetic in the same order: bit-identical results). Statistics
// are float64 plain arrays, so toJSON() can go into a model file and
// scalerFromJSON() bring the scaler back.
import { describe, options, rangeError, typeError } from './errors';
import { checkLayout, expectFeatureRows, Layout } from './layout';
import { allocate, checkMatrix, dtypeOf, FloatArray, Matrix, shapeString } from './matrix';

const EPS = 2 ** -52;

/** A fitted standardScaler as plain data. */
export interface StandardScalerJSON {
  /** Which scaler this describes. */
  type: 'standardScaler';
  /** Examples the statistics were computed from. */
  nSamples: number;
  /** The per-feature mean. */
  mean: number[];
  /** The population variance (ddof 0). */
  var: number[];
  /** sqrt(var), or 1 for a constant feature. */
  scale: number[];
}

/** A fitted minMaxScaler as plain data. */
export interface MinMaxScalerJSON {
  /** Which scaler this describes. */
  type: 'minMaxScaler';
  /** [lo, hi]: the range the training data is mapped onto. */
  featureRange: [number, number];
  /** The per-feature minimum of the training data. */
  dataMin: number[];
  /** The per-feature maximum of the training data. */
  dataMax: number[];
  /** (hi - lo) / (dataMax - dataMin), with a range below 10 eps taken as 1. */
  scale: number[];
  /** lo - dataMin * scale. */
  min: number[];
}

/** What toJSON() gives and scalerFromJSON() takes. */
export type ScalerJSON = StandardScalerJSON | MinMaxScalerJSON;

/** Options of a scaler's fit, transform, fitTransform and inverseTransform. */
export interface ScalerOptions {
  /** 'rows': X is (m, features), one example per row, and results come back as rows. Default 'columns': X (features, m). */
  layout?: Layout;
}

/** A per-feature affine map x -> transform(x) fitted on one X (features, m), or (m, features) with { layout: 'rows' }. */
export interface Scaler {
  /** Computes the statistics of X (finite); returns this scaler. */
  fit(X: Matrix, opts?: ScalerOptions): this;
  /** X scaled with the fitted statistics: a new matrix of X's dtype and layout (computed in float64, rounded once). */
  transform<A extends FloatArray>(X: Matrix<A>, opts?: ScalerOptions): Matrix<A>;
  /** fit(X) then transform(X). */
  fitTransform<A extends FloatArray>(X: Matrix<A>, opts?: ScalerOptions): Matrix<A>;
  /** The inverse map: transform's input from its output (to rounding). */
  inverseTransform<A extends FloatArray>(X: Matrix<A>, opts?: ScalerOptions): Matrix<A>;
  /** The fitted statistics as plain data (JSON.stringify-able). */
  toJSON(): ScalerJSON;
  /** The number of features it was fitted on, or null before fit. */
  readonly nFeatures: number | null;
}

/** Shared by both scalers: the fitted state, argument checks and the elementwise pass. */
abstract class AffineScaler<S extends ScalerJSON> implements Scaler {
  protected abstract readonly name: string;

  constructor(protected state: S | null) {}

  /** The statistics of x (checked: a finite Matrix); feature r of example j is x.data[at(r, j)]. */
  protected abstract statistics(x: Matrix, features: number, m: number, at: (r: number, j: number) => number): S;
  /** x scaled, for feature row r. */
  protected abstract forward(s: S, x: number, r: number): number;
  protected abstract backward(s: S, x: number, r: number): number;

  get nFeatures(): number | null {
    return this.state ? this.state.scale.length : null;
  }

  fit(X: Matrix, opts?: ScalerOptions): this {
    const where = `${this.name}.fit`;
    const rows = layoutOf(where, opts) === 'rows';
    const x = checkMatrix(where, 'X', X);
    const [features, m] = rows ? [x.shape[1], x.shape[0]] : x.shape;
    this.state = this.statistics(x, features, m, rows ? (r, j) => j * features + r : (r, j) => r * m + j);
    return this;
  }

  fitTransform<A extends FloatArray>(X: Matrix<A>, opts?: ScalerOptions): Matrix<A> {
    return this.fit(X, opts).transform(X, opts);
  }

  transform<A extends FloatArray>(X: Matrix<A>, opts?: ScalerOptions): Matrix<A> {
    return this.map('transform', X, opts, (s, x, r) => this.forward(s, x, r));
  }

  inverseTransform<A extends FloatArray>(X: Matrix<A>, opts?: ScalerOptions): Matrix<A> {
    return this.map('inverseTransform', X, opts, (s, x, r) => this.backward(s, x, r));
  }

  toJSON(): S {
    return structuredClone(this.fitted('toJSON'));
  }

  private fitted(method: string): S {
    if (!this.state) throw new Error(`${this.name}.${method}: the scaler is not fitted: call fit(Xtrain) first`);
    return this.state;
  }

  private map<A extends FloatArray>(method: string, X: Matrix<A>, opts: unknown, f: (s: S, x: number, r: number) => number): Matrix<A> {
    const where = `${this.name}.${method}`;
    const rows = layoutOf(where, opts) === 'rows';
    const s = this.fitted(method);
    const n = s.scale.length;
    const x = checkMatrix(where, 'X', X) as Matrix<A>;
    if (rows && x.shape[1] !== n) {
      throw rangeError(where, 'X.shape', `(any, ${n}) (layout 'rows'; the scaler was fitted on ${n} features)`, shapeString(x));
    }
    if (!rows) expectFeatureRows(where, 'X', x, n, `(the scaler was fitted on ${n} features)`);
    const out = allocate(dtypeOf(x.data), x.data.length, where) as A;
    if (rows) {
      for (let i = 0; i < x.data.length; i++) out[i] = f(s, x.data[i], i % n);
    } else {
      const m = x.shape[1];
      for (let r = 0; r < n; r++) {
        for (let j = r * m; j < (r + 1) * m; j++) out[j] = f(s, x.data[j], r);
      }
    }
    return { shape: x.shape, data: out };
  }
}

/**
 * scikit-learn's StandardScaler: transform(x) = (x - mean) / scale per
 * feature, inverse x * scale + mean. mean = sum / m (summed in order, as
 * numpy sums a column); var = (sum (x - mean)^2 - (sum (x - mean))^2 / m) / m,
 * the population variance (ddof 0) by the corrected two-pass formula;
 * scale = sqrt(var), and 1 for a constant feature (var <= m eps var +
 * (m mean eps)^2, scikit-learn's test, which also catches rounding noise).
 */
class StandardScaler extends AffineScaler<StandardScalerJSON> {
  protected readonly name = 'standardScaler';

  protected statistics(x: Matrix, features: number, m: number, at: (r: number, j: number) => number): StandardScalerJSON {
    const s: StandardScalerJSON = { type: 'standardScaler', nSamples: m, mean: [], var: [], scale: [] };
    for (let r = 0; r < features; r++) {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += x.data[at(r, j)];
      const mean = sum / m;
      let correction = 0;
      let squares = 0;
      for (let j = 0; j < m; j++) {
        const d = x.data[at(r, j)] - mean;
        correction += d;
        squares += d * d;
      }
      const v = (squares - (correction * correction) / m) / m;
      const constant = v <= m * EPS * v + (m * mean * EPS) ** 2;
      s.mean.push(mean);
      s.var.push(v);
      s.scale.push(constant ? 1 : Math.sqrt(v));
    }
    return s;
  }

  protected forward(s: StandardScalerJSON, x: number, r: number): number {
    return (x - s.mean[r]) / s.scale[r];
  }

  protected backward(s: StandardScalerJSON, x: number, r: number): number {
    return x * s.scale[r] + s.mean[r];
  }
}

/**
 * scikit-learn's MinMaxScaler: transform(x) = x * scale + min per feature,
 * with scale = (hi - lo) / (dataMax - dataMin) (a range below 10 eps counts
 * as 1, so a constant feature maps to lo - dataMin + x) and min = lo -
 * dataMin * scale; inverse (x - min) / scale. [lo, hi] is featureRange.
 */
class MinMaxScaler extends AffineScaler<MinMaxScalerJSON> {
  protected readonly name = 'minMaxScaler';

  constructor(private readonly featureRange: [number, number], state: MinMaxScalerJSON | null) {
    super(state);
  }

  protected statistics(x: Matrix, features: number, m: number, at: (r: number, j: number) => number): MinMaxScalerJSON {
    const [lo, hi] = this.featureRange;
    const s: MinMaxScalerJSON = { type: 'minMaxScaler', featureRange: [lo, hi], dataMin: [], dataMax: [], scale: [], min: [] };
    for (let r = 0; r < features; r++) {
      let min = Infinity;
      let max = -Infinity;
      for (let j = 0; j < m; j++) {
        const v = x.data[at(r, j)];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const range = max - min;
      const scale = (hi - lo) / (range < 10 * EPS ? 1 : range);
      s.dataMin.push(min);
      s.dataMax.push(max);
      s.scale.push(scale);
      s.min.push(lo - min * scale);
    }
    return s;
  }

  protected forward(s: MinMaxScalerJSON, x: number, r: number): number {
    return x * s.scale[r] + s.min[r];
  }

  protected backward(s: MinMaxScalerJSON, x: number, r: number): number {
    return (x - s.min[r]) / s.scale[r];
  }
}

/** An unfitted StandardScaler (scikit-learn's, with_mean and with_std). */
export function standardScaler(): Scaler {
  return new StandardScaler(null);
}

/** Options of minMaxScaler. */
export interface MinMaxScalerOptions {
  /** [lo, hi] with lo < hi (default [0, 1]). */
  featureRange?: [number, number];
}

/** An unfitted MinMaxScaler mapping each feature's training range onto featureRange. */
export function minMaxScaler(opts?: MinMaxScalerOptions): Scaler {
  const o = options<MinMaxScalerOptions>('minMaxScaler', opts, ['featureRange']);
  return new MinMaxScaler(checkRange('minMaxScaler', 'featureRange', o.featureRange ?? [0, 1]), null);
}

function layoutOf(where: string, opts: unknown): Layout {
  return checkLayout(where, options<ScalerOptions>(where, opts, ['layout']).layout);
}

function checkRange(where: string, arg: string, r: unknown): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw typeError(where, arg, '[lo, hi], two finite numbers', r);
  }
  if (!(r[0] < r[1])) throw rangeError(where, arg, '[lo, hi] with lo < hi', `[${r[0]}, ${r[1]}]`);
  return [r[0], r[1]];
}

/** The fitted scaler that toJSON() described (as read back from a model file). */
export function scalerFromJSON(json: unknown): Scaler {
  const where = 'scalerFromJSON';
  if (json === null || typeof json !== 'object') throw typeError(where, 'json', 'a ScalerJSON object', json);
  const j = json as Record<string, unknown>;
  if (j.type === 'standardScaler') {
    arrays(where, j, ['mean', 'var', 'scale']);
    if (!(Number.isInteger(j.nSamples) && (j.nSamples as number) >= 1)) {
      throw typeError(where, 'json.nSamples', 'a positive integer', j.nSamples);
    }
    positiveEntries(where, 'json.scale', j.scale as number[]);
    const s = j as unknown as StandardScalerJSON;
    return new StandardScaler({ type: 'standardScaler', nSamples: s.nSamples, mean: [...s.mean], var: [...s.var], scale: [...s.scale] });
  }
  if (j.type === 'minMaxScaler') {
    arrays(where, j, ['dataMin', 'dataMax', 'scale', 'min']);
    const featureRange = checkRange(where, 'json.featureRange', j.featureRange);
    positiveEntries(where, 'json.scale', j.scale as number[]);
    const s = j as unknown as MinMaxScalerJSON;
    return new MinMaxScaler(featureRange, {
      type: 'minMaxScaler', featureRange, dataMin: [...s.dataMin], dataMax: [...s.dataMax], scale: [...s.scale], min: [...s.min],
    });
  }
  throw typeError(where, 'json.type', "'standardScaler' or 'minMaxScaler'", j.type);
}

/** Checks that every named field is a non-empty array of finite numbers, all of one length. */
function arrays(where: string, j: Record<string, unknown>, fields: readonly string[]): void {
  let n = -1;
  for (const f of fields) {
    const a = j[f];
    if (!Array.isArray(a) || a.length === 0 || !a.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw typeError(where, `json.${f}`, 'a non-empty array of finite numbers', a);
    }
    if (n >= 0 && a.length !== n) {
      throw rangeError(where, `json.${f}`, `of length ${n} (as json.${fields[0]})`, describe(a));
    }
    n = a.length;
  }
}

function positiveEntries(where: string, arg: string, a: number[]): void {
  const i = a.findIndex((v) => !(v > 0));
  if (i >= 0) throw rangeError(where, arg, 'positive entries (a scale divides)', `${a[i]} at [${i}]`);
}
