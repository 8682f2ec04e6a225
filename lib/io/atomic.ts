// The one way deepnet writes a file (models, checkpoints; the CLI's outputs):
// the bytes go to a temporary file in the same directory, fsync, rename over
// the target, fsync of the directory, so a crash at any point leaves the old
// file or the new one, never a mix. rename() replaces whatever has the name,
// so the destination must be absent or a regular file: a device node (as
// root, /dev/null itself), a FIFO, a socket, a directory or a symbolic link
// is refused. A file that is replaced keeps its permissions and, where the
// process may set it, its owner.
import * as fs from 'fs';
import * as path from 'path';
import { typeError } from '../errors';
import { kindOf } from './regularFile';

/** Longest file name (bytes) kept readable in the temporary file's name; longer ones are hashed. */
const READABLE_NAME = 200;

/**
 * The stats of the file at `file`, or null when there is none; throws
 * (naming `where`) when something other than a regular file has the name.
 * writeFileAtomic checks this itself; callers check it early too, before long work.
 */
export function checkDestination(where: string, file: string): fs.Stats | null {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${where}: cannot write ${file}: ${(err as Error).message}`);
  }
  if (!st.isFile()) {
    throw new Error(`${where}: ${file} is ${kindOf(st)}, not a regular file; refusing to replace it ` +
      '(save to a regular file path' + (st.isSymbolicLink() ? ', e.g. the path the link points to' : '') + ')');
  }
  return st;
}

/** A temporary name next to `file`, within NAME_MAX (255 bytes) whatever the length of the file's name. */
function temporaryName(file: string): string {
  // crypto is required here, not at the top: loading it costs the core's load time a few ms.
  const crypto = require('crypto') as typeof import('crypto');
  const base = path.basename(file);
  const stem = Buffer.byteLength(base) <= READABLE_NAME ? base : crypto.createHash('sha256').update(base).digest('hex').slice(0, 16);
  return path.join(path.dirname(file), `.${stem}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `data` (bytes, or a string as UTF-8) to `file` atomically; `where`
 * names the caller in errors. The destination must not exist or be a regular
 * file (see above); an existing file keeps its mode and owner.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, where = 'writeFileAtomic'): void {
  if (typeof file !== 'string' || file.length === 0) throw typeError(where, 'file', 'a non-empty path string', file);
  // Tested by tag, not instanceof: a Buffer may come from another realm (a vm context, jest).
  if (typeof data !== 'string' && Object.prototype.toString.call(data) !== '[object Uint8Array]') {
    throw typeError(where, 'data', 'a string or a Uint8Array', data);
  }
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const existing = checkDestination(where, file);
  const tmp = temporaryName(file);
  let fd = -1;
  let created = false;
  try {
    fd = fs.openSync(tmp, 'wx', existing ? existing.mode & 0o777 : 0o666);
    created = true;
    if (existing) {
      try {
        fs.fchownSync(fd, existing.uid, existing.gid);
      } catch {
        // Only root (or the owner, for its own groups) may: the new file is then the writer's.
      }
      fs.fchmodSync(fd, existing.mode & 0o7777);  // after chown, which clears set-id bits; and past the umask
    }
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd >= 0) fs.closeSync(fd);
    if (created) fs.rmSync(tmp, { force: true });
    throw new Error(`${where}: cannot write ${file}: ${(err as Error).message}`);
  }
  try {
    const dirFd = fs.openSync(path.dirname(path.resolve(file)), 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Some filesystems refuse to fsync a directory; the rename itself is still atomic.
  }
}
