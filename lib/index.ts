// deepnet's core: the notes' functions and Model at native speed, with the
// data tools that need nothing beyond the addon (CSV, layouts, splits,
// scalers, metrics). Plots and the HDF5/MAT loaders and generators live behind
// the subpaths deepnet/plot and deepnet/datasets, so that loading and
// type-checking the core touches none of their dependencies.
export { backendInfo, mpiWorld, setNumThreads } from './backend';
export type { BackendInfo } from './backend';
export type { GemmClass, GemmDispatchClasses, GemmDispatchInfo, GemmLevelClasses } from './gemmDispatch';
export { matrix, toArray, zeros, asDType, dtypeOf } from './matrix';
export type { Matrix, DType, FloatArray, NestedRows } from './matrix';
export { RandomState } from './rng';
export type { RandomStateState } from './rng';
export type { NetworkParameters, Grads } from './parameters';
export {
  initializeParameters,
  initializeParametersDeep,
  initializeParametersHe,
  initializeParametersRandom,
  initializeParametersXavier,
  initializeParametersZeros,
} from './init';
export type { InitOptions } from './init';
export { linearForward, sigmoid, relu, tanh, leakyRelu, softmax, linearActivationForward, lModelForward } from './forward';
export type { Activation, LinearCache, ActivationCache, LayerCache } from './forward';
export { computeCost, computeCostSoftmax, computeCostLinear } from './cost';
export { linearBackward, reluBackward, sigmoidBackward, tanhBackward, leakyReluBackward, linearActivationBackward,
  lModelBackward } from './backward';
export { updateParameters } from './update';
export { initializeVelocity, updateParametersWithMomentum, initializeAdam, updateParametersWithAdam } from './optimizers';
export type { OptimizerState } from './optimizers';
export { randomMiniBatches } from './minibatches';
export { updateLr, scheduleLrDecay } from './schedules';
export { miniBatchModel } from './miniBatchModel';
export type { MiniBatchModelOptions, MiniBatchModelResult } from './miniBatchModel';
export type { HiddenActivation, Output } from './architecture';
export { lLayerModel } from './train';
export type { LLayerModelOptions, LLayerModelResult } from './train';
export { predict } from './predict';
export type { Prediction } from './predict';
export { computeCostWithRegularization } from './l2';
export { dictionaryToVector, vectorToDictionary, gradientsToVector, gradientCheckN, DEFAULT_THRESHOLD,
  DEFAULT_PARAMETER_THRESHOLD } from './gradcheck';
export type { GradientCheckOptions, GradientCheckResult, ParameterCheck } from './gradcheck';
export type { ForwardOptions } from './forward';
export type { BackwardOptions } from './backward';
export type { DropoutCache } from './dropout';
export { Model, AbortError, TrainingDivergedError } from './model';
export type { ModelOptions, FitOptions, History, Progress, InitName, LoadOptions, Evaluation, LearningRateDecay,
  EarlyStoppingOptions, OptimizerName, PredictOptions, Layout } from './model';
export { SafetensorsError } from './io/safetensors';
export { writeFileAtomic } from './io/atomic';
export { csvColumns, loadCsv } from './datasets/csv';
export type { CsvColumnsOptions, CsvDataset, CsvFeatures, CsvOptions, CsvLabels, CsvLayout, CsvResult } from './datasets/csv';
export { transpose, fromRows, toColumns, toRows } from './layout';
export { trainTestSplit } from './split';
export type { TrainTestSplitOptions, TrainTestSplit, SplitPart } from './split';
export { standardScaler, minMaxScaler, scalerFromJSON } from './scalers';
export type { Scaler, ScalerJSON, ScalerOptions, StandardScalerJSON, MinMaxScalerJSON, MinMaxScalerOptions } from './scalers';
export type { ScalerOption } from './modelScaler';
export * from './metrics';
