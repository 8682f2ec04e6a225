// Every file the CLI writes, checked before any long work and written
// atomically: the destination must be a regular file or not exist (never a
// directory, a symbolic link or a device: nothing is written through a link),
// its directory must exist and be writable, it must not be one of the
// command's inputs, and an existing --out must be a deepnet model (a model
// file overwrites only a model file). An existing file keeps its mode.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../io/atomic';
import type { Model } from '../model';
import { optionalPackageDir, requireOptional } from '../optional';
import { svgToPng } from '../plot';
import { UsageError } from './usage';

/** What an output file holds: a model (--out), a figure (.svg or .png), or text. */
export type OutputKind = 'model' | 'figure' | 'text';

/** One output of a command: its flag, its path and what it holds. */
export interface Output {
  flag: string;
  file: string;
  kind: OutputKind;
}

function lstat(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Whether `file` starts as a deepnet model file does (a safetensors header whose metadata says deepnet-model). */
function isModelFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(8);
    if (fs.readSync(fd, head, 0, 8, 0) !== 8) return false;
    const n = Number(head.readBigUInt64LE(0));
    if (n > 1 << 20) return false;
    const json = Buffer.alloc(n);
    if (fs.readSync(fd, json, 0, n, 8) !== n) return false;
    return JSON.parse(json.toString('utf8'))?.__metadata__?.format === 'deepnet-model';
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

/** Throws a UsageError unless `dir` exists as a directory this process may create files in. */
function checkDirectory(command: string, what: string, dir: string): void {
  const st = lstat(dir);
  if (!st) throw new UsageError(`deepnet ${command}: ${what}: the directory ${dir} does not exist`);
  if (!fs.statSync(dir).isDirectory()) throw new UsageError(`deepnet ${command}: ${what}: ${dir} is not a directory`);
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw new UsageError(`deepnet ${command}: ${what}: cannot create files in ${dir} (permission denied)`);
  }
}

/** The same file, whether it exists or not (for comparing outputs with inputs and with each other). */
function identity(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * Checks every output of a command before it does any work: see the header.
 * `inputs` are the files the command reads (flag and path), which no output
 * may replace.
 */
export function checkOutputs(command: string, outputs: Output[], inputs: { flag: string; file: string }[]): void {
  const seen = new Map<string, string>();
  for (const { flag, file, kind } of outputs) {
    const what = `--${flag} ${file}`;
    if (file === '') throw new UsageError(`deepnet ${command}: --${flag} needs a file path; received ''`);
    if (kind === 'figure' && !/\.(svg|png)$/i.test(file)) {
      throw new UsageError(`deepnet ${command}: --${flag} must name a .svg or .png file; received '${file}'`);
    }
    const st = lstat(file);
    if (st && !st.isFile()) {
      const type = st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a directory' : 'not a regular file';
      throw new UsageError(`deepnet ${command}: ${what} is ${type}; deepnet writes only regular files (remove it or choose another name)`);
    }
    if (st && kind === 'model' && !isModelFile(file)) {
      throw new UsageError(`deepnet ${command}: ${what} exists and is not a deepnet model file; not overwriting it (choose another name)`);
    }
    checkDirectory(command, what, path.dirname(path.resolve(file)));
    const id = identity(file);
    const input = inputs.find((i) => identity(i.file) === id);
    if (input) throw new UsageError(`deepnet ${command}: ${what} is the input file of --${input.flag}; not overwriting it`);
    const other = seen.get(id);
    if (other) throw new UsageError(`deepnet ${command}: --${other} and --${flag} name the same file ${file}`);
    seen.set(id, flag);
  }
}

/** Checks --report DIR before any work: a directory (created when missing, in a writable parent) whose index.html may be written. */
export function checkReportDir(command: string, flag: string, dir: string, inputs: { flag: string; file: string }[]): void {
  if (dir === '') throw new UsageError(`deepnet ${command}: --${flag} needs a directory path; received ''`);
  const st = lstat(dir);
  if (st && !st.isDirectory()) throw new UsageError(`deepnet ${command}: --${flag} ${dir} exists and is not a directory`);
  if (!st) checkDirectory(command, `--${flag} ${dir}`, path.dirname(path.resolve(dir)));
  else checkOutputs(command, [{ flag, file: path.join(dir, 'index.html'), kind: 'text' }], inputs);
}

/** Loads the optional plotting packages the outputs need now, so that a missing one stops the command before it trains. */
export function checkPlotting(command: string, png: boolean): void {
  const where = `deepnet ${command}`;
  requireOptional(where, 'vega');
  requireOptional(where, 'vega-lite');
  optionalPackageDir(where, 'dejavu-fonts-ttf');
  if (png) requireOptional(where, '@resvg/resvg-js');
}

/**
 * Writes text or bytes to an output file atomically (lib/io/atomic.ts: a
 * temporary file renamed over it, keeping an existing file's mode and owner,
 * never through a symbolic link or into a device); its errors name the
 * command, the flag and the file.
 */
export function writeOutput(command: string, flag: string, file: string, data: string | Buffer): void {
  writeFileAtomic(file, data, `deepnet ${command}: --${flag}`);
}

/** Writes a figure as SVG or PNG, chosen by the file's extension. */
export function writeFigure(command: string, flag: string, file: string, svg: string): void {
  writeOutput(command, flag, file, /\.png$/i.test(file) ? svgToPng(svg) : svg);
}

/** Saves the model to --`flag` FILE (Model.save writes atomically, as writeOutput); an error names the flag and the file. */
export function saveModel(command: string, flag: string, file: string, model: Model): void {
  try {
    model.save(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = e.code ? `${e.message.split(',')[0]}` : e.message;
    throw new Error(`deepnet ${command}: cannot write --${flag} ${file}: ${reason}`);
  }
}
