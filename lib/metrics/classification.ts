// Classification metrics from true and predicted labels, as scikit-learn's
// accuracy_score, confusion_matrix and precision_recall_fscore_support
// compute them (counts first, then one division each).
import { options, rangeError, typeError } from '../errors';
import { labelsOption, pair, uniqueSorted, Vector } from './inputs';

/** The fraction of examples whose predicted label equals the true one. */
export function accuracy(yTrue: Vector, yPred: Vector): number {
  const [t, p] = pair('accuracy', yTrue, yPred);
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
  return hits / t.length;
}

/** Which classes a metric reports, and in what order. */
export interface LabelsOptions {
  /** The classes, in the order of the result's rows and columns. Default: every value of yTrue and yPred, ascending. Examples with other labels are left out. */
  labels?: number[];
}

/** confusionMatrix's result. */
export interface ConfusionMatrix {
  /** The classes, in the order of the rows and columns. */
  labels: number[];
  /** matrix[i][j]: examples of true class labels[i] predicted as labels[j]. */
  matrix: number[][];
}

/** scikit-learn's confusion_matrix: rows are true classes, columns predicted ones. */
export function confusionMatrix(yTrue: Vector, yPred: Vector, opts?: LabelsOptions): ConfusionMatrix {
  return counts('confusionMatrix', yTrue, yPred, opts).confusion;
}

interface Counts {
  confusion: ConfusionMatrix;
  tp: number[];
  /** Examples predicted as each class, whatever their true class (as scikit-learn counts them). */
  predicted: number[];
  /** Examples of each class (the support), whatever their prediction. */
  actual: number[];
}

function counts(where: string, yTrue: Vector, yPred: Vector, opts: LabelsOptions | undefined,
  extra: readonly string[] = []): Counts {
  const o = options<LabelsOptions>(where, opts, ['labels', ...extra]);
  const [t, p] = pair(where, yTrue, yPred);
  const labels = labelsOption(where, o.labels) ?? uniqueSorted(t, p);
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  const predicted = labels.map(() => 0);
  const actual = labels.map(() => 0);
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]);
    const b = index.get(p[i]);
    if (a !== undefined) actual[a]++;
    if (b !== undefined) predicted[b]++;
    if (a !== undefined && b !== undefined) matrix[a][b]++;
  }
  return { confusion: { labels, matrix }, tp: labels.map((_, i) => matrix[i][i]), predicted, actual };
}

/** Options of the precision / recall / F1 functions. */
export interface PrfOptions extends LabelsOptions {
  /** The value of a ratio whose denominator is 0 (a class never predicted, or absent): 0 (default, scikit-learn's 'warn') or 1. */
  zeroDivision?: 0 | 1;
}

/** Precision, recall and F1 of one class or one average. */
export interface PrfScores {
  /** Of the examples predicted in the class, the share that are. */
  precision: number;
  /** Of the examples in the class, the share predicted so. */
  recall: number;
  /** The harmonic mean of precision and recall. */
  f1: number;
}

/** precisionRecallF1's result: per class, then averaged three ways. */
export interface PrfReport {
  /** The classes, ascending (or as the labels option gives them). */
  labels: number[];
  /** Per class, in the order of labels. */
  precision: number[];
  /** Per class, in the order of labels. */
  recall: number[];
  /** Per class, in the order of labels. */
  f1: number[];
  /** True examples of each class. */
  support: number[];
  /** The unweighted mean over classes. */
  macro: PrfScores;
  /** The mean weighted by support. */
  weighted: PrfScores;
  /** From the summed counts (the accuracy when labels cover every class). */
  micro: PrfScores;
}

/**
 * scikit-learn's precision_recall_fscore_support: per class precision =
 * tp / predicted, recall = tp / actual, F1 = 2 tp / (actual + predicted),
 * with their macro, weighted and micro averages.
 */
export function precisionRecallF1(yTrue: Vector, yPred: Vector, opts?: PrfOptions): PrfReport {
  return report('precisionRecallF1', yTrue, yPred, opts);
}

