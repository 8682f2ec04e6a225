// Refusing allocations the machine cannot hold, before making them: Linux
// overcommits, so a huge typed array may be created and the process killed
// later when its pages are touched. Large requests are checked first against
// the memory available now (the native layer does the same for its own).
import * as os from 'os';

const GiB = 2 ** 30;

/** Throws a RangeError naming `what` when `bytes` exceed the memory available now. */
export function checkMemory(where: string, what: string, bytes: number): void {
  if (bytes < 64 * 2 ** 20) return;  // small requests: not worth a system call
  const available = os.freemem();
  if (bytes > available) {
    throw new RangeError(`${where}: ${what} would need ${(bytes / GiB).toFixed(2)} GiB, ` +
      `more than the ${(available / GiB).toFixed(2)} GiB of memory available`);
  }
}
