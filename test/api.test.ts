// The package as users get it: a lean core (require('deepnet') loads the
// addon and the model code, none of the plotting or HDF5 packages), the
// subpaths deepnet/plot and deepnet/datasets, declarations that a strict
// project type-checks without vega-lite's, JSDoc on every public symbol, and
// a clear error when an optional dependency is missing.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { compile, removeProject, ROOT, USER_OPTIONS, userProject } from './helpers/project';

const OPTIONAL = ['vega', 'vega-lite', '@resvg/resvg-js', 'dejavu-fonts-ttf', 'jsfive'];

let app: string;
beforeAll(() => { app = userProject('deepnet-api-'); });
afterAll(() => removeProject(app));

/** Runs `code` (CommonJS) with node in the project; returns its stdout parsed as JSON. */
function run(code: string, preload?: string): { status: number | null; out: unknown; err: string } {
  const r = spawnSync(process.execPath, [...(preload ? ['--require', preload] : []), '-e', code], { cwd: app, encoding: 'utf8' });
  let out: unknown = r.stdout;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    // not JSON: the raw text
  }
  return { status: r.status, out, err: r.stderr };
}

/** The packages (outside deepnet itself) whose modules are in require.cache after `code`. */
const LOADED = `JSON.stringify([...new Set(Object.keys(require.cache).filter((f) => !f.startsWith(${JSON.stringify(ROOT + path.sep)}) ||
  f.includes('/node_modules/')).map((f) => f.split('/node_modules/').pop().split('/').slice(0, f.split('/node_modules/').pop().startsWith('@') ? 2 : 1).join('/')))])`;

describe('a lean core', () => {
  test("require('deepnet') loads deepnet's own modules and node-gyp-build, none of the optional packages", () => {
    const r = run(`require('deepnet'); process.stdout.write(${LOADED})`);
    expect(r.out).toEqual(['node-gyp-build']);
  });

  test('deepnet/plot and deepnet/datasets load their packages only when a function needs them', () => {
    const plot = run(`const p = require('deepnet/plot'); const before = ${LOADED};
      p.plotCostCurve([0.7, 0.5]).then(() => process.stdout.write(JSON.stringify({ before: JSON.parse(before), after: JSON.parse(${LOADED}) })))`);
    expect(plot.out).toEqual({ before: ['node-gyp-build'], after: expect.arrayContaining(['node-gyp-build', 'vega', 'vega-lite']) });
    const data = run(`const d = require('deepnet/datasets'); d.makeMoons({ nSamples: 10 }); const before = ${LOADED};
      d.loadCatDataset(${JSON.stringify(path.join(path.dirname(app), 'shared', 'datasets'))}); process.stdout.write(JSON.stringify({ before: JSON.parse(before), after: JSON.parse(${LOADED}) }))`);
    expect(data.out).toEqual({ before: ['node-gyp-build'], after: ['node-gyp-build', 'jsfive'] });
  });

  test('internals stay private: the exports map serves ".", "./plot", "./datasets" and package.json only', () => {
    const r = run(`try { require('deepnet/dist/native'); } catch (e) { process.stdout.write(JSON.stringify(e.code)); }`);
    expect(r.out).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.exports)).toEqual(['.', './plot', './datasets', './package.json']);
    expect(Object.keys(pkg.optionalDependencies).sort()).toEqual([...OPTIONAL].sort());
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['node-addon-api', 'node-gyp-build']);
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(pkg.license).toBe('MIT');
  });

  test('a missing optional package: the core still loads; the call that needs it names the package and the install command', () => {
    // A preload that makes vega and jsfive unresolvable, as after npm install --omit=optional.
    const preload = path.join(app, 'hide.cjs');
    fs.writeFileSync(preload, `const Module = require('module'); const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'vega' || request === 'jsfive') { const e = new Error("Cannot find module '" + request + "'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
        return resolve.call(this, request, ...rest);
      };`);
    const r = run(`const d = require('deepnet'); const p = require('deepnet/plot'); const s = require('deepnet/datasets');
      const out = { core: typeof d.Model };
      try { s.loadCatDataset('.'); } catch (e) { out.hdf5 = e.message; }
      p.plotCostCurve([0.5]).catch((e) => { out.plot = e.message; process.stdout.write(JSON.stringify(out)); });`, preload);
    expect(r.out).toEqual({
      core: 'function',
      hdf5: 'loadCatDataset: needs the optional dependency jsfive for reading HDF5 files (loadCatDataset), which is not installed ' +
        '(npm install --omit=optional leaves it out): run npm install jsfive',
      plot: 'renderSvg: needs the optional dependency vega for plots (deepnet/plot, the HTML reports), which is not installed ' +
        '(npm install --omit=optional leaves it out): run npm install vega',
    });
    // The CLI says so before it trains.
    const cli = spawnSync(process.execPath, ['--require', preload, path.join(ROOT, 'bin', 'deepnet.js'), 'train', '--dataset', 'moons',
      '--plot', 'cost.svg'], { cwd: app, encoding: 'utf8' });
    expect([cli.status, cli.stdout, cli.stderr.trim()]).toEqual([1, '', 'deepnet train: needs the optional dependency vega for ' +
      'plots (deepnet/plot, the HTML reports), which is not installed (npm install --omit=optional leaves it out): run npm install vega']);
  });
});

