// Training and evaluation data checks shared by lLayerModel, predict and Model.
import { expectExamplesAsColumns } from './layout';
import { checkMatrix, Matrix, sameDType } from './matrix';

/**
 * X (n_x, m) and Y (1, m) of 0/1 labels, same dtype, finite; a transposed X
 * or Y is named as such (for certain when the caller gives `features`, the
 * network's input size).
 */
export function checkData(where: string, X: unknown, Y: unknown, features?: number): [Matrix, Matrix] {
  const x = checkMatrix(where, 'X', X);
  const y = checkMatrix(where, 'Y', Y);
  expectExamplesAsColumns(where, x, y, features);
  sameDType(where, [['X', x], ['Y', y]]);
  for (let i = 0; i < y.data.length; i++) {
    const v = y.data[i];
    if (v !== 0 && v !== 1) {
      throw new RangeError(`${where}: Y must hold 0/1 labels; received ${v} at [0, ${i}]`);
    }
  }
  return [x, y];
}
