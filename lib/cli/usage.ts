// Command-line parsing shared by the commands: strict flags (an unknown flag
// is a usage error, exit code 2), typed values with errors that name the flag.
import { parseArgs, ParseArgsConfig } from 'util';

/** Bad usage: exit code 2 with a one-line message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Flags = NonNullable<ParseArgsConfig['options']>;

/** Flags every command understands. */
export const COMMON: Flags = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
};

/**
 * The flags of `argv` for `command`: strict (an unknown flag is a UsageError
 * naming the closest known one), positionals refused, every message one line.
 */
export function parse(command: string, argv: string[], flags: Flags): Record<string, string | boolean | undefined> {
  const options = { ...COMMON, ...flags };
  checkFlagNames(command, argv, options);
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`deepnet ${command}: unexpected argument '${positionals[0]}' (see deepnet ${command} --help)`);
    return values as Record<string, string | boolean | undefined>;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const message = (err as Error).message.split('\n')[0]
      .replace(/^Unknown option '([^']*)'.*$/, "unknown option '$1'")
      .replace(/^Option '(--[\w-]+)(?: <value>)?' argument is ambiguous.*$/,
        "$1 got a value that starts with '-': write $1=VALUE")
      .replace(/^Option '(--[\w-]+) <value>' argument missing$/, '$1 needs a value')
      .replace(/^Option '(--[\w-]+)' does not take an argument$/, '$1 takes no value');
    throw new UsageError(`deepnet ${command}: ${message} (see deepnet ${command} --help)`);
  }
}

/** Throws a UsageError for the first --name in argv that `flags` lacks, suggesting the closest known flag. */
function checkFlagNames(command: string, argv: string[], flags: Flags): void {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') return;
    if (!token.startsWith('--')) continue;
    const name = token.slice(2).split('=')[0];
    const flag = Object.prototype.hasOwnProperty.call(flags, name) ? flags[name] : undefined;
    if (flag) {
      if (flag.type === 'string' && !token.includes('=')) i++;  // its value, which may start with '-'
      continue;
    }
    const closest = closestName(name, Object.keys(flags));
    throw new UsageError(`deepnet ${command}: unknown option '--${name}'${closest ? `; did you mean --${closest}?` : ''} ` +
      `(see deepnet ${command} --help)`);
  }
}

/** The known name nearest to `name` (edit distance, or a prefix of it), if any is near enough to be a likely typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = k.startsWith(name) || name.startsWith(k) ? Math.abs(k.length - name.length) / 2 : editDistance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Levenshtein distance (insertions, deletions and substitutions of one character). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = row;
  }
  return previous[b.length];
}

export function number(command: string, flag: string, value: string | boolean | undefined, check: (n: number) => boolean,
  expected: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`deepnet ${command}: --${flag} must be ${expected}; received '${String(value)}'`);
  }
  return n;
}

export const positiveInt = (n: number) => Number.isInteger(n) && n >= 1;
export const nonNegativeInt = (n: number) => Number.isInteger(n) && n >= 0;

/** A comma-separated list of positive integers, e.g. --layers 2,20,3,1. */
export function intList(command: string, flag: string, value: string | boolean | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = String(value).split(',').map((s) => s.trim());
  const list = parts.map(Number);
  if (typeof value !== 'string' || parts.some((s) => s === '') || !list.every(positiveInt)) {
    throw new UsageError(`deepnet ${command}: --${flag} must be a comma-separated list of positive integers like 20,7,5; received '${String(value)}'`);
  }
  return list;
}

export function oneOf<T extends string>(command: string, flag: string, value: string | boolean | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) {
    throw new UsageError(`deepnet ${command}: --${flag} must be one of ${choices.join(', ')}; received '${String(value)}'`);
  }
  return value as T;
}

export function required(command: string, flag: string, value: string | boolean | undefined): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`deepnet ${command}: --${flag} is required (see deepnet ${command} --help)`);
  return value;
}
