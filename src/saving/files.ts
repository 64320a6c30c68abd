/**
 * Node file I/O for models. Writes go to a temporary file in the same directory, then a
 * rename replaces the target atomically: a crash mid-save never leaves a half-written model.
 * `node:` modules are imported lazily so the rest of the library stays browser-safe.
 */
import { importNode } from '../utils/node-modules.js';
import type { Model } from '../models/model.js';
import { modelFromBytes, modelToBytes } from './model-io.js';

/** Writes `bytes` to `path` atomically (temp file + fsync + rename). */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const fs = await importNode('node:fs/promises');
  const { dirname, basename, join } = await importNode('node:path');
  const dir = dirname(path);
  await fs.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

export async function saveModel(model: Model, path: string): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError(`save: expected a file path, got ${JSON.stringify(path)}`);
  await writeFileAtomic(path, modelToBytes(model));
}

/** Loads a model saved with `model.save(path)`. */
export async function loadModel(path: string): Promise<Model> {
  const fs = await importNode('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    throw new Error(`loadModel: cannot read '${path}': ${(e as Error).message}`);
  }
  return modelFromBytes(bytes, `loadModel('${path}')`);
}
