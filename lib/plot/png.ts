// SVG -> PNG with resvg (Rust, prebuilt per platform; an optional dependency
// of deepnet, loaded on first use). resvg draws text only with fonts it has
// loaded, and system fonts differ between machines (a fresh Debian may have
// none), so it loads the packaged DejaVu Sans and no system fonts: the same
// pixels everywhere, offline.
import type * as ResvgJs from '@resvg/resvg-js';
import { integerIn, options, typeError } from '../errors';
import { requireOptional } from '../optional';
import { FONT_FAMILY, fontFiles } from './fonts';

/** Options of svgToPng. */
export interface PngOptions {
  /** Width of the image in pixels (default: the SVG's own width); the height keeps the aspect ratio. */
  width?: number;
}

/** PNG bytes of an SVG document (as written by the plot functions). */
export function svgToPng(svg: string, opts?: PngOptions): Buffer {
  const where = 'svgToPng';
  const o = options<PngOptions>(where, opts, ['width']);
  if (typeof svg !== 'string') throw typeError(where, 'svg', 'an SVG document string', svg);
  const width = o.width === undefined ? undefined : integerIn(where, 'options.width', o.width, 1, 16384);
  const { Resvg } = requireOptional<typeof ResvgJs>(where, '@resvg/resvg-js');
  const files = fontFiles(where);
  let resvg: InstanceType<typeof Resvg>;
  try {
    resvg = new Resvg(svg, {
      fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
      font: {
        loadSystemFonts: false,
        fontFiles: Object.values(files),
        defaultFontFamily: FONT_FAMILY,
        sansSerifFamily: FONT_FAMILY,
      },
      background: 'white',
    });
  } catch (e) {
    throw new RangeError(`${where}: svg must be an SVG document; resvg could not parse it (${(e as Error).message})`);
  }
  return resvg.render().asPng();
}
