// Learning-rate decay (Course 2 Week 2): the notebook's update_lr and
// schedule_lr_decay, with Python's float arithmetic (which JavaScript shares).
import { integerIn, typeError } from './errors';

function nonNegative(where: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw typeError(where, arg, 'a finite number >= 0', value);
  return value;
}

/** update_lr: learningRate0 / (1 + decayRate * epochNum). */
export function updateLr(learningRate0: number, epochNum: number, decayRate: number): number {
  const where = 'updateLr';
  const lr0 = nonNegative(where, 'learningRate0', learningRate0);
  const epoch = nonNegative(where, 'epochNum', epochNum);
  return lr0 / (1 + nonNegative(where, 'decayRate', decayRate) * epoch);
}

/** schedule_lr_decay: learningRate0 / (1 + decayRate * floor(epochNum / timeInterval)). */
export function scheduleLrDecay(learningRate0: number, epochNum: number, decayRate: number, timeInterval = 1000): number {
  const where = 'scheduleLrDecay';
  const lr0 = nonNegative(where, 'learningRate0', learningRate0);
  const epoch = nonNegative(where, 'epochNum', epochNum);
  const rate = nonNegative(where, 'decayRate', decayRate);
  const interval = integerIn(where, 'timeInterval', timeInterval, 1, Number.MAX_SAFE_INTEGER);
  return lr0 / (1 + rate * Math.floor(epoch / interval));
}
