#!/usr/bin/env node
/**
 * Builds the optional `native` backend (binding.gyp → build/Release/gradflow_native.node) with
 * node-gyp, then loads it once in a child process to prove that it links at run time.
 *
 *   node scripts/build-native.mjs              explicit build (npm run build:native): output shown,
 *                                              exits non-zero on failure
 *   node scripts/build-native.mjs --optional   the package's install script: quiet, never fails;
 *                                              prints one line saying whether the fast path is on
 *
 * GRADFLOW_SKIP_NATIVE=1 skips the build (the library then runs on wasm).
 * GRADFLOW_BLAS_LIBS overrides the BLAS link flags (scripts/native-blas.mjs).
 *
 * Runs `node-gyp configure build`, not `rebuild`: rebuild starts with `clean`, which deletes the
 * whole build/ folder, and build/gradflow.wasm lives there too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const optional = process.argv.includes('--optional');
const addon = join(root, 'build/Release/gradflow_native.node');
const hint = 'for the fast path install a C++ compiler and OpenBLAS (apt-get install g++ make python3 ' +
  'libopenblas-dev), then run `npm rebuild gradflow`';

function done(ok, message) {
  if (optional) {
    console.log(ok ? `gradflow: native backend built (${message})`
      : `gradflow: native backend not built (${message}); using wasm — ${hint}`);
    process.exit(0);
  }
  if (ok) console.log(`build-native: ${message}`);
  else console.error(`build-native: failed (${message})\n${hint}`);
  process.exit(ok ? 0 : 1);
}

if (process.env.GRADFLOW_SKIP_NATIVE === '1') done(false, 'GRADFLOW_SKIP_NATIVE=1');

/** node-gyp's entry script: npm's own (set for lifecycle scripts), a local one, npm's bundled one. */
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch { /* not a dependency */ }
  const prefix = dirname(dirname(process.execPath));
  candidates.push(join(prefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'));
  candidates.push(join(dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'));
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

const gyp = nodeGyp();
if (!gyp) done(false, 'node-gyp not found');

const args = [gyp, 'configure', 'build', '--release', '--jobs', 'max'];
// Node's own headers, when installed beside the binary, save node-gyp a download (offline CI).
const prefix = dirname(dirname(process.execPath));
if (existsSync(join(prefix, 'include/node/node_api.h')) && existsSync(join(prefix, 'include/node/common.gypi'))) {
  args.push(`--nodedir=${prefix}`);
}
const started = Date.now();
const build = spawnSync(process.execPath, args, {
  cwd: root, encoding: 'utf8', stdio: optional ? 'pipe' : 'inherit', timeout: 300_000,
});
if (build.status !== 0 || !existsSync(addon)) {
  const output = `${build.stdout ?? ''}${build.stderr ?? ''}`;
  const reason = build.error ? build.error.message
    : /cannot find -l\s*(\S+)|-l(\S+): No such file/.exec(output) ? 'no BLAS library to link'
    : /not found: (make|g\+\+|c\+\+)|No such file or directory.*(make|g\+\+)|Could not find any Python/i.test(output)
      ? 'no C++ toolchain' : `node-gyp exited with ${build.status}`;
  done(false, reason);
}

// A library found at link time can still be missing at run time (LD_LIBRARY_PATH, rpath).
const probe = spawnSync(process.execPath, ['-e',
  `const a = require(${JSON.stringify(addon)}); const i = a.info();` +
  'console.log(`${i.blas}${i.core ? ` ${i.core}` : ""}`)'], { encoding: 'utf8' });
if (probe.status !== 0) done(false, `built, but it does not load: ${(probe.stderr || '').trim().split('\n')[0]}`);
done(true, `${probe.stdout.trim()}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
