// The Chromium the browser tests drive: CHROMIUM_PATH when set, else a system
// chromium, else the one the @sparticuz/chromium devDependency ships inside
// its npm package (inflated once into node_modules/.cache, no download), so
// `npm install && npm test` needs nothing from apt.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface Browser {
  executablePath: string;
  /** Launch flags this build needs, plus ours for a closed network. */
  args: string[];
  source: 'CHROMIUM_PATH' | 'system' | 'npm';
}

// The probe's flags for this machine's closed network (no background connections).
const QUIET = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];
const SYSTEM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** A path that is a real file (a bind mount of /dev/null over a binary hides it). */
function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    return st.isFile() && st.size > 0;
  } catch {
    return false;
  }
}

/** The @sparticuz/chromium package's root and version, or undefined when it is not installed. */
function npmPackage(): { dir: string; version: string } | undefined {
  let entry: string;
  try {
    entry = require.resolve('@sparticuz/chromium');
  } catch {
    return undefined;
  }
  // Up from its entry point (build/cjs holds a package.json of its own).
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (pkg.name === '@sparticuz/chromium') return { dir, version: pkg.version };
  }
  return undefined;
}

function fromNpm(): Browser {
  const pkg = npmPackage();
  if (!pkg) {
    throw new Error('no browser for the report test: set CHROMIUM_PATH, install chromium, or run npm install (the devDependency @sparticuz/chromium ships one)');
  }
  const { version } = pkg;
  const root = path.resolve(__dirname, '..', '..');
  const dir = path.join(root, 'node_modules', '.cache', `deepnet-chromium-${version}`);
  const info = path.join(dir, 'launch.json');
  if (!fs.existsSync(info)) {
    // The package's own inflater (an ES module, so in a child process) writes
    // into os.tmpdir(): point that at a private directory, then move it into place.
    const tmp = `${dir}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      "import c from '@sparticuz/chromium'; process.stdout.write(JSON.stringify({ path: await c.executablePath(), args: c.args }));"],
    { cwd: root, env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8' });
    const launch = JSON.parse(out) as { path: string; args: string[] };
    fs.writeFileSync(path.join(tmp, 'launch.json'), JSON.stringify({ file: path.basename(launch.path), args: launch.args }));
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true });  // another process got there first
    }
  }
  const { file, args } = JSON.parse(fs.readFileSync(info, 'utf8')) as { file: string; args: string[] };
  // The package's --headless='shell' is for puppeteer; playwright passes its own --headless.
  return { executablePath: path.join(dir, file), args: [...args.filter((a) => !a.startsWith('--headless')), ...QUIET], source: 'npm' };
}

export function findBrowser(): Browser {
  const own = process.env.CHROMIUM_PATH;
  if (own) {
    if (!isExecutableFile(own)) throw new Error(`CHROMIUM_PATH=${own} is not a browser binary`);
    return { executablePath: own, args: QUIET, source: 'CHROMIUM_PATH' };
  }
  const system = SYSTEM.find(isExecutableFile);
  if (system) return { executablePath: system, args: QUIET, source: 'system' };
  return fromNpm();
}
