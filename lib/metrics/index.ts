// Metrics for classifiers and regressors, checked against scikit-learn's values.
export { accuracy, confusionMatrix, precisionRecallF1, precision, recall, f1Score } from './classification';
export type { ConfusionMatrix, LabelsOptions, PrfOptions, PrfScores, PrfReport, Average, AverageOptions } from './classification';
export { rocAuc, logLoss } from './probability';
export { meanSquaredError, meanAbsoluteError, r2Score } from './regression';
export { classificationReport } from './report';
export type { ClassificationReportOptions } from './report';
export type { Vector } from './inputs';
