// HTML shared by deepnet's reports (the demo's and a training run's):
// escaping, tables, and figures inlined as SVG so that a page is one file.
/** `s` with &, <, > and " escaped for HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[ch]!));
}

/** A table of escaped cells; `id` names it (for the tests and for links). */
export function htmlTable(id: string, header: string[], rows: string[][]): string {
  const row = (cells: string[], tag: string) => `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
  return `<table id="${escapeHtml(id)}">${row(header, 'th')}${rows.map((r) => row(r, 'td')).join('')}</table>`;
}

/**
 * An SVG figure inline, in a <figure> with its caption. Vega names its clip
 * paths clip1, clip2, ... in every SVG, and one page holds one id space, so
 * each figure's ids get the figure's own prefix.
 */
export function inlineFigure(svg: string, id: string, caption: string): string {
  const own = svg.replace(/\bid="([^"]+)"/g, `id="${id}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${id}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${id}-$1"`);
  return `<figure id="${escapeHtml(id)}">${own}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}
