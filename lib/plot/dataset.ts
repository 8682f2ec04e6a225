// Scatter plot of a 2-D dataset, points colored by class label (the course's
// plt.scatter(X[0, :], X[1, :], c=Y, cmap=plt.cm.Spectral)).
import { options } from '../errors';
import { Matrix } from '../matrix';
import { checkClasses, checkPoints, plotOptions, pointRows } from './inputs';
import { renderSvg } from './render';
import { checkedSpec } from './spec';
import { classColors, FONT, PlotOptions, PLOT_OPTION_KEYS, VegaLiteSpec, VEGA_LITE_SCHEMA } from './style';

/** Options of plotDataset. */
export type DatasetOptions = PlotOptions;

/** Points to draw: the examples, and optionally a second set (test examples) drawn as triangles. */
export interface PointSets {
  X: Matrix;
  Y: Matrix;
  test?: { X: Matrix; Y: Matrix };
}

/** The Vega-Lite layer drawing the points colored by class, 0..K-1 (shared with the decision boundary). */
export function pointLayer(points: PointSets, K: number, domain?: { x1: [number, number]; x2: [number, number] }) {
  const scale = (d?: [number, number]) => (d ? { domain: d, nice: false, zero: false } : { zero: false });
  const { test } = points;
  const values = test ? [...pointRows(points.X, points.Y, 'training'), ...pointRows(test.X, test.Y, 'test')] : pointRows(points.X, points.Y);
  return {
    data: { values },
    mark: { type: 'point' as const, filled: true, size: 40, opacity: 1, stroke: 'black', strokeWidth: 0.4, ...(test ? {} : { shape: 'circle' }) },
    encoding: {
      x: { field: 'x1', type: 'quantitative' as const, title: 'x1', scale: scale(domain?.x1) },
      y: { field: 'x2', type: 'quantitative' as const, title: 'x2', scale: scale(domain?.x2) },
      color: {
        field: 'label', type: 'nominal' as const, title: 'label',
        scale: { domain: Array.from({ length: K }, (_, k) => k), range: classColors(K).points },
      },
      ...(test ? { shape: { field: 'set', type: 'nominal' as const, title: 'examples',
        scale: { domain: ['training', 'test'], range: ['circle', 'triangle-up'] } } } : {}),
    },
  };
}

/** Vega-Lite spec of the scatter plot of X (2, m) colored by Y (1, m) of class labels (0/1, or 0..K-1). */
export function datasetSpec(X: Matrix, Y: Matrix, opts?: DatasetOptions): VegaLiteSpec {
  return buildDatasetSpec('datasetSpec', X, Y, opts);
}

/** SVG of the scatter plot of X (2, m) colored by Y (1, m) of class labels (0/1, or 0..K-1). */
export async function plotDataset(X: Matrix, Y: Matrix, opts?: DatasetOptions): Promise<string> {
  return renderSvg(buildDatasetSpec('plotDataset', X, Y, opts));
}

function buildDatasetSpec(where: string, X: unknown, Y: unknown, opts: unknown): VegaLiteSpec {
  const { title, width, height } = plotOptions(where, options<DatasetOptions>(where, opts, PLOT_OPTION_KEYS));
  const [x, y] = checkPoints(where, X, Y);
  return checkedSpec({
    $schema: VEGA_LITE_SCHEMA,
    ...(title === undefined ? {} : { title }),
    width,
    height,
    ...pointLayer({ X: x, Y: y }, checkClasses(where, 'Y', y)),
    config: { font: FONT },
  });
}
