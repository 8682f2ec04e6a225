// The one place a spec typed by vega-lite's declarations becomes the loose
// VegaLiteSpec that deepnet's own declarations use (see style.ts): the plots
// are type-checked against vega-lite here, without exporting its types.
import type { TopLevelSpec } from 'vega-lite';
import { VegaLiteSpec } from './style';

/** `spec`, checked by the compiler as a vega-lite TopLevelSpec, as a VegaLiteSpec. */
export function checkedSpec(spec: TopLevelSpec): VegaLiteSpec {
  return spec as unknown as VegaLiteSpec;
}
