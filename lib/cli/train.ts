// deepnet train: fit a Model on a data file or a generated dataset, with
// progress, and save the model, its figures and its report. Every check runs
// first (trainPlan.ts); a SIGINT or SIGTERM stops training at the next step,
// after which everything is saved as at the end of a full run.
import * as fs from 'fs';
import * as path from 'path';
import { Split } from '../datasets/cat';
import { columns, History } from '../fitOptions';
import { AbortError, Evaluation, Model } from '../model';
import { plotCostCurve, plotDecisionBoundary } from '../plot';
import { saveModel, writeFigure, writeOutput } from './output';
import { progressSink } from './progress';
import { runReportHtml, ScoredSet } from './report';
import { interruptible } from './signals';
import { planTraining, TRAIN_FLAGS, TRAIN_HELP, TrainPlan } from './trainPlan';
import { parse } from './usage';

export { TRAIN_HELP } from './trainPlan';

/** The sets to score: the examples trained on, those validationSplit held out (the last fraction, as fit), the test set. */
function scoredSets(plan: TrainPlan, model: Model): ScoredSet[] {
  const { X, Y } = plan.data.train;
  const sets: { name: string; source: string; split: Split }[] = [];
  const f = plan.fit.validationSplit;
  if (f === undefined) {
    sets.push({ name: 'training', source: plan.data.name, split: plan.data.train });
  } else {
    const m = Y.shape[1];
    const at = Math.floor(m * (1 - f));
    const part = (from: number, to: number) => ({ X: columns(X, from, to), Y: columns(Y, from, to) }) as Split;
    sets.push({ name: 'training', source: `${plan.data.name}, first ${at} examples`, split: part(0, at) },
      { name: 'validation', source: `${plan.data.name}, last ${m - at} examples`, split: part(at, m) });
  }
  if (plan.test) sets.push({ name: 'test', source: plan.testName!, split: plan.test });
  return sets.map((s) => ({ ...s, evaluation: model.evaluate(s.split.X, s.split.Y) }));
}

/** What the settings table of the report lists. */
function settingsOf(plan: TrainPlan, history: History): [string, string][] {
  const f = plan.fit;
  return [
    ['optimizer', String(f.optimizer)], ['learning rate', String(f.learningRate)],
    ['batch size', f.batchSize === undefined ? 'all examples' : String(f.batchSize)],
    ['epochs', `${history.epochs} of ${f.epochs}`], ['scaler', f.scaler === undefined ? 'none' : String(f.scaler)],
    ...(f.learningRateDecay ? [['learning-rate decay', `${f.learningRateDecay.schedule}, rate ${f.learningRateDecay.rate}`] as [string, string]] : []),
    ...(f.validationSplit !== undefined ? [['validation split', String(f.validationSplit)] as [string, string]] : []),
    ...(f.earlyStopping ? [['early stopping', `patience ${f.earlyStopping.patience}`] as [string, string]] : []),
  ];
}

function scoreText(model: Model, name: string, e: Evaluation): string {
  return model.output === 'linear' ? `${name} R^2 ${(e.r2 ?? NaN).toFixed(4)}` : `${name} accuracy ${e.accuracy.toFixed(4)}`;
}

