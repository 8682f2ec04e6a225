// The metrics against scikit-learn's values on fixed inputs
// (test/fixtures/sklearn_oracle.json, written by scripts/oracles/sklearn_oracle.py).
import * as fs from 'fs';
import * as path from 'path';
import {
  accuracy, classificationReport, confusionMatrix, f1Score, logLoss, matrix, meanAbsoluteError, meanSquaredError,
  precision, precisionRecallF1, r2Score, recall, rocAuc,
} from '../lib';
import { pythonFixed } from '../lib/metrics/report';
import { expectNumberClose } from './helpers/golden';

const oracle = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sklearn_oracle.json'), 'utf8'));
const byName = (name: string) => oracle.classification.find((c: { name: string }) => c.name === name);

describe('classification metrics match scikit-learn', () => {
  test.each(['binary', 'multiclass', 'ties', 'subset'])('%s: accuracy, confusion matrix, precision / recall / F1 and the report', (name) => {
    const c = byName(name);
    const labels = c.labels ?? undefined;
    // Counts and one division each, as scikit-learn: the same doubles.
    expect(accuracy(c.y_true, c.y_pred)).toBe(c.accuracy);
    expect(confusionMatrix(c.y_true, c.y_pred, { labels }).matrix).toEqual(c.confusion_matrix);
    const r = precisionRecallF1(c.y_true, c.y_pred, { labels });
    expect({ labels: r.labels, precision: r.precision, recall: r.recall, f1: r.f1, support: r.support }).toEqual(c.per_class);
    for (const average of ['macro', 'weighted', 'micro'] as const) {
      for (const score of ['precision', 'recall', 'f1'] as const) {
        expectNumberClose(r[average][score], c[average][score], 1e-15, `${name} ${average} ${score}`);
        const fn = { precision, recall, f1: f1Score }[score];
        expect(fn(c.y_true, c.y_pred, { average, labels })).toBe(r[average][score]);
      }
    }
    if (c.binary) {
      expect([precision(c.y_true, c.y_pred), recall(c.y_true, c.y_pred), f1Score(c.y_true, c.y_pred)])
        .toEqual([c.binary.precision, c.binary.recall, c.binary.f1]);
    }
    expect(classificationReport(c.y_true, c.y_pred, { labels, targetNames: c.target_names ?? undefined, digits: c.digits }))
      .toBe(c.report);
  });

  test('inputs as deepnet matrices (1, m) and (m, 1), typed arrays or plain arrays give the same values', () => {
    const c = byName('binary');
    const asRow = matrix([c.y_true]);
    const asColumn = { shape: [c.y_true.length, 1] as [number, number], data: Float64Array.from(c.y_true) };
    const pred = Float32Array.from(c.y_pred);
    for (const t of [asRow, asColumn, Int8Array.from(c.y_true)]) {
      expect(accuracy(t, pred)).toBe(c.accuracy);
      expect(confusionMatrix(t, pred).matrix).toEqual(c.confusion_matrix);
    }
  });

  test('bad input names the function and the argument', () => {
    expect(() => accuracy([0, 1], [0])).toThrow('accuracy: yPred must be 2 values, one per value of yTrue; received 1 values');
    expect(() => accuracy([], [])).toThrow('accuracy: yTrue must be at least one value; received an empty array');
    expect(() => accuracy([0, NaN], [0, 1])).toThrow('accuracy: yTrue must be finite (no NaN or Infinity); received NaN at [1]');
    expect(() => accuracy([0, '1' as never], [0, 1])).toThrow('accuracy: yTrue[1] must be a number; received the string "1"');
    expect(() => accuracy(matrix([[0, 1], [1, 0]]), [0, 1, 1, 0])).toThrow('accuracy: yTrue.shape must be (1, m) or (m, 1): one value per example; received (2, 2)');
    expect(() => accuracy('01' as never, [0, 1])).toThrow('accuracy: yTrue must be a Matrix (1, m), a typed array or an array of numbers; received the string "01"');
    expect(() => precision([0, 1, 2], [0, 1, 2])).toThrow("precision: average must be 'macro', 'weighted' or 'micro' for more than two classes; received 'binary' with the classes 0, 1, 2");
    expect(() => recall([0, 0], [0, 0])).toThrow('recall: posLabel must be one of the labels (0); received 1');
    expect(() => f1Score([0, 1], [0, 1], { average: 'samples' } as never)).toThrow("f1Score: average must be 'binary', 'macro', 'weighted' or 'micro'");
    expect(() => precisionRecallF1([0, 1], [0, 1], { zeroDivision: 'warn' } as never)).toThrow('precisionRecallF1: zeroDivision must be 0 or 1; received the string "warn"');
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [0, 0] })).toThrow('confusionMatrix: labels must be distinct values; received [0, 0]');
    expect(() => confusionMatrix([0, 1], [0, 1], { normalize: true } as never)).toThrow("confusionMatrix: unknown option 'normalize' (known: labels)");
    expect(() => classificationReport([0, 1], [0, 1], { targetNames: ['a'] })).toThrow('classificationReport: targetNames must be an array of 2 strings (one per class: 0, 1); received an Array of length 1');
  });

  test("zeroDivision 1 and Python's ties-to-even formatting", () => {
    // Class 3 of the multiclass case is never predicted: its precision is the zeroDivision value.
    const c = byName('multiclass');
    expect(precisionRecallF1(c.y_true, c.y_pred).precision[3]).toBe(0);
    expect(precisionRecallF1(c.y_true, c.y_pred, { zeroDivision: 1 }).precision[3]).toBe(1);
    expect([0.125, 0.375, 2.5, 3.5, 0.135, -0.125, 1].map((v, i) => pythonFixed(v, [2, 2, 0, 0, 2, 2, 3][i])))
      .toEqual(['0.12', '0.38', '2', '4', '0.14', '-0.12', '1.000']);
  });
});

