// A file read in chunks of whole lines, so that a large CSV is never held in
// memory as text: only one chunk (1 MiB, more for a longer line) at a time.
import * as fs from 'fs';
import { checkMemory } from '../memory';

const CHUNK = 2 ** 20;

/**
 * Visits a chunk: buf[0, end) holds the file's bytes from offset `base`.
 * Returns the index of the first byte it did not take (the start of an
 * incomplete last line, which comes again at the start of the next chunk),
 * or null to stop reading. With `final`, end is the end of the file.
 */
export type ChunkVisitor = (buf: Buffer, end: number, final: boolean, base: number) => number | null;

/** Reads fd from byte `start` to its end, chunk by chunk, as the visitor consumes the lines. */
export function forEachChunk(fd: number, start: number, visit: ChunkVisitor): void {
  let buf = Buffer.allocUnsafe(CHUNK);
  let kept = 0;
  let base = start;
  for (;;) {
    const n = fs.readSync(fd, buf, kept, buf.length - kept, base + kept);
    const end = kept + n;
    const final = n === 0;
    const taken = visit(buf, end, final, base);
    if (taken === null || final) return;
    kept = end - taken;
    base += taken;
    if (kept === buf.length) {
      // One line longer than the buffer: make room for the rest of it.
      checkMemory('loadCsv', `a line of more than ${kept} bytes`, 2 * buf.length);
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, taken, end);
      buf = bigger;
    } else {
      buf.copy(buf, 0, taken, end);
    }
  }
}

/** Whether buf[begin, end) holds only spaces, tabs and a carriage return (a line loaders skip). */
export function isBlank(buf: Uint8Array, begin: number, end: number): boolean {
  for (let i = begin; i < end; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** The end of the line starting at pos in buf[0, end): the index of its '\n', or end. */
export function lineEnd(buf: Buffer, pos: number, end: number): number {
  const eol = buf.indexOf(10, pos);
  return eol === -1 || eol >= end ? end : eol;
}
