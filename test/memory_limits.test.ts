// Memory checks honour a container's limit (issue 15, finding 5): under a
// cgroup memory limit, a fit or a model larger than the limit gets the
// RangeError, not the OOM killer. The limit arithmetic (v1 and v2 files,
// nested groups, reclaimable cache) is tested on fake trees in
// native/tests/test_kernels.cc; here, the real thing where this machine lets
// the test make a group: cgroup v2 with the memory controller, as root (CI).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { native } from '../lib/native';

const CGROUP = '/sys/fs/cgroup';
const canLimit = process.getuid?.() === 0 && fs.existsSync(path.join(CGROUP, 'cgroup.controllers')) &&
  fs.readFileSync(path.join(CGROUP, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('memory');

test('availableMemory never exceeds MemAvailable', () => {
  const memAvailable = Number(/MemAvailable:\s+(\d+) kB/.exec(fs.readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
  const available = native.availableMemory();
  expect(available).toBeGreaterThan(0);
  expect(available).toBeLessThanOrEqual(memAvailable + 256 * 2 ** 20);  // MemAvailable moves between the two reads
});

// On a machine without a cgroup v2 memory controller this machine's root may hand out (cgroup v1,
// or not root), the fake trees of the native tests are all that runs.
(canLimit ? test : test.skip)('in a cgroup v2 group limited to 256 MiB, large requests are RangeErrors', async () => {
  const group = path.join(CGROUP, `deepnet-test-${process.pid}`);
  const control = path.join(CGROUP, 'cgroup.subtree_control');
  if (!fs.readFileSync(control, 'utf8').split(/\s+/).includes('memory')) fs.writeFileSync(control, '+memory');
  fs.mkdirSync(group);
  try {
    fs.writeFileSync(path.join(group, 'memory.max'), String(256 * 2 ** 20));
    fs.writeFileSync(path.join(group, 'memory.swap.max'), '0');
    // The child waits on stdin until it has been moved into the group.
    const child = spawn(process.execPath, ['-e', `
      process.stdin.once('data', () => {
        const deepnet = require(${JSON.stringify(path.resolve(__dirname, '..', 'dist'))});
        const { native } = require(${JSON.stringify(path.resolve(__dirname, '..', 'dist', 'native'))});
        const out = { available: native.availableMemory() };
        try { new deepnet.Model({ layers: [8000, 8000, 1] }); out.model = 'built'; } catch (e) { out.model = e.message; }
        try { deepnet.zeros(8000, 8000); out.zeros = 'allocated'; } catch (e) { out.zeros = e.message; }
        console.log(JSON.stringify(out));
        process.exit(0);
      });`], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    const exited = new Promise<[number | null, string | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    fs.writeFileSync(path.join(group, 'cgroup.procs'), String(child.pid));
    child.stdin.end('go');
    // Without the cgroup in the check, the 1 GiB of parameters is allocated and touched: the OOM killer's SIGKILL.
    expect(await exited).toEqual([0, null]);
    const r = JSON.parse(out);
    expect(r.available).toBeLessThanOrEqual(256 * 2 ** 20);
    expect(r.model).toMatch(/the model's parameters would need 0\.95 GiB, more than the 0\.\d\d GiB of memory available/);
    expect(r.zeros).toMatch(/^deepnet: a result of 64000000 float64 values would need 0\.48 GiB, more than the 0\.\d\d GiB of memory available/);
  } finally {
    fs.rmdirSync(group);
  }
});