describe('probability metrics match scikit-learn', () => {
  test('rocAuc: ties count one half', () => {
    const c = byName('binary');
    expectNumberClose(rocAuc(c.y_true, c.score), c.roc_auc, 1e-15, 'binary roc_auc');
    for (const e of oracle.roc_auc_extra) expect(rocAuc(e.y_true, e.score)).toBe(e.roc_auc);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);  // scikit-learn's documented example
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow('rocAuc: yTrue must be both classes (ROC AUC is undefined with one); received only 1s');
    expect(() => rocAuc([0, 2], [0.2, 0.3])).toThrow('rocAuc: yTrue must be 0/1 labels; received 2 at [1]');
    expect(() => rocAuc([0, 1], [0.2])).toThrow('rocAuc: yScore must be 2 values, one per value of yTrue; received 1 values');
  });

  test('logLoss: binary (a sigmoid AL) and multi-class (a softmax AL (K, m)), clipped as scikit-learn', () => {
    const b = byName('binary');
    expectNumberClose(logLoss(b.y_true, b.score), b.log_loss, 1e-14, 'binary log_loss');
    expectNumberClose(logLoss(matrix([b.y_true]), matrix([b.score])), b.log_loss, 1e-14, 'binary log_loss, matrices');
    const c = byName('multiclass');
    expectNumberClose(logLoss(c.y_true, matrix(c.proba)), c.log_loss, 1e-14, 'multiclass log_loss');
    // A certain wrong answer costs -log(eps), not Infinity.
    expect(logLoss([1], [0])).toBe(-Math.log(2 ** -52));
    expect(logLoss([1, 0], [1, 0])).toBe(-Math.log(1 - 2 ** -52));
    expect(logLoss([1], Float32Array.from([0]))).toBe(-Math.log(2 ** -23));
    expectNumberClose(logLoss([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65]), 0.21616187468057912, 1e-15, 'documented example');
  });

  test('logLoss bad input', () => {
    expect(() => logLoss([0, 1], [0.5, 1.5])).toThrow('logLoss: yProb must be probabilities in [0, 1]; received 1.5 at index 1');
    expect(() => logLoss([0, 2], [0.5, 0.5])).toThrow('logLoss: yTrue must be 0/1 labels (yProb has one row: P(y = 1)); received 2 at [1]');
    expect(() => logLoss([0, 3], matrix([[0.5, 0.5], [0.5, 0.5]]))).toThrow('logLoss: yTrue must be class indices 0..1 (yProb has 2 rows); received 3 at [1]');
    expect(() => logLoss([0, 1], matrix([[0.5, 0.7], [0.5, 0.7]]))).toThrow('logLoss: yProb must be columns summing to 1 (class probabilities of one example); received a sum of 1.4 in column 1');
    expect(() => logLoss([0, 1, 1], matrix([[0.5, 0.5], [0.5, 0.5], [0, 0]]))).toThrow(
      'logLoss: yProb.shape must be (K, 3) (one column per label of yTrue); received (3, 2): it looks transposed (one example per row); pass (K, m), one column per example');
  });
});

describe('regression metrics match scikit-learn', () => {
  test('MSE, MAE, R^2, and R^2 of a constant target (1 if perfect, else 0)', () => {
    for (const r of oracle.regression) {
      expectNumberClose(meanSquaredError(r.y_true, r.y_pred), r.mse, 1e-14, 'mse');
      expectNumberClose(meanAbsoluteError(r.y_true, r.y_pred), r.mae, 1e-14, 'mae');
      expectNumberClose(r2Score(r.y_true, r.y_pred), r.r2, 1e-14, 'r2');
    }
    expect([r2Score([2, 2], [2, 2]), r2Score([2, 2], [2, 3])]).toEqual([1, 0]);
    expect(() => r2Score([1, 2], [1])).toThrow('r2Score: yPred must be 2 values, one per value of yTrue; received 1 values');
  });
});
