// Scatter plot of a 2-D binary dataset, points colored by label (the course's
// plt.scatter(X[0, :], X[1, :], c=Y, cmap=plt.cm.Spectral)).
import { options } from '../errors';
import { Matrix } from '../matrix';
import { checkPoints, plotOptions, pointRows } from './inputs';
import { renderSvg } from './render';
import { checkedSpec } from './spec';
import { VegaLiteSpec } from './style';
import { FONT, PLOT_OPTION_KEYS, PlotOptions, POINT_COLORS, VEGA_LITE_SCHEMA } from './style';

export type DatasetOptions = PlotOptions;

/** The Vega-Lite layer drawing X's points colored by Y (shared with the decision boundary). */
export function pointLayer(X: Matrix, Y: Matrix, domain?: { x1: [number, number]; x2: [number, number] }) {
  const scale = (d?: [number, number]) => (d ? { domain: d, nice: false, zero: false } : { zero: false });
  return {
    data: { values: pointRows(X, Y) },
    mark: { type: 'circle' as const, size: 40, opacity: 1, stroke: 'black', strokeWidth: 0.4 },
    encoding: {
      x: { field: 'x1', type: 'quantitative' as const, title: 'x1', scale: scale(domain?.x1) },
      y: { field: 'x2', type: 'quantitative' as const, title: 'x2', scale: scale(domain?.x2) },
      color: {
        field: 'label', type: 'nominal' as const, title: 'label',
        scale: { domain: [0, 1], range: [...POINT_COLORS] },
      },
    },
  };
}

/** Vega-Lite spec of the scatter plot of X (2, m) colored by Y (1, m) of 0/1 labels. */
export function datasetSpec(X: Matrix, Y: Matrix, opts?: DatasetOptions): VegaLiteSpec {
  return buildDatasetSpec('datasetSpec', X, Y, opts);
}

/** SVG of the scatter plot of X (2, m) colored by Y (1, m) of 0/1 labels. */
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
    ...pointLayer(x, y),
    config: { font: FONT },
  });
}
