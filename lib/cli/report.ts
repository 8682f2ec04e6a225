// deepnet train --report DIR: one self-contained HTML page about the user's
// own run (DIR/index.html, every figure inline as SVG): the settings, the
// scores on each set, the training and validation cost curves (on a log axis
// when the costs span a decade), a confusion matrix and classification report
// for a classifier, and the decision boundary with the training and test
// points for 2-D data (the fitted curve for a 1-D regression).
import { backendInfo } from '../backend';
import { Split } from '../datasets/cat';
import { History } from '../fitOptions';
import { classificationReport, confusionMatrix } from '../metrics';
import { Evaluation, Model } from '../model';
import { plotConfusionMatrix, plotCostCurve, plotDecisionBoundary, plotFit } from '../plot';
import { escapeHtml, htmlTable, inlineFigure } from '../report/html';

/** One set the model was scored on. */
export interface ScoredSet {
  /** 'training', 'validation' or 'test'. */
  name: string;
  /** Where its examples came from. */
  source: string;
  split: Split;
  evaluation: Evaluation;
}

/** What the report shows. */
export interface RunReport {
  model: Model;
  data: string;
  history: History;
  /** What an epoch of the history is: a full-batch iteration or an epoch of mini-batches. */
  unit: 'iterations' | 'epochs';
  /** The fit's settings, as they are to be listed. */
  settings: [string, string][];
  sets: ScoredSet[];
  seconds: number;
  /** How training ended, when not by finishing its epochs. */
  ending?: string;
}

/** Cost curves of at most this many points (a long run is drawn every n-th epoch). */
const MAX_POINTS = 1000;
const WIDE = 900;

const STYLE = `body { font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: ${WIDE + 100}px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; } figcaption { font-size: 0.85em; color: #555; }
pre { background: #f6f6f6; padding: 0.8em; }`;

function score(model: Model, e: Evaluation): string[] {
  return model.output === 'linear'
    ? [e.cost.toPrecision(6), (e.meanSquaredError ?? NaN).toPrecision(6), (e.r2 ?? NaN).toFixed(4)]
    : [e.cost.toPrecision(6), e.accuracy.toFixed(4)];
}

/** Every stride-th entry of a. */
function thin(a: Float64Array, stride: number): Float64Array {
  return stride === 1 ? a : a.filter((_, i) => i % stride === 0);
}

async function costFigure(r: RunReport): Promise<string> {
  const h = r.history;
  if (h.costs.length === 0) return '<p>No epoch was trained: no cost curve.</p>';
  const stride = Math.ceil(h.costs.length / MAX_POINTS);
  const { unit } = r;
  const svg = await plotCostCurve(thin(h.costs, stride), {
    every: stride, unit, scale: 'auto', width: WIDE, height: 320,
    ...(h.validationCosts ? { validation: thin(h.validationCosts, stride) } : {}),
  });
  return inlineFigure(svg, 'cost', `cost per ${unit === 'epochs' ? 'epoch' : 'iteration'}` +
    `${h.validationCosts ? ' on the training batches and on the validation set' : ''}${stride > 1 ? ` (every ${stride}th)` : ''}`);
}

/** The confusion matrix and classification report of a classifier with one label per example, on the last set scored. */
async function classifierFigures(r: RunReport): Promise<string> {
  const K = r.model.layers[r.model.layers.length - 1];
  if (r.model.output === 'linear' || (r.model.output === 'sigmoid' && K > 1)) return '';
  const set = r.sets[r.sets.length - 1];
  const predicted = r.model.predict(set.split.X);
  const labels = Array.from({ length: r.model.output === 'softmax' ? K : 2 }, (_, k) => k);
  const cm = confusionMatrix(set.split.Y, predicted, { labels });
  const svg = await plotConfusionMatrix(cm, { width: Math.min(WIDE, 60 * labels.length + 200), height: Math.min(600, 40 * labels.length + 120) });
  return `<h2>Classes (${escapeHtml(set.name)} set)</h2>` +
    inlineFigure(svg, 'confusion', `confusion matrix on the ${set.name} set (${set.split.X.shape[1]} examples): rows are true classes`) +
    `<pre id="classification-report">${escapeHtml(classificationReport(set.split.Y, predicted, { labels, digits: 4 }))}</pre>`;
}

/** The decision boundary (2-D classifier) or the fitted curve (1-D regression), over the training and test examples. */
async function dataFigure(r: RunReport): Promise<string> {
  const nx = r.model.layers[0];
  const K = r.model.layers[r.model.layers.length - 1];
  const train = r.sets[0].split;
  const test = r.sets.find((s) => s.name === 'test')?.split;
  if (nx === 2 && r.model.output !== 'linear' && (r.model.output === 'softmax' || K === 1)) {
    const svg = await plotDecisionBoundary((G) => r.model.predict(G), train.X, train.Y,
      { width: 720, height: 540, ...(test ? { test } : {}) });
    return '<h2>Decision boundary</h2>' + inlineFigure(svg, 'boundary',
      `the model's prediction over the data; circles: ${train.X.shape[1]} training examples` +
      (test ? `, triangles: ${test.X.shape[1]} test examples` : ''));
  }
  if (nx === 1 && r.model.output === 'linear' && K === 1) {
    const svg = await plotFit((G) => r.model.predict(G), train.X, train.Y, { width: WIDE, height: 400 });
    return '<h2>Fit</h2>' + inlineFigure(svg, 'fit', `the training data and the model's prediction over its range`);
  }
  return '';
}

/** The report's HTML: one page, no external resources. */
export async function runReportHtml(r: RunReport): Promise<string> {
  const b = backendInfo();
  const metrics = r.model.output === 'linear' ? ['cost', 'mean squared error', 'R²'] : ['cost', 'accuracy'];
  const scores = htmlTable('scores', ['set', 'examples', 'from', ...metrics],
    r.sets.map((s) => [s.name, String(s.split.X.shape[1]), s.source, ...score(r.model, s.evaluation)]));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>deepnet: training report</title>
<style>${STYLE}</style></head><body>
<h1>deepnet: training report</h1>
<p>${escapeHtml(r.data)}: trained for ${r.history.epochs} ${r.unit}
in ${r.seconds < 0.1 ? `${(r.seconds * 1000).toFixed(0)} ms` : `${r.seconds.toFixed(2)} s`}${r.ending ? ` (${escapeHtml(r.ending)})` : ''} with deepnet ${escapeHtml(b.version)}
(gemm ${escapeHtml(b.gemm)}, ${escapeHtml(b.simd)}, ${b.threads} threads).</p>
<h2>Scores</h2>${scores}
<h2>Cost</h2>${await costFigure(r)}
${await classifierFigures(r)}
${await dataFigure(r)}
<h2>Model</h2><pre id="summary">${escapeHtml(r.model.summary())}</pre>
${htmlTable('settings', ['setting', 'value'], r.settings)}
</body></html>
`;
}
