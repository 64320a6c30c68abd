/**
 * What a command may touch of the outside world, passed in so that tests run the CLI in-process
 * with captured output, a fixed environment and a fake experiment registry. `main()` fills in
 * the real process (stdout, stderr, env, cwd, the examples/ registry) for what is not given.
 *
 * Errors: a UsageError (bad argument, bad config, a file named on the command line that does
 * not exist) exits with 2; anything else that goes wrong at run time exits with 1.
 */
import { isAbsolute, relative } from 'node:path';
import type { Experiment } from '../experiments/types.js';

/** A text sink: process.stdout or a capture buffer in tests. `isTTY` enables live progress bars. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Where `gradflow experiment` finds the chapter's experiments (default: examples/index.ts). */
export interface ExperimentRegistry {
  readonly ids: readonly string[];
  load(id: string): Promise<Experiment>;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths on the command line and the default runs/ folder resolve against this. */
  cwd: string;
  /** The experiment registry, loaded on first use when not injected. */
  experiments?: ExperimentRegistry;
  /** The clock for run-folder timestamps (tests fix it). */
  now: () => Date;
}

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

/** A problem with what the user asked for (arguments, config, missing input file): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = EXIT_USAGE;
}

/**
 * A config-file error: `path` is the key path in the config (e.g. `model.layers[2].config.activation`),
 * `file` the config file. The message says what was expected and what came.
 */
export class ConfigError extends UsageError {
  override name = 'ConfigError';
  constructor(readonly path: string, readonly detail: string, readonly file?: string) {
    super(`${file !== undefined ? `${file}: ` : ''}${path === '' ? '' : `${path}: `}${detail}`);
  }

  /** The same error, attributed to a config file. */
  inFile(file: string): ConfigError {
    return new ConfigError(this.path, this.detail, file);
  }
}

/** Writes one line. */
export function println(stream: OutputStream, line = ''): void {
  stream.write(`${line}\n`);
}

/** The exit code for an error thrown by a command. */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? EXIT_USAGE : EXIT_RUNTIME;
}

/**
 * A short description of a config value for messages: strings quoted, arrays and objects as
 * (shortened) JSON.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  let s: string;
  try { s = JSON.stringify(value) ?? String(value); } catch { s = String(value); }
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/** The kind of a config value, for "expected …, got <kind>" messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${show(value)})`;
  if (typeof value === 'object') return `an object (${show(value)})`;
  if (typeof value === 'string') return `the string ${show(value)}`;
  return `${typeof value} ${show(value)}`;
}

/** A path as the user should see it: relative to cwd when inside it, else absolute. */
export function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
