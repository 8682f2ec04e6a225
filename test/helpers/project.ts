// A user's project next to the shared data, as the docs assume it: a scratch
// directory holding app/ (the working directory, with node_modules/deepnet
// linked to this repository, so that 'deepnet', 'deepnet/plot' and
// 'deepnet/datasets' resolve through package.json's exports as an installed
// package does, and npx deepnet finds its bin) and shared/ (linked to the shared test data, so that
// ../shared/datasets resolves from app/). Also compiles TypeScript as a
// user's strictest project would.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { SHARED } from './golden';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The compiler options of a strict user project: ES modules for Node, strict, exact optional properties, no skipped declarations. */
export const USER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: false,
  types: ['node'],
  typeRoots: [path.join(ROOT, 'node_modules', '@types')],
  // Every file is emitted, so that one block's error does not stop the others from running.
  noEmitOnError: false,
};

/** Makes the project; returns its app directory. */
export function userProject(prefix: string): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const app = path.join(base, 'app');
  fs.mkdirSync(path.join(app, 'node_modules'), { recursive: true });
  fs.symlinkSync(ROOT, path.join(app, 'node_modules', 'deepnet'), 'dir');
  // As npm links a dependency's bin: npx deepnet finds it.
  fs.mkdirSync(path.join(app, 'node_modules', '.bin'));
  fs.symlinkSync(path.join('..', 'deepnet', 'bin', 'deepnet.js'), path.join(app, 'node_modules', '.bin', 'deepnet'));
  fs.symlinkSync(SHARED, path.join(base, 'shared'), 'dir');
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  return app;
}

/** Removes a project made by userProject. */
export function removeProject(app: string): void {
  fs.rmSync(path.dirname(app), { recursive: true, force: true });
}

/** Compiles the given .ts files of the project (emitting .js next to them); returns the diagnostics as text, and the program. */
export function compile(files: string[], options: ts.CompilerOptions = USER_OPTIONS): { errors: string[]; program: ts.Program } {
  const program = ts.createProgram(files, options);
  const emitted = program.emit();
  const diagnostics = [...new Set([...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics])];
  const errors = diagnostics.map((d) => {
    const where = d.file && d.start !== undefined ? (() => {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${d.file.fileName}:${line + 1}:${character + 1}: `;
    })() : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
  return { errors, program };
}
