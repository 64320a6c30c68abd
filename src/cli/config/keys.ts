/**
 * Reading config objects: keys in Keras' snake_case or the library's camelCase (both map to one
 * canonical name), unknown keys rejected with a "did you mean", `{ class_name, config }` specs,
 * and library errors re-thrown as ConfigErrors that name the key path.
 */
import { ConfigError, kindOf, show } from '../io.js';
import { canonical, closest, didYouMean, prefersSnake, toCamel, toSnake } from '../suggest.js';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `${path}.${key}`, or `key` at the top level. */
export const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

/** An object at `path`, or a ConfigError saying what came instead. */
export function expectObject(value: unknown, path: string, what: string): Json {
  if (!isObject(value)) throw new ConfigError(path, `expected ${what}, got ${kindOf(value)}`);
  return value;
}

/**
 * One entry of a config object: the user's key and the canonical (camelCase) name it maps to.
 * Keys are looked up as written, then as camelCase, then through `aliases` (canonical → name).
 */
export interface KeyEntry { user: string; name: string; value: unknown }

/**
 * Maps every key of `obj` to one of `known` (camelCase names). Unknown keys and a key given in
 * two spellings are ConfigErrors naming the key, the allowed keys (in the user's spelling style)
 * and the closest one.
 */
export function readKeys(obj: Json, known: readonly string[], path: string, aliases: Readonly<Record<string, string>> = {}): Map<string, KeyEntry> {
  const out = new Map<string, KeyEntry>();
  const snake = prefersSnake(Object.keys(obj));
  const shown = known.map((k) => (snake ? toSnake(k) : k));
  for (const [user, value] of Object.entries(obj)) {
    const camel = toCamel(user);
    const name = known.includes(user) ? user : known.includes(camel) ? camel : aliases[camel] ?? aliases[user];
    if (name === undefined || !known.includes(name)) {
      throw new ConfigError(join(path, user), `unknown key${didYouMean(user, shown)}; allowed keys: ${shown.join(', ')}`);
    }
    const previous = out.get(name);
    if (previous) throw new ConfigError(join(path, user), `'${name}' is given twice (as '${previous.user}' and '${user}')`);
    out.set(name, { user, name, value });
  }
  return out;
}

/** The camelCase config object of read keys (what the library's constructors take). */
export function camelConfig(keys: Map<string, KeyEntry>): Json {
  const out: Json = {};
  for (const [name, e] of keys) out[name] = e.value;
  return out;
}

/** The Keras (snake_case) form of read keys, for the resolved config. */
export function snakeConfig(keys: Map<string, KeyEntry>, values: Json = {}): Json {
  const out: Json = {};
  for (const [name, e] of keys) out[toSnake(name)] = name in values ? values[name] : e.value;
  return out;
}

/** A `{ class_name, config }` spec (also `className`; Keras 3's `module` and `registered_name` are ignored). */
export interface ClassSpec {
  className: string;
  config: Json;
  /** Path of the class name ('….class_name') and of the config object ('….config'). */
  classPath: string;
  configPath: string;
}

export function readClassSpec(value: unknown, path: string, what: string): ClassSpec {
  const obj = expectObject(value, path, `${what} as { "class_name": …, "config": { … } }`);
  const keys = readKeys(obj, ['className', 'config', 'module', 'registeredName'], path);
  const cls = keys.get('className');
  if (!cls) throw new ConfigError(path, `missing "class_name" (the ${what}'s class, e.g. ${exampleOf(what)})`);
  if (typeof cls.value !== 'string' || cls.value === '') {
    throw new ConfigError(join(path, cls.user), `expected the ${what}'s class name as a string, got ${kindOf(cls.value)}`);
  }
  const cfg = keys.get('config');
  const config = cfg === undefined || cfg.value === null ? {} : expectObject(cfg.value, join(path, cfg.user), `the ${what}'s config object`);
  return { className: cls.value, config, classPath: join(path, cls.user), configPath: join(path, cfg?.user ?? 'config') };
}

function exampleOf(what: string): string {
  return what === 'layer' ? '"Dense"' : what === 'optimizer' ? '"SGD"' : what === 'callback' ? '"EarlyStopping"' : '"ExponentialDecay"';
}

/**
 * Resolves `name` against `known` names (any spelling); a ConfigError lists `shown` (default:
 * `known`) otherwise, with the closest one.
 */
export function pickName(name: string, known: readonly string[], path: string, what: string, shown: readonly string[] = known): string {
  const hit = known.find((k) => canonical(k) === canonical(name));
  if (hit !== undefined) return hit;
  throw new ConfigError(path, `unknown ${what} ${show(name)}${didYouMean(name, shown)}; expected one of: ${shown.join(', ')}`);
}

/** 'an initializer', 'a regularizer'. */
export const withArticle = (word: string): string => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;

/**
 * A library error (a constructor rejecting a value) as a ConfigError at the key it names: the
 * first key of `keys` the message mentions, else `path` itself. An "unknown option 'x'" gets a
 * did-you-mean from its "expected one of" list when it lacks one.
 */
export function libraryError(error: unknown, path: string, keys?: Map<string, KeyEntry>): ConfigError {
  if (error instanceof ConfigError) return error;
  let message = error instanceof Error ? error.message : String(error);
  let at = path;
  let first = Infinity;
  for (const e of keys?.values() ?? []) {
    for (const word of new Set([e.name, e.user])) {
      const m = new RegExp(`(^|[^A-Za-z0-9_])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`).exec(message);
      if (m && m.index < first) { first = m.index; at = join(path, e.user); }
    }
  }
  const unknown = /unknown option '([^']+)'/.exec(message);
  if (unknown) {
    const entry = [...(keys?.values() ?? [])].find((e) => e.name === unknown[1] || e.user === unknown[1]);
    at = join(path, entry?.user ?? unknown[1]);
    const list = /expected one of: (.*)$/.exec(message);
    if (list && !message.includes('did you mean')) {
      const hint = closest(unknown[1], list[1].split(/,\s*/));
      if (hint) message = message.replace(`'${unknown[1]}'`, `'${unknown[1]}' (did you mean '${hint}'?)`);
    }
  }
  return new ConfigError(at, message);
}

/** A value check: a ConfigError at `path` unless `ok`. */
export function check(ok: boolean, path: string, expected: string, value: unknown): void {
  if (!ok) throw new ConfigError(path, `expected ${expected}, got ${kindOf(value)}`);
}

export const isPositiveInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
export const isNonNegativeInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

