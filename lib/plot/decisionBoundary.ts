// The course's plot_decision_boundary: the model's prediction over a grid
// covering the data with a margin (filled regions, one color per class: 0/1,
// or a softmax's classes), and the data points on top (test points, when
// given, as triangles).
import { integerIn, options, positiveNumber, typeError } from '../errors';
import { allocate, checkMatrix, dtypeOf, expectShape, Matrix } from '../matrix';
import { pointLayer } from './dataset';
import { checkClasses, checkPoints, plotOptions } from './inputs';
import { renderSvg } from './render';
import { checkedSpec } from './spec';
import { classColors, FONT, PlotOptions, PLOT_OPTION_KEYS, VegaLiteSpec, VEGA_LITE_SCHEMA } from './style';

/** Options of plotDecisionBoundary. */
export interface DecisionBoundaryOptions extends PlotOptions {
  /** Grid cells along each axis (default 200); predict sees resolution² columns. */
  resolution?: number;
  /**
   * Space around the data on each side: a number in data units (default 1, as
   * the course's X.min() - 1, X.max() + 1), or { fraction } of each axis's range.
   */
  margin?: number | { fraction: number };
  /** Test examples to draw too, as triangles ({ X (2, n), Y (1, n) }); the grid covers them as well. */
  test?: { X: Matrix; Y: Matrix };
}

/** Maps a (2, N) matrix of points (one per column) to a (1, N) matrix of predicted classes (0/1, or 0..K-1). */
export type Predictor = (X: Matrix) => Matrix;

const KEYS = [...PLOT_OPTION_KEYS, 'resolution', 'margin', 'test'] as const;

/**
 * Vega-Lite spec of the decision boundary. Calls predict once, on a (2, resolution²)
 * grid of cell centres in X's dtype. Each grid row's runs of equal prediction become
 * one rectangle, so the regions are exact to the grid yet cost a few hundred marks.
 */
export function decisionBoundarySpec(predict: Predictor, X: Matrix, Y: Matrix, opts?: DecisionBoundaryOptions): VegaLiteSpec {
  return buildDecisionBoundarySpec('decisionBoundarySpec', predict, X, Y, opts);
}

/** SVG of the decision boundary (see decisionBoundarySpec). */
export async function plotDecisionBoundary(predict: Predictor, X: Matrix, Y: Matrix, opts?: DecisionBoundaryOptions): Promise<string> {
  return renderSvg(buildDecisionBoundarySpec('plotDecisionBoundary', predict, X, Y, opts));
}

function buildDecisionBoundarySpec(where: string, predict: unknown, X: unknown, Y: unknown, opts: unknown): VegaLiteSpec {
  const o = options<DecisionBoundaryOptions>(where, opts, KEYS);
  const { title, width, height } = plotOptions(where, o);
  const resolution = integerIn(where, 'options.resolution', o.resolution ?? 200, 2, 1000);
  if (typeof predict !== 'function') throw typeError(where, 'predict', 'a function (X: Matrix) => Matrix', predict);
  const [x, y] = checkPoints(where, X, Y);
  const test = testPoints(where, o.test);
  const all = test ? [x, test.X] : [x];
  const margin = marginOf(where, o.margin);
  const x1 = extent(all.flatMap((p) => Array.from(p.data.subarray(0, p.shape[1]))), margin);
  const x2 = extent(all.flatMap((p) => Array.from(p.data.subarray(p.shape[1]))), margin);
  const step1 = (x1[1] - x1[0]) / resolution;
  const step2 = (x2[1] - x2[0]) / resolution;

  // Column k = row * resolution + col, x1 varying fastest (np.c_[xx.ravel(), yy.ravel()].T).
  const n = resolution * resolution;
  const grid: Matrix = { shape: [2, n], data: allocate(dtypeOf(x.data), 2 * n) };
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      grid.data[row * resolution + col] = x1[0] + (col + 0.5) * step1;
      grid.data[n + row * resolution + col] = x2[0] + (row + 0.5) * step2;
    }
  }
  const predicted = checkMatrix(where, 'predict(grid)', (predict as Predictor)(grid));
  expectShape(where, 'predict(grid)', predicted, 1, n, `(one prediction per column of the (2, ${n}) grid)`);
  const K = Math.max(checkClasses(where, 'predict(grid)', predicted, ' (threshold probabilities, e.g. AL > 0.5, or take the classes of a softmax)'),
    checkClasses(where, 'Y', y), test ? checkClasses(where, 'options.test.Y', test.Y) : 2);

  const regions: { x: number; x2: number; y: number; y2: number; prediction: number }[] = [];
  for (let row = 0; row < resolution; row++) {
    const p = predicted.data.subarray(row * resolution, (row + 1) * resolution);
    for (let start = 0, col = 1; col <= resolution; col++) {
      if (col < resolution && p[col] === p[start]) continue;
      regions.push({
        x: x1[0] + start * step1, x2: x1[0] + col * step1,
        y: x2[0] + row * step2, y2: x2[0] + (row + 1) * step2, prediction: p[start],
      });
      start = col;
    }
  }

  const regionScale = { domain: Array.from({ length: K }, (_, k) => k), range: classColors(K).regions };
  return checkedSpec({
    $schema: VEGA_LITE_SCHEMA,
    ...(title === undefined ? {} : { title }),
    width,
    height,
    layer: [
      {
        data: { values: regions },
        // A 1px stroke in the fill's color covers the anti-aliased seams between rows;
        // no per-rectangle ARIA label (a background of hundreds of cells).
        mark: { type: 'rect', strokeWidth: 1, clip: true, aria: false },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { domain: x1, nice: false, zero: false } },
          x2: { field: 'x2' },
          y: { field: 'y', type: 'quantitative', scale: { domain: x2, nice: false, zero: false } },
          y2: { field: 'y2' },
          color: { field: 'prediction', type: 'nominal', title: 'prediction', scale: regionScale },
          stroke: { field: 'prediction', type: 'nominal', scale: regionScale, legend: null },
        },
      },
      pointLayer({ X: x, Y: y, ...(test ? { test } : {}) }, K, { x1, x2 }),
    ],
    resolve: { scale: { color: 'independent' } },
    config: { font: FONT },
  });
}

/** The test option, checked as X and Y are. */
function testPoints(where: string, test: unknown): { X: Matrix; Y: Matrix } | undefined {
  if (test === undefined) return undefined;
  if (test === null || typeof test !== 'object') throw typeError(where, 'options.test', 'an object { X, Y }', test);
  const [X, Y] = checkPoints(where, (test as { X: unknown }).X, (test as { Y: unknown }).Y, 'options.test.');
  return { X, Y };
}

/** The margin option as a function of an axis's data range. */
function marginOf(where: string, margin: unknown): (range: number) => number {
  if (margin === undefined) return () => 1;
  if (typeof margin === 'number') {
    const absolute = positiveNumber(where, 'options.margin', margin);
    return () => absolute;
  }
  if (margin !== null && typeof margin === 'object' && Object.keys(margin).join() === 'fraction') {
    const fraction = positiveNumber(where, 'options.margin.fraction', (margin as { fraction: unknown }).fraction);
    // A constant coordinate has no range: take 1 as its range so the grid is not empty.
    return (range) => fraction * (range > 0 ? range : 1);
  }
  throw typeError(where, 'options.margin', 'a positive number or { fraction: positive number }', margin);
}

function extent(values: ArrayLike<number>, margin: (range: number) => number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  const pad = margin(hi - lo);
  return [lo - pad, hi + pad];
}
