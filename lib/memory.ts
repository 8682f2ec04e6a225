// Refusing allocations the machine cannot hold, before making them: Linux
// overcommits, so a huge typed array may be created and the process killed
// later when its pages are touched. Large requests are checked first against
// the memory available now: MemAvailable, or less under a cgroup limit (a
// container, a Kubernetes pod), whose OOM killer would otherwise end the
// process. The native layer checks its own allocations the same way.
import { native } from './native';

const GiB = 2 ** 30;

/** Throws a RangeError naming `what` when `bytes` exceed the memory available now. */
export function checkMemory(where: string, what: string, bytes: number): void {
  if (bytes < 64 * 2 ** 20) return;  // small requests: not worth reading /proc and /sys
  const available = native.availableMemory();
  if (bytes > available) {
    throw new RangeError(`${where}: ${what} would need ${(bytes / GiB).toFixed(2)} GiB, ` +
      `more than the ${(available / GiB).toFixed(2)} GiB of memory available`);
  }
}
