/**
 * Argument checks shared by the schedules: every error names the schedule and the argument,
 * and says what was expected.
 */

export function finite(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

export function nonNegative(value: unknown, name: string, where: string): number {
  if (finite(value, name, where) < 0) throw new RangeError(`${where}: ${name} must be ≥ 0, got ${String(value)}`);
  return value as number;
}

export function positive(value: unknown, name: string, where: string): number {
  if (!(finite(value, name, where) > 0)) throw new RangeError(`${where}: ${name} must be > 0, got ${String(value)}`);
  return value as number;
}

export function positiveInteger(value: unknown, name: string, where: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value as number;
}

export function boolean(value: unknown, name: string, where: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${where}: ${name} must be true or false, got ${String(value)}`);
  return value;
}

/** The optimizer step: a finite number ≥ 0 (`optimizer.iterations`, 0 at the first update). */
export function checkStep(step: unknown, where: string): number {
  if (typeof step !== 'number' || !(step >= 0) || !Number.isFinite(step)) {
    throw new RangeError(`${where}: step must be a finite number ≥ 0 (optimizer.iterations), got ${String(step)}`);
  }
  return step;
}

const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * An options object with Keras' snake_case keys accepted as aliases ('initial_learning_rate' →
 * 'initialLearningRate'), so configs saved by Keras load; any other unknown key is an error
 * (a misspelled option must not be silently ignored).
 */
export function readOptions<T extends object>(options: unknown, known: readonly string[], where: string): Partial<T> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: expected an options object, got ${options === null ? 'null' : typeof options}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const name = known.includes(key) ? key : camel(key);
    if (!known.includes(name)) {
      const hint = known.find((k) => k.toLowerCase() === name.toLowerCase());
      throw new TypeError(`${where}: unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected one of: ${known.join(', ')}`);
    }
    if (name in out) throw new TypeError(`${where}: option '${name}' is given twice (as '${key}' too)`);
    out[name] = value;
  }
  return out as Partial<T>;
}

/** Required options must be present. */
export function required<T>(value: T | undefined, name: string, where: string): T {
  if (value === undefined) throw new TypeError(`${where}: ${name} is required`);
  return value;
}
