// Plots of the course's figures as SVG (Vega-Lite rendered in Node) and PNG.
export { costCurveSpec, plotCostCurve } from './costCurve';
export type { CostCurveOptions } from './costCurve';
export { decisionBoundarySpec, plotDecisionBoundary } from './decisionBoundary';
export type { DecisionBoundaryOptions, Predictor } from './decisionBoundary';
export { datasetSpec, plotDataset } from './dataset';
export type { DatasetOptions } from './dataset';
export { confusionMatrixSpec, plotConfusionMatrix } from './confusionMatrix';
export type { ConfusionMatrixOptions } from './confusionMatrix';
export { fitSpec, plotFit } from './fit';
export type { FitPlotOptions, RegressionPredictor } from './fit';
export { renderSvg } from './render';
export { svgToPng } from './png';
export type { PngOptions } from './png';
export type { PlotOptions, VegaLiteSpec } from './style';
