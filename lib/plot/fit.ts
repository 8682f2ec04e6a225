// A one-feature regression: the data as points and the model's prediction
// over the data's range as a line.
import { options, typeError } from '../errors';
import { checkMatrix, expectShape, Matrix } from '../matrix';
import { plotOptions } from './inputs';
import { renderSvg } from './render';
import { checkedSpec } from './spec';
import { FONT, LINE_COLOR, PlotOptions, PLOT_OPTION_KEYS, POINT_COLORS, VegaLiteSpec, VEGA_LITE_SCHEMA } from './style';

/** Options of plotFit. */
export interface FitPlotOptions extends PlotOptions {
  /** Points of the prediction's line (default 200). */
  points?: number;
}

/** Predicts (1, n) from X (1, n), e.g. (X) => model.predict(X). */
export type RegressionPredictor = (X: Matrix) => Matrix;

/** Vega-Lite spec of a one-feature regression: the data (X (1, m), Y (1, m)) and the prediction over X's range. */
export function fitSpec(predict: RegressionPredictor, X: Matrix, Y: Matrix, opts?: FitPlotOptions): VegaLiteSpec {
  return build('fitSpec', predict, X, Y, opts);
}

/** SVG of the data (X (1, m), Y (1, m)) and the prediction over X's range. */
export async function plotFit(predict: RegressionPredictor, X: Matrix, Y: Matrix, opts?: FitPlotOptions): Promise<string> {
  return renderSvg(build('plotFit', predict, X, Y, opts));
}

function build(where: string, predict: unknown, X: unknown, Y: unknown, opts: unknown): VegaLiteSpec {
  const o = options<FitPlotOptions>(where, opts, [...PLOT_OPTION_KEYS, 'points']);
  const { title, width, height } = plotOptions(where, o);
  if (typeof predict !== 'function') throw typeError(where, 'predict', 'a function (X) => predictions', predict);
  const x = checkMatrix(where, 'X', X);
  expectShape(where, 'X', x, 1, null, '(one feature, one column per example)');
  const y = checkMatrix(where, 'Y', Y);
  expectShape(where, 'Y', y, 1, x.shape[1], '(one target per example)');
  const n = o.points ?? 200;
  const lo = Math.min(...x.data);
  const hi = Math.max(...x.data);
  const grid = new Float64Array(n).map((_, i) => lo + ((hi - lo) * i) / (n - 1));
  const G: Matrix = { shape: [1, n], data: x.data instanceof Float32Array ? Float32Array.from(grid) : grid };
  const p = (predict as RegressionPredictor)(G);
  return checkedSpec({
    $schema: VEGA_LITE_SCHEMA,
    ...(title === undefined ? {} : { title }),
    width,
    height,
    layer: [
      { data: { values: Array.from(x.data, (v, i) => ({ x: v, y: y.data[i] })) },
        mark: { type: 'circle', size: 25, color: POINT_COLORS[1], opacity: 0.7 },
        encoding: { x: { field: 'x', type: 'quantitative', title: 'x' }, y: { field: 'y', type: 'quantitative', title: 'y' } } },
      { data: { values: Array.from(grid, (v, i) => ({ x: v, y: p.data[i] })) },
        mark: { type: 'line', color: LINE_COLOR, strokeWidth: 2 },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
    ],
    config: { font: FONT },
  });
}
