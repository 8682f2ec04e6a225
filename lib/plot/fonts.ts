// The font every figure is laid out and rasterized with: DejaVu Sans, from the
// dejavu-fonts-ttf package (an optional dependency), so neither step depends
// on the machine's fonts.
import * as path from 'path';
import { optionalPackageDir } from '../optional';

export const FONT_FAMILY = 'DejaVu Sans';

/** The regular, bold and oblique DejaVu Sans files; `where` names the caller when the package is missing. */
export function fontFiles(where: string): { regular: string; bold: string; oblique: string } {
  const dir = path.join(optionalPackageDir(where, 'dejavu-fonts-ttf'), 'ttf');
  return {
    regular: path.join(dir, 'DejaVuSans.ttf'),
    bold: path.join(dir, 'DejaVuSans-Bold.ttf'),
    oblique: path.join(dir, 'DejaVuSans-Oblique.ttf'),
  };
}
