/**
 * The native backend is optional: a missing, broken or disabled addon must leave gradflow on
 * wasm without an error, in-process (loadAddon) and through the Node entry (src/node.ts, in a
 * child process so that this process's registry is untouched).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAddon } from '../src/backend/native/addon.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Imports src/node.ts in a fresh Node with `env`; returns what it reports. */
function nodeEntry(env: Record<string, string>): { backend: string; backends: string[]; error: string | null } {
  const script = "const gf = await import('./src/node.ts');" +
    'console.log(JSON.stringify({ backend: gf.getBackend(), backends: gf.listBackends(), error: gf.nativeLoadError() ?? null }));';
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr.trim(), '', 'loading must be silent');
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

test('loadAddon reports a missing addon file instead of throwing', () => {
  const result = loadAddon(join(tmpdir(), 'no-such-dir', 'gradflow_native.node'));
  assert.equal(result.addon, null);
  assert.match(result.error ?? '', /Cannot find module|no such file/i);
});

test('loadAddon reports a file that is not a loadable addon instead of throwing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradflow-native-'));
  try {
    const file = join(dir, 'broken.node');
    writeFileSync(file, 'not an ELF / Mach-O / PE file');
    const result = loadAddon(file);
    assert.equal(result.addon, null);
    assert.ok(result.error && result.error.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with the addon missing, the Node entry silently stays on wasm', () => {
  const got = nodeEntry({ GRADFLOW_NATIVE_PATH: join(tmpdir(), 'no-such-dir', 'gradflow_native.node') });
  assert.equal(got.backend, 'wasm');
  assert.ok(!got.backends.includes('native'));
  assert.ok(got.error);
});

test('GRADFLOW_NATIVE=0 disables the native backend', () => {
  const got = nodeEntry({ GRADFLOW_NATIVE: '0' });
  assert.equal(got.backend, 'wasm');
  assert.equal(got.error, 'GRADFLOW_NATIVE=0');
});

test('the Node entry picks native exactly when the built addon loads', () => {
  const built = loadAddon().addon !== null;
  const got = nodeEntry({});
  assert.equal(got.backend, built ? 'native' : 'wasm');
  assert.equal(got.backends.includes('native'), built);
});

test('the browser-safe core imports no node: module and does not load the addon', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
    "const gf = await import('./src/index.ts'); console.log(gf.getBackend(), gf.listBackends().join(','))"],
  { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'wasm js,wasm');
});
