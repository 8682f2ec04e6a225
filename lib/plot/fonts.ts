// The font every figure is laid out and rasterized with: DejaVu Sans, from the
// dejavu-fonts-ttf package, so neither step depends on the machine's fonts.
import * as path from 'path';

export const FONT_FAMILY = 'DejaVu Sans';

const DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const FONT_FILES = {
  regular: path.join(DIR, 'DejaVuSans.ttf'),
  bold: path.join(DIR, 'DejaVuSans-Bold.ttf'),
  oblique: path.join(DIR, 'DejaVuSans-Oblique.ttf'),
};
