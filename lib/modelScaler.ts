// A scaler attached to a Model, as a scikit-learn Pipeline's first step: fit's
// `scaler` option fits it on the fit's training examples (never on the
// examples validationSplit holds out), the model keeps its own copy, saves it
// in the model file and applies it to every X that fit, predict, predictProba
// and evaluate receive, in either layout.
import { typeError } from './errors';
import type { FitPlan } from './fitOptions';
import { Layout } from './layout';
import { Matrix } from './matrix';
import { minMaxScaler, Scaler, scalerFromJSON, standardScaler } from './scalers';

/**
 * fit's `scaler` option: 'standard' (standardScaler) or 'minmax' (minMaxScaler,
 * range [0, 1]) fitted on the training examples of this fit, or a Scaler:
 * used as it is when fitted, else fitted on them first.
 */
export type ScalerOption = 'standard' | 'minmax' | Scaler;

function isScaler(value: unknown): value is Scaler {
  const s = value as Scaler;
  return s !== null && typeof s === 'object' && typeof s.fit === 'function' && typeof s.transform === 'function' &&
    typeof s.toJSON === 'function';
}

/** The `scaler` option of `where`, checked (undefined when absent). */
export function checkScalerOption(where: string, value: unknown): ScalerOption | undefined {
  if (value === undefined || value === 'standard' || value === 'minmax' || isScaler(value)) return value;
  throw typeError(where, 'scaler', "'standard', 'minmax' or a Scaler (standardScaler(), minMaxScaler(...))", value);
}

/** A private copy of a fitted scaler on `features` inputs, so that later changes to the caller's object do not reach the model. */
export function ownScaler(where: string, arg: string, scaler: unknown, features: number): Scaler {
  if (!isScaler(scaler)) throw typeError(where, arg, 'a fitted Scaler (standardScaler().fit(X), ...)', scaler);
  if (scaler.nFeatures === null) throw new Error(`${where}: ${arg} is not fitted: call fit(Xtrain) first`);
  if (scaler.nFeatures !== features) {
    throw new RangeError(`${where}: ${arg} was fitted on ${scaler.nFeatures} features but the model's input layer has ${features}`);
  }
  return scalerFromJSON(scaler.toJSON());
}

/** The scaler `option` asks for, fitted on the plan's training examples unless it is a fitted Scaler already. */
export function scalerForFit(where: string, option: ScalerOption, plan: FitPlan, features: number): Scaler {
  const scaler = option === 'standard' ? standardScaler() : option === 'minmax' ? minMaxScaler() : option;
  if (scaler.nFeatures === null) scaler.fit(plan.X, { layout: layoutOf(plan) });
  return ownScaler(where, 'scaler', scaler, features);
}

/** The plan with its training and validation X scaled (new arrays; Y untouched). */
export function scalePlan(plan: FitPlan, scaler: Scaler): FitPlan {
  const layout = { layout: layoutOf(plan) };
  const v = plan.validation;
  return { ...plan, X: scaler.transform(plan.X, layout), validation: v && { ...v, X: scaler.transform(v.X, layout) } };
}

/** X scaled by `scaler` (a new array), or X itself without one. */
export function scaleInputs(scaler: Scaler | null, X: Matrix, layout: Layout): Matrix {
  return scaler ? scaler.transform(X, { layout }) : X;
}

function layoutOf(plan: FitPlan): Layout {
  return plan.xRows ? 'rows' : 'columns';
}