/** Runs deepnet train; resolves to the exit code. */
export async function train(argv: string[]): Promise<number> {
  const c = 'train';
  const a = parse(c, argv, TRAIN_FLAGS);
  if (a.help) {
    process.stdout.write(`${TRAIN_HELP}\n`);
    return 0;
  }
  const plan = planTraining(a, process.stdout.isTTY === true);
  const model = new Model(plan.model);
  const { json, unit } = plan;
  const trainSet = plan.data.train;
  if (!json) process.stderr.write(`training ${model.summary().split('\n').pop()}\non ${plan.data.name}: m = ${trainSet.X.shape[1]}\n`);
  const progress = progressSink(plan.fit.epochs, json, unit);
  const stop = interruptible((signal) => {
    if (!json) process.stderr.write(`\n${signal}: stopping at the next step, then saving (send it again to exit at once)\n`);
  });
  const start = process.hrtime.bigint();
  try {
    let history: History;
    try {
      history = await model.fit(trainSet.X, trainSet.Y, {
        ...plan.fit, signal: stop.signal,
        onProgress: ({ epoch, cost, validationCost, validationAccuracy }) => progress.update(epoch, cost, validationCost, validationAccuracy),
      });
    } catch (err) {
      if (!(err instanceof AbortError)) throw err;
      history = err.history;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const lastCost = history.costs[history.costs.length - 1];
    progress.end(history.epochs, lastCost ?? NaN);
    const sets = scoredSets(plan, model);
    const signal = stop.received();
    const what = unit === 'it' ? 'iterations' : 'epochs';
    const ending = signal ? `stopped by ${signal} after ${history.epochs} of ${plan.fit.epochs} ${what}`
      : history.stoppedEarly ? `stopped early after ${history.epochs} ${what} (best epoch ${history.bestEpoch})` : undefined;
    // What was written, by the summary's names for it.
    const written: { model?: string; plot?: string; boundary?: string; report?: string } = {};
    if (plan.out) {
      saveModel(c, 'out', plan.out, model);
      written.model = plan.out;
    }
    // One point per logged iteration, as the notes record the cost every 100 iterations (none when stopped before the first).
    const logged = Array.from(history.costs).filter((_, i) => i % plan.fit.logEvery === 0);
    if (plan.plot && logged.length > 0) {
      writeFigure(c, 'plot', plan.plot, await plotCostCurve(logged, { learningRate: plan.fit.learningRate, every: plan.fit.logEvery }));
      written.plot = plan.plot;
    }
    if (plan.boundary) {
      writeFigure(c, 'boundary', plan.boundary, await plotDecisionBoundary((G) => model.predict(G), trainSet.X, trainSet.Y,
        plan.test ? { test: plan.test } : {}));
      written.boundary = plan.boundary;
    }
    if (plan.report) {
      fs.mkdirSync(plan.report, { recursive: true });
      written.report = path.join(plan.report, 'index.html');
      writeOutput(c, 'report', written.report, await runReportHtml({
        model, data: plan.data.name, history, unit: unit === 'it' ? 'iterations' : 'epochs', settings: settingsOf(plan, history),
        sets, seconds, ...(ending ? { ending } : {}),
      }));
    }
    const byName = Object.fromEntries(sets.map((s) => [s.name, s.evaluation]));
    const summary = {
      iterations: history.iterations, interrupted: signal !== undefined, ...(signal ? { signal } : {}), cost: lastCost,
      ...(history.stoppedEarly ? { stoppedEarly: true, bestEpoch: history.bestEpoch } : {}),
      ...(history.validationCosts ? { validationCost: history.validationCosts[history.validationCosts.length - 1] } : {}),
      ...(model.output === 'linear'
        ? { trainR2: byName.training.r2, trainMeanSquaredError: byName.training.meanSquaredError,
          ...(byName.validation ? { validationR2: byName.validation.r2 } : {}), ...(byName.test ? { testR2: byName.test.r2 } : {}) }
        : { trainAccuracy: byName.training.accuracy, ...(byName.validation ? { validationAccuracy: byName.validation.accuracy } : {}),
          ...(byName.test ? { testAccuracy: byName.test.accuracy } : {}) }),
      ...written,
    };
    progress.done(summary);
    if (!json) {
      process.stdout.write(`${ending ? `${ending}; ` : ''}${sets.map((s) => scoreText(model, s.name, s.evaluation)).join(', ')}` +
        `, final cost ${Number(lastCost ?? NaN).toFixed(6)}\n`);
      for (const [label, file] of [['model', written.model], ['cost curve', written.plot], ['decision boundary', written.boundary],
        ['report', written.report]]) {
        if (file) process.stdout.write(`${label} saved to ${file}\n`);
      }
    }
    return stop.exitCode();
  } finally {
    stop.dispose();
  }
}