describe('declarations', () => {
  test("a strict project (exactOptionalPropertyTypes, no skipLibCheck) type-checks against all three entry points without vega-lite's declarations", () => {
    const file = path.join(app, 'types.ts');
    fs.writeFileSync(file, `import { Model, NetworkParameters, loadCsv, type FitOptions } from 'deepnet';
import { plotCostCurve, type VegaLiteSpec, costCurveSpec } from 'deepnet/plot';
import { makeMoons } from 'deepnet/datasets';
// TypeScript's own Parameters<T> is not shadowed by deepnet's.
type Args = Parameters<typeof loadCsv>;
const args: Args = ['data.csv', { labelColumn: null }];
const p: NetworkParameters = {};
const options: FitOptions = { epochs: 1, scaler: 'standard' };
const spec: VegaLiteSpec = costCurveSpec([1]);
export { args, p, options, spec, Model, plotCostCurve, makeMoons };
`);
    const { errors, program } = compile([file], { ...USER_OPTIONS, noEmit: true });
    expect(errors).toEqual([]);
    const loaded = program.getSourceFiles().map((f) => f.fileName);
    expect(loaded.filter((f) => /node_modules\/(vega|vega-lite|@resvg|jsfive)\//.test(f))).toEqual([]);
    expect(loaded.filter((f) => f.startsWith(path.join(ROOT, 'dist'))).length).toBeGreaterThan(20);
  });

  test('every public symbol of the three entry points has JSDoc, and so has every public member of its classes and interfaces', () => {
    const program = ts.createProgram(['index', 'plot/index', 'datasets/index'].map((f) => path.join(ROOT, 'lib', `${f}.ts`)),
      { strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, types: ['node'] });
    const checker = program.getTypeChecker();
    const missing: string[] = [];
    const documented = (s: ts.Symbol) => s.getDocumentationComment(checker).length > 0 ||
      s.getJsDocTags(checker).some((t) => t.name === 'param');
    const own = (s: ts.Symbol) => (s.declarations ?? []).some((d) => d.getSourceFile().fileName.startsWith(path.join(ROOT, 'lib')));
    const isPublic = (s: ts.Symbol) => !(s.declarations ?? []).some((d) => ts.getCombinedModifierFlags(d as ts.Declaration) &
      (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !s.name.startsWith('#');
    for (const entry of ['index', 'plot/index', 'datasets/index']) {
      const source = program.getSourceFile(path.join(ROOT, 'lib', `${entry}.ts`))!;
      for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
        const s = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        if (!documented(s)) missing.push(`${entry}: ${exported.name}`);
        if (!(s.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface))) continue;
        const type = checker.getDeclaredTypeOfSymbol(s);
        const members = [...checker.getPropertiesOfType(type),
          ...(s.flags & ts.SymbolFlags.Class ? checker.getPropertiesOfType(checker.getTypeOfSymbol(s)).filter((m) => m.name !== 'prototype') : [])];
        for (const m of members) {
          if (own(m) && isPublic(m) && !documented(m)) missing.push(`${entry}: ${exported.name}.${m.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
