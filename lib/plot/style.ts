// Look shared by every figure.
import { FONT_FAMILY } from './fonts';

/** The packaged font, with sans-serif as the fallback for a browser that lacks it. */
export const FONT = `${FONT_FAMILY}, sans-serif`;

/** matplotlib's default line color, as in the course's cost curves. */
export const LINE_COLOR = '#1f77b4';

/** Point colors per label (two classes): the two ends of matplotlib's Spectral colormap, which the course uses. */
export const POINT_COLORS = ['#d7191c', '#2b83ba'] as const;

/** Region colors per predicted class: lighter shades of the point colors, so points stay visible on top. */
export const REGION_COLORS = ['#fdae9b', '#a6cee3'] as const;

/** Point colors for 3 to 10 classes: Tableau 10, Vega's default categorical scheme. */
const MANY_CLASSES = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** The most classes a figure colors apart. */
export const MAX_CLASSES = MANY_CLASSES.length;

/** `hex` mixed with white: the point color's region shade. */
function lighter(hex: string, white = 0.55): string {
  const channel = (i: number) => Math.round(parseInt(hex.slice(i, i + 2), 16) * (1 - white) + 255 * white);
  return `#${[1, 3, 5].map((i) => channel(i).toString(16).padStart(2, '0')).join('')}`;
}

/** Point and region colors of classes 0..K-1: the course's two for K = 2, Tableau 10 and its shades beyond. */
export function classColors(K: number): { points: string[]; regions: string[] } {
  if (K <= 2) return { points: [...POINT_COLORS], regions: [...REGION_COLORS] };
  const points = MANY_CLASSES.slice(0, K);
  return { points, regions: points.map((c) => lighter(c)) };
}

export const DEFAULT_WIDTH = 400;
export const DEFAULT_HEIGHT = 300;

/**
 * A Vega-Lite specification as plain JSON (what the *Spec functions return and
 * renderSvg takes; vega-lite's compile() accepts it). Typed loosely on purpose:
 * deepnet's declarations never pull in vega-lite's, which would cost every
 * user's type check tens of thousands of lines.
 */
export type VegaLiteSpec = { [key: string]: unknown };

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Options every plot takes. */
export interface PlotOptions {
  /** Title above the plot (none by default). */
  title?: string;
  /** Size of the plotting area in pixels (default 400 x 300). */
  width?: number;
  /** Height of the plotting area in pixels (default 300). */
  height?: number;
}

export const PLOT_OPTION_KEYS = ['title', 'width', 'height'] as const;
