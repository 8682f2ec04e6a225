// The demo's report: every figure as an SVG file next to index.html, a table
// of train/test accuracy per experiment and the gradient checks; each file
// written as the CLI writes all its files (see cli/output.ts).
import * as fs from 'fs';
import * as path from 'path';
import { backendInfo } from '../backend';
import { writeOutput } from '../cli/output';
import { plotConfusionMatrix, plotCostCurve, plotDataset, plotDecisionBoundary, plotFit } from '../plot';
import { escapeHtml } from '../report/html';
import { DemoResults } from './experiments';


/** Writes dir/index.html and its figures; returns the paths of the figures. */
export async function writeReport(dir: string, results: DemoResults, seconds: number): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const figures: string[] = [];
  const figure = async (name: string, svg: Promise<string>, caption: string) => {
    writeOutput('demo', 'out', path.join(dir, name), await svg);
    figures.push(name);
    return `<figure><img src="${name}" alt="${escapeHtml(caption)}"><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
  };

  const data: string[] = [];
  for (const d of results.datasets) {
    data.push(await figure(`dataset-${d.id}.svg`, plotDataset(d.train.X, d.train.Y, { title: d.title }),
      `${d.title}: ${d.train.X.shape[1]} training examples (${d.test.X.shape[1]} more for testing)`));
  }
  const sections: string[] = [];
  const rows: string[] = [];
  for (const s of results.sections) {
    const parts: string[] = [];
    for (const r of s.runs) {
      rows.push(`<tr><td>${escapeHtml(s.title)}</td><td>${escapeHtml(r.title)}</td><td>${escapeHtml(r.dataset.id)}</td>` +
        `<td>${r.trainAccuracy.toFixed(4)}</td><td>${r.testAccuracy.toFixed(4)}</td><td>${r.seconds.toFixed(2)} s</td></tr>`);
      parts.push(`<div class="run"><h3>${escapeHtml(r.title)}</h3><p class="settings">${escapeHtml(r.settings)}</p>` +
        await figure(`${r.id}-boundary.svg`, plotDecisionBoundary(r.predict, r.dataset.train.X, r.dataset.train.Y, { title: r.title }),
          `decision boundary: train accuracy ${r.trainAccuracy.toFixed(4)}, test accuracy ${r.testAccuracy.toFixed(4)}`) +
        await figure(`${r.id}-cost.svg`, plotCostCurve(r.costs, { learningRate: r.learningRate, every: r.every, unit: r.unit }),
          `cost every ${r.every} ${r.unit}`) + '</div>');
    }
    sections.push(`<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2><p>${escapeHtml(s.text)}</p><div class="runs">${parts.join('')}</div></section>`);
  }
  const extra: string[] = [];
  const mc = results.multiClass;
  if (mc) {
    rows.push(`<tr><td>Multi-class</td><td>${escapeHtml(mc.title)}</td><td>digits</td><td>${mc.trainAccuracy.toFixed(4)}</td>` +
      `<td>${mc.testAccuracy.toFixed(4)}</td><td>${mc.seconds.toFixed(2)} s</td></tr>`);
    const perClass = mc.confusion.matrix.map((row, k) => `<tr><td>${mc.confusion.labels[k]}</td><td>${row.reduce((a, b) => a + b, 0)}</td>` +
      `<td>${(row[k] / row.reduce((a, b) => a + b, 0)).toFixed(3)}</td></tr>`).join('');
    extra.push(`<section id="multi-class"><h2>Multi-class: a softmax output</h2><p class="settings">${escapeHtml(mc.settings)}</p>` +
      `<div class="runs">${await figure('digits-confusion.svg', plotConfusionMatrix(mc.confusion, { title: 'digits: test set' }),
        `confusion matrix on the test set: accuracy ${mc.testAccuracy.toFixed(4)}`)}` +
      `<table id="per-class"><tr><th>class</th><th>test images</th><th>accuracy</th></tr>${perClass}</table></div></section>`);
  }
  const rg = results.regression;
  rows.push(`<tr><td>Regression</td><td>${escapeHtml(rg.title)}</td><td>generated</td><td>R<sup>2</sup> ${rg.trainR2.toFixed(4)}</td>` +
    `<td>R<sup>2</sup> ${rg.testR2.toFixed(4)}</td><td>${rg.seconds.toFixed(2)} s</td></tr>`);
  extra.push(`<section id="regression"><h2>Regression: a linear output</h2><p class="settings">${escapeHtml(rg.settings)}</p>` +
    `<div class="runs">${await figure('regression-fit.svg', plotFit(rg.predict, rg.train.X, rg.train.Y, { title: rg.title }),
      `training data and the fitted curve: R^2 ${rg.trainR2.toFixed(4)} on the training data, ${rg.testR2.toFixed(4)} on fresh data`)}</div></section>`);
  const checks = results.gradientChecks.map((c) => {
    const breakdown = c.result.breakdown.map((p) => `<tr><td>${p.key}</td><td>${p.difference.toExponential(3)}</td>` +
      `<td>${p.passed ? 'ok' : '<strong>deviates</strong>'}</td></tr>`).join('');
    return `<div class="check"><h3>${escapeHtml(c.title)}</h3><p>difference = ${c.result.difference.toExponential(6)}: ` +
      `${c.result.passed ? 'the backward pass is correct' : '<strong>there is a mistake in the backward pass</strong>'} ` +
      `(threshold ${c.result.threshold})</p><table><tr><th>parameter</th><th>difference</th><th></th></tr>${breakdown}</table></div>`;
  }).join('');
  const b = backendInfo();
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>deepnet demo report</title>
<style>
body { font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
.runs, .data, .checks { display: flex; flex-wrap: wrap; gap: 1.5em; }
figure { margin: 0.5em 0; } figure img { max-width: 380px; display: block; } figcaption { font-size: 0.85em; color: #555; }
.settings { font-size: 0.85em; color: #555; max-width: 380px; }
</style></head><body>
<h1>deepnet: the notes' experiments</h1>
<p>Generated by <code>deepnet demo</code> in ${seconds.toFixed(1)} s with deepnet ${escapeHtml(b.version)}
(gemm ${escapeHtml(b.gemm)}, ${escapeHtml(b.simd)}, ${b.threads} threads). All data is generated by deepnet itself.</p>
<h2>Results</h2>
<table id="results"><tr><th>experiment</th><th>setting</th><th>data</th><th>train accuracy</th><th>test accuracy</th><th>time</th></tr>${rows.join('')}</table>
<h2>Data</h2><div class="data">${data.join('')}</div>
${sections.join('\n')}
${extra.join('\n')}
<section id="gradient-checking"><h2>Gradient checking</h2>
<p>Central differences of the cost for every parameter, against the backward pass (the course's <code>gradient_check_n</code>).</p>
<div class="checks">${checks}</div></section>
</body></html>
`;
  writeOutput('demo', 'out', path.join(dir, 'index.html'), html);
  return figures;
}
