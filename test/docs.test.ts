// Every code block of README.md and docs/*.md works as written: each ```ts
// block compiles in a strict user project (module 'deepnet' and its subpaths
// resolved through the package's exports, ../shared/datasets next to it) and
// runs to exit code 0 in its own node process; each ```sh block that uses
// npx deepnet runs in bash (set -euo pipefail). The other blocks are output
// listings, or development commands that CI runs itself (.ci/run).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compile, removeProject, ROOT, userProject } from './helpers/project';

interface Block {
  /** file:line of the opening fence. */
  where: string;
  lang: string;
  code: string;
}

const FILES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

function blocksOf(file: string): Block[] {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: a code block is not closed`);
    out.push({ where: `${file}:${i + 1}`, lang: open[1], code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

const BLOCKS = FILES.flatMap(blocksOf);
const TS = BLOCKS.filter((b) => b.lang === 'ts');
const SH = BLOCKS.filter((b) => b.lang === 'sh' && /\bnpx deepnet\b/.test(b.code));
/**
 * Commands of the development blocks (building, testing, installing system
 * packages): what .ci/run runs; and launchers of MPI jobs and cluster queues
 * (.ci/run runs the mpirun example; srun, sbatch and kubectl need a cluster).
 */
const DEVELOPMENT = /^(npm|bash|apt-get|dnf|(DEEPNET_\w+=\S+ )+npm|mpirun|srun|sbatch|kubectl)\b/;
/** Listings of configuration files, not code. */
const CONFIGURATION = ['yaml'];

let app: string;
let compiled: string[];
beforeAll(() => {
  app = userProject('deepnet-docs-');
  const files = TS.map((b, i) => {
    const file = path.join(app, `block${i}.mts`);
    fs.writeFileSync(file, `// ${b.where}\n${b.code}\n`);
    return file;
  });
  compiled = compile(files).errors;
});
afterAll(() => removeProject(app));

test('every block is TypeScript or npx deepnet that this test runs, a development command, or an output listing', () => {
  const other = BLOCKS.filter((b) => !TS.includes(b) && !SH.includes(b));
  const commands = (b: Block) => b.code.replace(/\\\n/g, ' ').split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
  const unexplained = other.filter((b) => (b.lang === 'sh' ? !commands(b).every((c) => DEVELOPMENT.test(c))
    : (b.lang !== '' && !CONFIGURATION.includes(b.lang)) || /^(import|const|npx|node) /m.test(b.code)));
  expect(unexplained.map((b) => b.where)).toEqual([]);
  expect(TS.length).toBeGreaterThanOrEqual(8);
  expect(SH.length).toBeGreaterThanOrEqual(2);
});

test('the TypeScript blocks compile (strict, exactOptionalPropertyTypes, no skipLibCheck)', () => {
  expect(compiled).toEqual([]);
});

test.each(TS.map((b, i) => [b.where, i] as const))('%s runs', (_where, i) => {
  const r = spawnSync(process.execPath, [path.join(app, `block${i}.mjs`)], { cwd: app, encoding: 'utf8' });
  expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
});

test.each(SH.map((b) => [b.where, b] as const))('%s runs', (_where, b) => {
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', b.code], {
    cwd: app, encoding: 'utf8', env: { ...process.env, PATH: `${path.join(app, 'node_modules', '.bin')}:${process.env.PATH}` },
  });
  expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
});
