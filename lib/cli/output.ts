// Writing a figure as SVG or PNG, chosen by the file's extension.
import * as fs from 'fs';
import * as path from 'path';
import { svgToPng } from '../plot';
import { UsageError } from './usage';

export function checkFigurePath(command: string, flag: string, file: string | undefined): void {
  if (file !== undefined && !/\.(svg|png)$/i.test(file)) {
    throw new UsageError(`deepnet ${command}: --${flag} must name a .svg or .png file; received '${file}'`);
  }
}

export function writeFigure(file: string, svg: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, /\.png$/i.test(file) ? svgToPng(svg) : svg);
}
