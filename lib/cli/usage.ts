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

export function parse(command: string, argv: string[], flags: Flags): Record<string, string | boolean | undefined> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...COMMON, ...flags }, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`deepnet ${command}: unexpected argument '${positionals[0]}' (see deepnet ${command} --help)`);
    return values as Record<string, string | boolean | undefined>;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const message = (err as Error).message.split('\n')[0]
      .replace(/^Unknown option/, 'unknown option')
      .replace(/^Option '(--[\w-]+)(?: <value>)?' argument is ambiguous.*$/,
        "$1 got a value that starts with '-': write $1=VALUE")
      .replace(/^Option '(--[\w-]+) <value>' argument missing$/, '$1 needs a value');
    throw new UsageError(`deepnet ${command}: ${message} (see deepnet ${command} --help)`);
  }
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
