// Vega-Lite spec -> SVG string in Node, without a browser: compile to Vega and
// render headless (renderer 'none'; toSVG does not need a DOM or a canvas).
// vega and vega-lite are optional dependencies, loaded on the first render.
import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';
import { requireOptional } from '../optional';
import { VegaLiteSpec } from './style';
import { useDejaVuMetrics } from './textMetrics';

/** SVG of a Vega-Lite spec (any spec; the plot functions' specs are laid out for DejaVu Sans). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const vega = requireOptional<typeof Vega>('renderSvg', 'vega');
  const { compile } = requireOptional<typeof VegaLite>('renderSvg', 'vega-lite');
  useDejaVuMetrics(vega);
  const view = new vega.View(vega.parse(compile(spec as unknown as VegaLite.TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
