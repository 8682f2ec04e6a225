// deepnet demo: the notes' experiments on generated data, as an HTML report.
import * as path from 'path';
import { runExperiments } from '../demo/experiments';
import { writeReport } from '../demo/report';
import { checkPlotting, checkReportDir } from './output';
import { parse } from './usage';

export const DEMO_HELP = `Usage: deepnet demo [--out DIR]

Runs the notes' experiments on data deepnet generates itself and writes a
report with every figure (a few seconds):
  - initialization: zeros, large random (x10) and He on the circles data;
  - regularization: none, L2 and dropout on football-like data;
  - an L-layer network trained with the notes' functions on the planar flower;
  - optimization: gd, momentum and Adam with mini-batches on the moons data,
    with and without learning-rate decay;
  - a softmax classifier on scikit-learn's digits (when the course data
    directory is found: $DEEPNET_SHARED or ../shared) and a regression;
  - gradient checking of the backward pass, correct and with a planted bug.

  --out DIR       where to write index.html and the figures (default deepnet-report)
  --json          a JSON summary on stdout instead of text
  --verbose       stack traces on errors
  -h, --help      this help`;

export async function demo(argv: string[]): Promise<number> {
  const a = parse('demo', argv, { out: { type: 'string' } });
  if (a.help) {
    process.stdout.write(`${DEMO_HELP}\n`);
    return 0;
  }
  const dir = (a.out as string | undefined) ?? 'deepnet-report';
  // Before the experiments: the report's directory and the plotting packages it needs.
  checkReportDir('demo', 'out', dir, []);
  checkPlotting('demo', false);
  const start = process.hrtime.bigint();
  const log = a.json ? () => undefined : (line: string) => process.stdout.write(`${line}\n`);
  const results = runExperiments(log);
  const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
  const figures = await writeReport(dir, results, seconds());
  const report = path.join(dir, 'index.html');
  if (a.json) {
    process.stdout.write(`${JSON.stringify({
      report, figures: figures.length, seconds: Number(seconds().toFixed(2)),
      experiments: results.sections.flatMap((s) => s.runs.map((r) => ({ section: s.id, id: r.id, trainAccuracy: r.trainAccuracy, testAccuracy: r.testAccuracy }))),
      ...(results.multiClass ? { multiClass: { trainAccuracy: results.multiClass.trainAccuracy, testAccuracy: results.multiClass.testAccuracy } } : {}),
      regression: { trainR2: results.regression.trainR2, testR2: results.regression.testR2 },
      gradientChecks: results.gradientChecks.map((c) => ({ title: c.title, difference: c.result.difference, passed: c.result.passed })),
    })}\n`);
  } else {
    process.stdout.write(`report: ${report} (${figures.length} figures) in ${seconds().toFixed(1)} s\n`);
  }
  return 0;
}
