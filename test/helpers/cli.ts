// Running the command line as a user runs it: node bin/deepnet.js (the built
// dist/), in a scratch directory of the test file's own.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const BIN = path.resolve(__dirname, '..', '..', 'bin', 'deepnet.js');

/** What a finished run printed and its exit code. */
export interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** A scratch directory (made before the file's tests, removed after them) and deepnet runs inside it. */
export function cliSandbox(prefix: string) {
  const box = { dir: '' };
  beforeAll(() => { box.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); });
  afterAll(() => fs.rmSync(box.dir, { recursive: true, force: true }));
  return {
    /** The scratch directory. */
    get dir() { return box.dir; },
    /** deepnet ARGS, run to completion in the scratch directory. */
    deepnet(...args: string[]): Run {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: box.dir, encoding: 'utf8', env: { ...process.env } });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
    /** A file of the scratch directory holding `text`; returns its path. */
    file(name: string, text: string): string {
      const file = path.join(box.dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
    /**
     * deepnet ARGS started in the background; `signal` is sent once stdout
     * shows `after` (a first progress line), and the run's output resolves.
     */
    interrupt(signal: NodeJS.Signals, after: RegExp, ...args: string[]): Promise<Run & { signalled: boolean }> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: box.dir, env: { ...process.env } });
        let out = '';
        let err = '';
        let signalled = false;
        child.stdout.on('data', (chunk) => {
          out += chunk;
          if (!signalled && after.test(out)) {
            signalled = true;
            child.kill(signal);
          }
        });
        child.stderr.on('data', (chunk) => { err += chunk; });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out, err, signalled }));
      });
    },
  };
}
