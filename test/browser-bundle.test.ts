/**
 * The core (src/index.ts) must stay browser-safe: it bundles for the browser platform with no
 * node: module left to resolve. (Node-only features reach node: modules through importNode,
 * which bundlers leave alone; src/node.ts adds the native backend for Node.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

test('src/index.ts bundles for the browser without node: imports', async () => {
  const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent',
  });
  assert.equal(result.errors.length, 0);
  const code = result.outputFiles[0].text;
  assert.doesNotMatch(code, /\bfrom\s*["']node:|\brequire\(\s*["']node:|\bimport\(\s*["']node:/);
  assert.match(code, /WebAssembly/); // the wasm backend travels with the core
});
