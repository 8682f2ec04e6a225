// The course's cost curve: plt.plot(np.squeeze(costs)), ylabel 'cost', title
// "Learning rate =" + str(learning_rate). The x axis counts iterations (the
// course plots the index of every hundredth cost, labelled "per hundreds").
import { options, positiveNumber, typeError } from '../errors';
import { plotOptions } from './inputs';
import { renderSvg } from './render';
import { checkedSpec } from './spec';
import { FONT, LINE_COLOR, PlotOptions, PLOT_OPTION_KEYS, VegaLiteSpec, VEGA_LITE_SCHEMA } from './style';

/** Options of plotCostCurve. */
export interface CostCurveOptions extends PlotOptions {
  /** Shown as the course's title "Learning rate =<learningRate>" when no title is given. */
  learningRate?: number;
  /** Iterations between two recorded costs: 100 (default) for lLayerModel's costs, 1 for Model's History.costs. */
  every?: number;
  /** What the x axis counts: 'iterations' (default) or 'epochs' (mini-batch training). */
  unit?: 'iterations' | 'epochs';
  /** A second curve, recorded at the same points as costs (History.validationCosts); the two get a legend. */
  validation?: ArrayLike<number>;
  /**
   * The cost axis: 'linear' (default, the course's figure), 'log', or 'auto':
   * log when the finite costs are positive and span a factor of 10 or more.
   */
  scale?: 'linear' | 'log' | 'auto';
}

const KEYS = [...PLOT_OPTION_KEYS, 'learningRate', 'every', 'unit', 'validation', 'scale'] as const;

/** How many non-finite costs the note lists by iteration before it abbreviates. */
const NOTE_LISTED = 3;

/** The validation curve's color: matplotlib's second default color. */
const VALIDATION_COLOR = '#ff7f0e';

/**
 * Vega-Lite spec of the cost curve: x = iteration (i * every), y = costs[i].
 * NaN and ±Infinity costs (a diverging run, the course's x10 initialization)
 * cannot be placed on an axis: they are left out, the line joins the finite
 * neighbours, and a subtitle says which iterations were dropped and why.
 */
export function costCurveSpec(costs: ArrayLike<number>, opts?: CostCurveOptions): VegaLiteSpec {
  return buildCostCurveSpec('costCurveSpec', costs, opts);
}

/** SVG of the cost curve (see costCurveSpec). */
export async function plotCostCurve(costs: ArrayLike<number>, opts?: CostCurveOptions): Promise<string> {
  return renderSvg(buildCostCurveSpec('plotCostCurve', costs, opts));
}

/** A plotted cost; `curve` names it when there are two. */
interface Point { iteration: number; cost: number; curve?: string }

/** The finite points of one curve; the non-finite ones are listed in `dropped`. */
function curvePoints(where: string, arg: string, costs: unknown, every: number, unit: string, curve: string | undefined,
  dropped: string[]): Point[] {
  if (!Array.isArray(costs) && !(ArrayBuffer.isView(costs) && 'length' in costs)) {
    throw typeError(where, arg, 'an array of numbers (or a Float64Array)', costs);
  }
  if (costs.length === 0) throw new RangeError(`${where}: ${arg} must hold at least one cost; received an empty array`);
  const points: Point[] = [];
  Array.from(costs as ArrayLike<unknown>).forEach((cost: unknown, i) => {
    if (typeof cost !== 'number') throw typeError(where, `${arg}[${i}]`, 'a number', cost);
    if (Number.isFinite(cost)) points.push({ iteration: i * every, cost, ...(curve ? { curve } : {}) });
    else dropped.push(`${cost} at ${unit === 'epochs' ? 'epoch' : 'iteration'} ${i * every}${curve === 'validation' ? ' (validation)' : ''}`);
  });
  return points;
}

function buildCostCurveSpec(where: string, costs: unknown, opts: unknown): VegaLiteSpec {
  const o = options<CostCurveOptions>(where, opts, KEYS);
  const { title, width, height } = plotOptions(where, o);
  const every = positiveNumber(where, 'options.every', o.every ?? 100);
  const learningRate = o.learningRate === undefined ? undefined : positiveNumber(where, 'options.learningRate', o.learningRate);
  const unit = o.unit ?? 'iterations';
  if (unit !== 'iterations' && unit !== 'epochs') throw typeError(where, 'options.unit', "'iterations' or 'epochs'", o.unit);
  const scaleName = o.scale ?? 'linear';
  if (scaleName !== 'linear' && scaleName !== 'log' && scaleName !== 'auto') {
    throw typeError(where, 'options.scale', "'linear', 'log' or 'auto'", o.scale);
  }
  const dropped: string[] = [];
  const points = curvePoints(where, 'costs', costs, every, unit, o.validation === undefined ? undefined : 'training', dropped);
  if (o.validation !== undefined) {
    const length = (costs as ArrayLike<number>).length;
    if ((o.validation as ArrayLike<number>)?.length !== length) {
      throw new RangeError(`${where}: options.validation must hold one cost per cost (${length}); received ` +
        `${(o.validation as ArrayLike<number>)?.length ?? typeof o.validation}`);
    }
    points.push(...curvePoints(where, 'options.validation', o.validation, every, unit, 'validation', dropped));
  }
  const listed = dropped.slice(0, NOTE_LISTED).join(', ') + (dropped.length > NOTE_LISTED ? ', ...' : '');
  if (points.length === 0) {
    throw new RangeError(`${where}: costs must hold at least one finite cost; received ${(costs as ArrayLike<number>).length} non-finite (${listed})`);
  }

  const text = title ?? (learningRate === undefined ? undefined : `Learning rate =${learningRate}`);
  const lo = Math.min(...points.map((p) => p.cost));
  const hi = Math.max(...points.map((p) => p.cost));
  const log = scaleName === 'log' || (scaleName === 'auto' && lo > 0 && hi / lo >= 10);
  if (log && !(lo > 0)) {
    throw new RangeError(`${where}: options.scale 'log' needs positive costs; the smallest finite cost is ${lo}`);
  }
  // A flat curve (zeros initialization) would get a degenerate axis: pad it.
  const pad = Math.max(Math.abs(lo) * 0.05, 1e-3);
  const scale = log ? { type: 'log' as const } : lo === hi ? { zero: false, domain: [lo - pad, hi + pad] } : { zero: false };
  const note = dropped.length === 0 ? undefined
    : `${dropped.length} non-finite cost${dropped.length > 1 ? 's' : ''} not shown: ${listed}`;
  const curves = o.validation === undefined ? undefined
    : { field: 'curve', type: 'nominal' as const, title: null, scale: { domain: ['training', 'validation'], range: [LINE_COLOR, VALIDATION_COLOR] } };
  return checkedSpec({
    $schema: VEGA_LITE_SCHEMA,
    ...titleOf(text, note),
    width,
    height,
    data: { values: points },
    // A lone cost would be an invisible line: mark it with a point.
    mark: { type: 'line', ...(curves ? {} : { color: LINE_COLOR }), point: points.length <= (curves ? 2 : 1) },
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: unit },
      y: { field: 'cost', type: 'quantitative', title: log ? 'cost (log scale)' : 'cost', scale },
      ...(curves ? { color: curves } : {}),
    },
    config: { font: FONT },
  });
}

/** The title property: the title, the note as its subtitle, either alone, or none. */
function titleOf(text: string | undefined, note: string | undefined) {
  if (text === undefined) return note === undefined ? {} : { title: note };
  return { title: note === undefined ? text : { text, subtitle: note } };
}
