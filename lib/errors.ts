// Errors for bad input: each names the function and the argument, says what
// was expected and what was received, and is raised before any native work.

/** A short description of a received value, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    const length = (value as unknown as { length?: number }).length;
    const a = /^[AEIOU]/.test(name) ? 'an' : 'a';
    return length === undefined ? `${a} ${name}` : `${a} ${name} of length ${length}`;
  }
  const ctor = (value as object).constructor;
  return ctor && ctor !== Object ? `a ${ctor.name}` : 'an object';
}

export function typeError(where: string, arg: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${where}: ${arg} must be ${expected}; received ${describe(value)}`);
}

export function rangeError(where: string, arg: string, expected: string, received: string): RangeError {
  return new RangeError(`${where}: ${arg} must be ${expected}; received ${received}`);
}

/** A finite number > 0. */
export function positiveNumber(where: string, arg: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(where, arg, 'a finite positive number', value);
  if (!Number.isFinite(value) || value <= 0) {
    throw rangeError(where, arg, 'a finite positive number', String(value));
  }
  return value;
}

/** An integer in [min, max]. */
export function integerIn(where: string, arg: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') throw typeError(where, arg, `an integer in [${min}, ${max}]`, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw rangeError(where, arg, `an integer in [${min}, ${max}]`, String(value));
  }
  return value;
}

/** An options object (or undefined), whose keys are all known. */
export function options<T extends object>(where: string, value: unknown, known: readonly string[]): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(where, 'options', 'an object', value);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
  }
  return value as Partial<T>;
}
