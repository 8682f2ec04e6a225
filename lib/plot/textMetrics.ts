// Vega sizes axes, legends and titles from text widths. Without node-canvas it
// estimates 0.8 em per character, about a third wider than DejaVu Sans, which
// pads figures with blank space; so measure with the font's own advance widths
// (kerning ignored), read from its TrueType tables.
import * as fs from 'fs';
import type * as Vega from 'vega';
import { fontFiles } from './fonts';

/** Advance width in em of each character of a TrueType font (cmap format 4, hmtx). */
function advanceWidths(file: string): (codePoint: number) => number {
  const buf = fs.readFileSync(file);
  const tables = new Map<string, number>();
  for (let i = 0, n = buf.readUInt16BE(4); i < n; i++) {
    const record = 12 + 16 * i;
    tables.set(buf.toString('latin1', record, record + 4), buf.readUInt32BE(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`${file}: no '${tag}' table`);
    return offset;
  };
  const unitsPerEm = buf.readUInt16BE(table('head') + 18);
  const hMetrics = buf.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const cmap = table('cmap');

  // The Windows Unicode BMP subtable (platform 3, encoding 1), which is format 4.
  let sub = -1;
  for (let i = 0, n = buf.readUInt16BE(cmap + 2); i < n; i++) {
    const record = cmap + 4 + 8 * i;
    if (buf.readUInt16BE(record) === 3 && buf.readUInt16BE(record + 2) === 1) sub = cmap + buf.readUInt32BE(record + 4);
  }
  if (sub < 0 || buf.readUInt16BE(sub) !== 4) throw new Error(`${file}: no format 4 Unicode cmap`);
  const segX2 = buf.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;

  const glyph = (c: number): number => {
    for (let s = 0; s < segX2; s += 2) {
      if (buf.readUInt16BE(ends + s) < c) continue;
      const start = buf.readUInt16BE(starts + s);
      if (start > c) return 0;
      const delta = buf.readUInt16BE(deltas + s);
      const rangeOffset = buf.readUInt16BE(rangeOffsets + s);
      if (rangeOffset === 0) return (c + delta) & 0xffff;
      const g = buf.readUInt16BE(rangeOffsets + s + rangeOffset + 2 * (c - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  const cache = new Map<number, number>();
  return (c) => {
    let w = cache.get(c);
    if (w === undefined) {
      // Beyond the BMP (no format 4 entry) and unmapped characters take .notdef's width.
      const g = c > 0xffff ? 0 : glyph(c);
      w = buf.readUInt16BE(hmtx + 4 * Math.min(g, hMetrics - 1)) / unitsPerEm;
      cache.set(c, w);
    }
    return w;
  };
}

interface TextItem { fontSize?: number; fontWeight?: string | number }

let installed = false;

/**
 * Makes vega measure text with DejaVu Sans metrics, once per process, unless
 * something else (node-canvas, another tool) already measures it. Vega's
 * textMetrics is process-wide, so other vega views in the process use it too.
 */
export function useDejaVuMetrics(vega: typeof Vega): void {
  const metrics = (vega as unknown as { textMetrics: { width: unknown; estimateWidth: unknown } }).textMetrics;
  if (installed || metrics.width !== metrics.estimateWidth) return;
  const files = fontFiles('renderSvg');
  const regular = advanceWidths(files.regular);
  const bold = advanceWidths(files.bold);
  metrics.width = (item: TextItem, text: unknown): number => {
    const size = item.fontSize ?? 11;
    const weight = item.fontWeight;
    const advance = weight === 'bold' || weight === 'bolder' || Number(weight) >= 600 ? bold : regular;
    let em = 0;
    for (const ch of text == null ? '' : String(text).trim()) em += advance(ch.codePointAt(0)!);
    return em * size;
  };
  installed = true;
}
