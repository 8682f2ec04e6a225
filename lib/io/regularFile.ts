// Opening the files deepnet reads (model files, MAT, HDF5, CSV), so that what
// is not an ordinary file never gets read: a FIFO would block the event loop
// until a writer comes (forever), /dev/zero or /dev/urandom never end, and a
// file beyond its reader's limit is refused before a byte of it is read.
import * as fs from 'fs';
import { checkMemory } from '../memory';

const GiB = 2 ** 30;

/** The largest file each reader takes (bytes). Whole-file readers stay within Node's largest Buffer. */
export const FILE_LIMITS = {
  /** Model.load: the file is read whole. */
  model: 4 * GiB - 1,
  /** readMat, loadFootballDataset: the file is read whole. */
  mat: 2 * GiB,
  /** loadCatDataset: the HDF5 file is read whole. */
  hdf5: 2 * GiB,
  /** loadCsv: streamed in chunks, the arrays allocated once their size is known. */
  csv: 256 * GiB,
} as const;

/** What a non-regular file is, for errors (of lstat's stats too: a symbolic link). */
export function kindOf(st: fs.Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function size(bytes: number): string {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(2)} GiB` : bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${bytes} bytes`;
}

/**
 * Opens `file` for reading if it is a regular file of at most `maxBytes`;
 * otherwise throws an Error naming `where` and the file, having read nothing.
 * The caller closes the descriptor.
 */
export function openRegularFile(where: string, file: string, maxBytes: number): { fd: number; size: number } {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer; O_NOCTTY: a terminal stays ours.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (err) {
    throw new Error(`${where}: cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error(`${where}: ${file} is ${kindOf(st)}, not a regular file; refusing to read it`);
    if (st.size > maxBytes) {
      throw new Error(`${where}: ${file} is ${size(st.size)}, more than the ${size(maxBytes)} this reader takes`);
    }
    return { fd, size: st.size };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/**
 * The whole of `file`, a regular file of at most `maxBytes` (see
 * openRegularFile). `precheck`, when given, may look at the open file first
 * (read its header) and throw before the rest is read.
 */
export function readRegularFile(where: string, file: string, maxBytes: number,
  precheck?: (fd: number, size: number) => void): Buffer {
  const { fd, size: length } = openRegularFile(where, file, maxBytes);
  try {
    precheck?.(fd, length);
    checkMemory(where, `reading ${file}`, length);
    const bytes = Buffer.allocUnsafe(length);
    let at = 0;
    // The size fstat gave: a file that grows meanwhile is read as it was; one that shrinks, as far as it goes.
    while (at < length) {
      const n = fs.readSync(fd, bytes, at, length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === length ? bytes : bytes.subarray(0, at);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;  // precheck's or checkMemory's own error
    throw new Error(`${where}: cannot read ${file}: ${(err as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
}
