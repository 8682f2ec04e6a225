// classificationReport: scikit-learn's classification_report text, character
// for character (Python's '{:9.2f}' formatting, ties to even included).
import { options, typeError } from '../errors';
import { precisionRecallF1, PrfOptions, PrfScores } from './classification';
import { pair, uniqueSorted, Vector } from './inputs';

/** Options of classificationReport. */
export interface ClassificationReportOptions extends PrfOptions {
  /** A display name per class, in the order of labels (default: the labels as numbers). */
  targetNames?: string[];
  /** Decimal places (default 2). */
  digits?: number;
}

/**
 * Per class precision, recall, F1 and support, then accuracy and the macro
 * and weighted averages, laid out as scikit-learn's classification_report
 * (a "micro avg" row replaces accuracy when the labels leave a class out).
 */
export function classificationReport(yTrue: Vector, yPred: Vector, opts?: ClassificationReportOptions): string {
  const where = 'classificationReport';
  const o = options<ClassificationReportOptions>(where, opts, ['labels', 'zeroDivision', 'targetNames', 'digits']);
  const digits = o.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 15) throw typeError(where, 'digits', 'an integer in [0, 15]', digits);
  const r = precisionRecallF1(yTrue, yPred, { labels: o.labels, zeroDivision: o.zeroDivision });
  const names = o.targetNames ?? r.labels.map(String);
  if (!Array.isArray(names) || names.length !== r.labels.length || !names.every((n) => typeof n === 'string')) {
    throw typeError(where, 'targetNames', `an array of ${r.labels.length} strings (one per class: ${r.labels.join(', ')})`, names);
  }
  const present = uniqueSorted(...pair(where, yTrue, yPred));
  const microIsAccuracy = present.every((l) => r.labels.includes(l));

  const width = Math.max(...names.map((n) => n.length), 'weighted avg'.length, digits);
  const cell = (s: string): string => ' ' + s.padStart(9);
  const row = (heading: string, cells: string[]): string => heading.padStart(width) + ' ' + cells.map(cell).join('') + '\n';
  const fixed = (v: number): string => pythonFixed(v, digits);
  const scores = (s: PrfScores): string[] => [s.precision, s.recall, s.f1].map(fixed);
  const total = String(r.support.reduce((a, b) => a + b, 0));

  let out = row('', ['precision', 'recall', 'f1-score', 'support']) + '\n';
  r.labels.forEach((_, i) => {
    out += row(names[i], [...scores({ precision: r.precision[i], recall: r.recall[i], f1: r.f1[i] }), String(r.support[i])]);
  });
  out += '\n';
  out += microIsAccuracy ? row('accuracy', ['', '', fixed(r.micro.f1), total]) : row('micro avg', [...scores(r.micro), total]);
  out += row('macro avg', [...scores(r.macro), total]);
  out += row('weighted avg', [...scores(r.weighted), total]);
  return out;
}

/**
 * x with `digits` decimals as Python's format(x, '.{digits}f'): the exact
 * binary value correctly rounded, an exact tie to the even digit (toFixed
 * rounds ties away from zero: 0.125 is '0.13' there, '0.12' in Python).
 */
export function pythonFixed(x: number, digits: number): string {
  const rounded = x.toFixed(digits);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return rounded;
  // toFixed(100) is exact for the values a report holds (its binary expansion ends within 100 digits).
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf('.');
  const cut = point + 1 + digits;
  if (exact[cut] !== '5' || !/^0*$/.test(exact.slice(cut + 1))) return rounded;
  const kept = exact.slice(0, digits === 0 ? point : cut);
  const last = Number(kept[kept.length - 1]);
  return last % 2 === 0 ? (x < 0 ? '-' : '') + kept : rounded;
}
