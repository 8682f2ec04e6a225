// Look shared by every figure.
import { FONT_FAMILY } from './fonts';

/** The packaged font, with sans-serif as the fallback for a browser that lacks it. */
export const FONT = `${FONT_FAMILY}, sans-serif`;

/** matplotlib's default line color, as in the course's cost curves. */
export const LINE_COLOR = '#1f77b4';

/** Point colors per label: the two ends of matplotlib's Spectral colormap, which the course uses. */
export const POINT_COLORS = ['#d7191c', '#2b83ba'] as const;

/** Region colors per predicted class: lighter shades of the point colors, so points stay visible on top. */
export const REGION_COLORS = ['#fdae9b', '#a6cee3'] as const;

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
  height?: number;
}

export const PLOT_OPTION_KEYS = ['title', 'width', 'height'] as const;
