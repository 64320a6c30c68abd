/**
 * Node built-ins for the few features that need files (saving, CSV logs, dataset caches).
 * The module name goes through a variable so that browser bundlers (esbuild, webpack, Vite)
 * leave the import alone instead of failing to resolve `node:fs`: the core stays bundleable,
 * and these features fail only when actually called outside Node.
 */
type NodeModules = {
  'node:fs/promises': typeof import('node:fs/promises');
  'node:path': typeof import('node:path');
  'node:os': typeof import('node:os');
  'node:zlib': typeof import('node:zlib');
  'node:crypto': typeof import('node:crypto');
  'node:fs': typeof import('node:fs');
};

export async function importNode<K extends keyof NodeModules>(name: K): Promise<NodeModules[K]> {
  const specifier: string = name;
  try {
    return (await import(specifier)) as NodeModules[K];
  } catch (e) {
    throw new Error(`'${name}' is not available: this feature needs Node.js (${(e as Error).message})`);
  }
}
