// The errors a fit ends with, each carrying the History of what was done.
import type { History } from './fitOptions';

/** fit() was aborted: the model holds the parameters of the last finished step. */
export class AbortError extends Error {
  /** Always 'AbortError'. */
  override readonly name = 'AbortError';
  /** The code Node gives its own AbortErrors. */
  readonly code = 'ABORT_ERR';
  /** @param history how far the fit got: the epochs completed and their costs. */
  constructor(message: string, readonly history: History) {
    super(message);
  }
}

/** Training produced a non-finite cost, gradient or parameter; the model kept the last finite parameters. */
export class TrainingDivergedError extends Error {
  /** Always 'TrainingDivergedError'. */
  override readonly name = 'TrainingDivergedError';
  /**
   * @param iteration the iteration (full batches) or epoch it diverged at.
   * @param history the fit's History up to there.
   */
  constructor(message: string, readonly iteration: number, readonly history: History) {
    super(message);
  }
}
