// The addon's NativeModel as Model drives it (native/addon/model_wrap.h):
// one object per Model holding its parameters, optimizer state and generator.
import type { NativeFitSettings, NativeHistory } from './native';
import type { RandomStateState } from './rng';

type F = Float64Array | Float32Array;

/** How one native fit call ended. */
export interface NativeResult {
  completed: number;
  steps: number;
  stop: 'finished' | 'cancelled' | 'callback' | 'diverged' | 'early';
  diverged?: 'cost' | 'gradient' | 'parameters';
  bestEpoch: number;
  bestCost: number;
  sinceBest: number;
  communicationSeconds: number;
}

/** The per-log callback of a native fit. */
export type NativeProgress = ((epoch: number, cost: number, valCost: number, valAccuracy: number, lr: number) => void) | null;
/** A native fit call's settings: the plan's, with the early-stopping state carried between calls. */
export type NativeSettings = NativeFitSettings & { bestCost: number; sinceBest: number; xRows: boolean };
/** Validation data of a native fit call. */
export type NativeValidation = { X: F; Y: F; m: number; rows: boolean } | null;

/** The addon's model object. */
export interface NativeModel {
  readParameters(out: F): void;
  writeParameters(input: F): void;
  fitSync(X: F, Y: F, m: number, settings: NativeSettings, onProgress: NativeProgress, history: NativeHistory,
    validation: NativeValidation): NativeResult;
  fit(X: F, Y: F, m: number, settings: NativeSettings, onProgress: NativeProgress, history: NativeHistory,
    validation: NativeValidation): Promise<NativeResult>;
  cancel(): void;
  /** Fills AL; with checkFinite, false (AL incomplete) when X holds a NaN or an infinity. */
  predictProba(X: F, m: number, AL: F, rows: boolean, checkFinite: boolean): boolean;
  evaluate(X: F, Y: F, m: number, rows: boolean): { cost: number; accuracy: number };
  getRngState(): RandomStateState;
  setRngState(key: Uint32Array, pos: number, hasGauss: boolean, gauss: number): void;
  getOptimizerState(): { v: F; s: F; t: number } | null;
  setOptimizerState(v: F | null, s: F | null, t: number): void;
  resetOptimizer(): void;
}
