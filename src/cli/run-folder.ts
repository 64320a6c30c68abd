/**
 * Run folders (`runs/<name>-<timestamp>/`): a run is written into a hidden sibling,
 * `.<name>-<timestamp>.partial`, each file atomically (gf.writeFileAtomic), and renamed into
 * place when everything is written. A crash or a failed run never leaves a folder that looks
 * complete: what it wrote stays in the .partial folder, which the error message names.
 */
import { mkdir, readdir, rename, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../saving/files.js';
import { UsageError } from './io.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** 20250314-093005 (local time): sorts by date, safe in file names. */
export function timestamp(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

async function entries(dir: string): Promise<string[] | null> {
  try { return await readdir(dir); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return ['(a file)'];
    throw e;
  }
}

/**
 * The run folder's final path: `out` (which must not exist or be empty), else
 * `<cwd>/runs/<name>-<timestamp>` (with -2, -3, … if that exists).
 */
export async function chooseRunDir(out: string | undefined, name: string, cwd: string, now: Date, option = '--out'): Promise<string> {
  if (out !== undefined) {
    const dir = resolve(cwd, out);
    const inside = await entries(dir);
    if (inside !== null && inside.length > 0) {
      throw new UsageError(`${option}: '${out}' already exists and is not empty; give a new directory (a run never overwrites another)`);
    }
    return dir;
  }
  const base = resolve(cwd, 'runs', `${name}-${timestamp(now)}`);
  for (let i = 1; ; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    if ((await entries(dir)) === null && (await entries(partialOf(dir))) === null) return dir;
  }
}

/** The hidden folder a run is written into before it is moved to `dir`. */
export const partialOf = (dir: string): string => join(dirname(dir), `.${basename(dir)}.partial`);

export class RunFolder {
  private constructor(readonly finalDir: string, readonly dir: string) {}

  /** Creates the hidden work folder next to `finalDir`. */
  static async create(finalDir: string): Promise<RunFolder> {
    const dir = partialOf(finalDir);
    await mkdir(dirname(dir), { recursive: true });
    try {
      await mkdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`'${dir}' exists: another run is writing there, or one failed (remove it)`);
      throw e;
    }
    return new RunFolder(finalDir, dir);
  }

  /** A file's path in the folder being written. */
  path(file: string): string {
    return join(this.dir, file);
  }

  async writeText(file: string, text: string): Promise<string> {
    await writeFileAtomic(this.path(file), new TextEncoder().encode(text));
    return file;
  }

  async writeJson(file: string, value: unknown): Promise<string> {
    return this.writeText(file, `${JSON.stringify(value, jsonReplacer, 2)}\n`);
  }

  async writeBytes(file: string, bytes: Uint8Array): Promise<string> {
    await writeFileAtomic(this.path(file), bytes);
    return file;
  }

  /**
   * After a failure: removes the work folder when nothing was written, else leaves it for
   * inspection. Returns the folder left behind, or null.
   */
  async abandon(): Promise<string | null> {
    const inside = await entries(this.dir);
    if (inside === null) return null;
    if (inside.length === 0) { await rmdir(this.dir); return null; }
    return this.dir;
  }

  /** Moves the finished run into place. */
  async commit(): Promise<string> {
    const inside = await entries(this.finalDir);
    if (inside !== null) {
      if (inside.length > 0) throw new Error(`cannot move the run into '${this.finalDir}': it was created meanwhile; the run is in '${this.dir}'`);
      await rmdir(this.finalDir);
    }
    await rename(this.dir, this.finalDir);
    return this.finalDir;
  }
}

/** JSON has no NaN or Infinity: they are written as the strings "NaN", "Infinity", "-Infinity". */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
