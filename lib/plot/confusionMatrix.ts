// A confusion matrix as a heat map: rows are true classes, columns predicted
// ones, each cell colored by the share of its row and labelled with its count.
import { options, typeError } from '../errors';
import type { ConfusionMatrix } from '../metrics';
import { plotOptions } from './inputs';
import { renderSvg } from './render';
import { checkedSpec } from './spec';
import { FONT, PlotOptions, PLOT_OPTION_KEYS, VegaLiteSpec, VEGA_LITE_SCHEMA } from './style';

/** Options of plotConfusionMatrix. */
export type ConfusionMatrixOptions = PlotOptions;

/** Vega-Lite spec of a confusion matrix (as metrics.confusionMatrix returns it). */
export function confusionMatrixSpec(cm: ConfusionMatrix, opts?: ConfusionMatrixOptions): VegaLiteSpec {
  return build('confusionMatrixSpec', cm, opts);
}

/** SVG of a confusion matrix (see confusionMatrixSpec). */
export async function plotConfusionMatrix(cm: ConfusionMatrix, opts?: ConfusionMatrixOptions): Promise<string> {
  return renderSvg(build('plotConfusionMatrix', cm, opts));
}

function build(where: string, cm: unknown, opts: unknown): VegaLiteSpec {
  const { title, width, height } = plotOptions(where, options<ConfusionMatrixOptions>(where, opts, PLOT_OPTION_KEYS));
  const c = cm as Partial<ConfusionMatrix> | null;
  if (c === null || typeof c !== 'object' || !Array.isArray(c.labels) || !Array.isArray(c.matrix) ||
    c.matrix.length !== c.labels.length || !c.matrix.every((r) => Array.isArray(r) && r.length === c.labels!.length)) {
    throw typeError(where, 'cm', 'a confusion matrix { labels, matrix } (as confusionMatrix returns it)', cm);
  }
  const cells = c.matrix.flatMap((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, j) => ({ actual: String(c.labels![i]), predicted: String(c.labels![j]), count, share: total ? count / total : 0 }));
  });
  const order = c.labels.map(String);
  const encoding = {
    x: { field: 'predicted', type: 'ordinal' as const, sort: order, title: 'predicted class' },
    y: { field: 'actual', type: 'ordinal' as const, sort: order, title: 'true class' },
  };
  return checkedSpec({
    $schema: VEGA_LITE_SCHEMA,
    ...(title === undefined ? {} : { title }),
    width,
    height,
    data: { values: cells },
    layer: [
      { mark: 'rect', encoding: { ...encoding, color: { field: 'share', type: 'quantitative', title: 'share of row', scale: { scheme: 'blues', domain: [0, 1] } } } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { ...encoding, text: { field: 'count', type: 'quantitative' },
        color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' } } },
    ],
    config: { font: FONT },
  });
}
