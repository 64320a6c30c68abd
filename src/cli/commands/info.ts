/**
 * `gradflow info`: what this installation runs on — gradflow and Node versions, the backends
 * (which are available, which runs, the BLAS library, its kernel and thread settings), wasm SIMD,
 * the environment variables that steer them (reported, never changed), the datasets found and
 * the cache directory. `--json` for machines.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend, getBackendInfo, listBackends } from '../../backend/registry.js';
import { defaultCacheDir, resolveSource } from '../../data/sources.js';
import { backendInfo, getNumThreads, nativeLoadError } from '../../node.js';
import { DATASET_NAMES, DATASETS } from '../data.js';
import { println, type CliIO } from '../io.js';

let version: string | undefined;

/** This package's version (from the package.json above this file, in src/ or dist/src/). */
export function gradflowVersion(): string {
  if (version === undefined) {
    version = 'unknown';
    for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'gradflow') { version = pkg.version ?? 'unknown'; break; }
      } catch { /* keep looking upward */ }
      if (dirname(dir) === dir) break;
    }
  }
  return version;
}

/** Variables that steer the kernels: the BLAS's own and gradflow's. */
export function steeringEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const names = Object.keys(env).filter((k) => /^(GRADFLOW_|OPENBLAS_|GOTO_NUM_THREADS$|OMP_NUM_THREADS$|VECLIB_MAXIMUM_THREADS$|BLIS_NUM_THREADS$)/.test(k)).sort();
  return Object.fromEntries(names.filter((k) => env[k] !== undefined).map((k) => [k, env[k]!]));
}

/** The versions and the active backend, for run.json. */
export async function environmentSummary(): Promise<Record<string, unknown>> {
  const active = backendInfo();
  return {
    gradflow: gradflowVersion(), node: process.version, platform: `${process.platform} ${process.arch}`,
    backend: active, threads: getNumThreads(),
  };
}

export interface InfoReport {
  gradflow: string;
  node: string;
  platform: string;
  cpus: number;
  backend: string;
  threads: number;
  threadsSettable: boolean;
  backends: Record<string, Record<string, string | number | boolean>>;
  wasmSimd: boolean;
  env: Record<string, string>;
  data: Record<string, { found: boolean; dir?: string; source?: string; problem?: string }>;
  cacheDir: string;
}

export async function collectInfo(io: CliIO): Promise<InfoReport> {
  const backends: InfoReport['backends'] = {};
  for (const name of listBackends()) {
    const info = { ...backendInfo(name) } as Record<string, string | number | boolean>;
    if (!info.available && name === 'native') info.reason = nativeLoadError() ?? 'not installed';
    backends[name] = info;
  }
  if (!('native' in backends)) backends.native = { name: 'native', available: false, reason: nativeLoadError() ?? 'the addon is not built (npm run build:native)' };
  const active = getBackend();
  const data: InfoReport['data'] = {};
  for (const name of DATASET_NAMES) {
    try {
      const source = await resolveSource(DATASETS[name].spec, { download: false, onProgress: false, env: io.env });
      data[name] = { found: true, dir: source.dir, source: source.kind };
    } catch (e) {
      const tried = (e as { tried?: readonly string[] }).tried;
      data[name] = { found: false, problem: tried ? `tried ${tried.filter((t) => !t.startsWith('download:')).join('; ')}` : (e as Error).message.split('\n')[0] };
    }
  }
  return {
    gradflow: gradflowVersion(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: availableParallelism(),
    backend: active,
    threads: getNumThreads(),
    threadsSettable: backends[active]?.threadsSettable === true || typeof (getBackendInfo(active) as { setNumThreads?: unknown } | undefined)?.setNumThreads === 'function',
    backends,
    wasmSimd: backends.wasm?.simd === true,
    env: steeringEnv(io.env),
    data,
    cacheDir: dirname(await defaultCacheDir('fashion-mnist', io.env)),
  };
}

const DETAIL_SKIP = new Set(['name', 'available', 'backend']);

export async function infoCommand(options: { json?: boolean }, io: CliIO): Promise<void> {
  const r = await collectInfo(io);
  if (options.json) {
    println(io.stdout, JSON.stringify(r, null, 2));
    return;
  }
  const row = (k: string, v: string): void => println(io.stdout, `${k.padEnd(14)}${v}`);
  row('gradflow', r.gradflow);
  row('node', `${r.node} (${r.platform}), ${r.cpus} CPU${r.cpus === 1 ? '' : 's'}`);
  row('backend', `${r.backend} (runs now; --backend or GRADFLOW_NATIVE=0 choose another)`);
  row('threads', `${r.threads} (${r.threadsSettable ? 'settable with --threads' : 'fixed for this backend'})`);
  row('wasm SIMD', r.wasmSimd ? 'yes' : 'no');
  println(io.stdout, 'backends');
  for (const [name, info] of Object.entries(r.backends)) {
    const details = Object.entries(info).filter(([k]) => !DETAIL_SKIP.has(k)).map(([k, v]) => `${k}: ${v}`);
    println(io.stdout, `  ${name.padEnd(12)}${info.available ? 'available' : 'not available'}${name === r.backend ? ' (active)' : ''}`);
    for (const d of details) println(io.stdout, `  ${''.padEnd(12)}  ${d}`);
  }
  const env = Object.entries(r.env);
  row('environment', env.length === 0 ? 'no OPENBLAS_*, *_NUM_THREADS or GRADFLOW_* variables set' : env.map(([k, v]) => `${k}=${v}`).join(', '));
  println(io.stdout, 'data');
  for (const [name, d] of Object.entries(r.data)) {
    println(io.stdout, `  ${name.padEnd(14)}${d.found ? `found: ${d.dir} (${d.source})` : `not found (${d.problem})`}`);
  }
  row('cache', r.cacheDir);
}
