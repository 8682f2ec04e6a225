// Vega-Lite spec -> SVG string in Node, without a browser: compile to Vega and
// render headless (renderer 'none'; toSVG does not need a DOM or a canvas).
import * as vega from 'vega';
import { compile, TopLevelSpec } from 'vega-lite';
import { useDejaVuMetrics } from './textMetrics';

/** SVG of a Vega-Lite spec (any spec; the plot functions' specs are laid out for DejaVu Sans). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  useDejaVuMetrics();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