function report(where: string, yTrue: Vector, yPred: Vector, opts: PrfOptions | undefined, extra: readonly string[] = []): PrfReport {
  const zero = zeroDivision(where, opts?.zeroDivision);
  const c = counts(where, yTrue, yPred, opts, ['zeroDivision', ...extra]);
  const divide = (a: number, b: number): number => (b === 0 ? zero : a / b);
  const precision = c.tp.map((tp, i) => divide(tp, c.predicted[i]));
  const recall = c.tp.map((tp, i) => divide(tp, c.actual[i]));
  const f1 = c.tp.map((tp, i) => divide(2 * tp, c.actual[i] + c.predicted[i]));
  const sum = (a: number[]): number => a.reduce((s, v) => s + v, 0);
  const mean = (a: number[]): number => sum(a) / a.length;
  const support = sum(c.actual);
  const weighted = (a: number[]): number => (support === 0 ? zero : sum(a.map((v, i) => v * c.actual[i])) / support);
  const [tp, predicted] = [sum(c.tp), sum(c.predicted)];
  return {
    labels: c.confusion.labels, precision, recall, f1, support: c.actual,
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    weighted: { precision: weighted(precision), recall: weighted(recall), f1: weighted(f1) },
    micro: { precision: divide(tp, predicted), recall: divide(tp, support), f1: divide(2 * tp, support + predicted) },
  };
}

function zeroDivision(where: string, v: unknown): number {
  if (v === undefined) return 0;
  if (v !== 0 && v !== 1) throw typeError(where, 'zeroDivision', '0 or 1', v);
  return v;
}

/** How precision, recall and f1Score combine the classes (scikit-learn's average). */
export type Average = 'binary' | 'macro' | 'weighted' | 'micro';

/** Options of precision, recall and f1Score. */
export interface AverageOptions extends PrfOptions {
  /** 'binary' (default): the score of posLabel alone, for 0/1 labels; else an average over classes. */
  average?: Average;
  /** The positive class of 'binary' (default 1). */
  posLabel?: number;
}

/** One of precision / recall / F1, averaged as scikit-learn's precision_score, recall_score, f1_score. */
function averaged(where: string, score: keyof PrfScores, yTrue: Vector, yPred: Vector, opts?: AverageOptions): number {
  const average = opts?.average ?? 'binary';
  if (!['binary', 'macro', 'weighted', 'micro'].includes(average)) {
    throw typeError(where, 'average', "'binary', 'macro', 'weighted' or 'micro'", average);
  }
  const posLabel = opts?.posLabel ?? 1;
  if (typeof posLabel !== 'number' || !Number.isFinite(posLabel)) throw typeError(where, 'posLabel', 'a finite number', posLabel);
  const r = report(where, yTrue, yPred, opts, ['average', 'posLabel']);
  if (average !== 'binary') return r[average][score];
  if (opts?.labels === undefined && r.labels.length > 2) {
    throw rangeError(where, 'average', "'macro', 'weighted' or 'micro' for more than two classes",
      `'binary' with the classes ${r.labels.join(', ')}`);
  }
  const i = r.labels.indexOf(posLabel);
  if (i < 0) throw rangeError(where, 'posLabel', `one of the labels (${r.labels.join(', ')})`, String(posLabel));
  return r[score][i];
}

/** tp / (tp + fp) of posLabel, or averaged over classes (scikit-learn's precision_score). */
export function precision(yTrue: Vector, yPred: Vector, opts?: AverageOptions): number {
  return averaged('precision', 'precision', yTrue, yPred, opts);
}

/** tp / (tp + fn) of posLabel, or averaged (scikit-learn's recall_score). */
export function recall(yTrue: Vector, yPred: Vector, opts?: AverageOptions): number {
  return averaged('recall', 'recall', yTrue, yPred, opts);
}

/** 2 tp / (2 tp + fp + fn) of posLabel, or averaged (scikit-learn's f1_score). */
export function f1Score(yTrue: Vector, yPred: Vector, opts?: AverageOptions): number {
  return averaged('f1Score', 'f1', yTrue, yPred, opts);
}
