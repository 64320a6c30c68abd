/**
 * Training benchmark (issues 3 and 7): one epoch of 60,000 synthetic 28×28 float32 images
 * (labels 0…9) through the book MLP Flatten → Dense(300, relu) → Dense(100, relu) →
 * Dense(10, softmax), sparse categorical cross-entropy, plain SGD (lr 0.01), at batch 32 and
 * 256, with and without BatchNormalization after each hidden Dense (Keras placement after the
 * activation: Dense(relu) → BN). Seconds per epoch for gradflow on each available backend,
 * TensorFlow.js (cpu, wasm) and PyTorch (when a python3 with torch exists).
 *
 * Each system runs in its own child process (`--worker`), so that peak RSS belongs to one
 * system and JIT / heap state does not leak from one into the next. Per configuration a fresh
 * model trains a few warm-up batches (a separate fit call), then one timed epoch; the time is
 * onEpochBegin → onEpochEnd (the per-epoch shuffle and batch gathering are inside, fit's input
 * checks are outside). Slow systems train on a subset of the samples and the epoch time is
 * extrapolated by samples (the per-step cost does not depend on the data set size).
 *
 * Run one system by hand, e.g. to profile it (tsx runs a loader thread: pick the profile with
 * the most samples):
 *   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/train.ts --worker \
 *     '{"system":"gradflow","backend":"wasm","configs":[{"batch":32,"bn":false}],"samples":60000,"warmupSteps":5,"epochs":1}'
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Callback as GfCallback } from '../src/node.js';

export const SAMPLES = 60_000;
export const IMAGE = 28 * 28;

export interface TrainConfig { readonly batch: number; readonly bn: boolean }

export interface WorkerJob {
  system: 'gradflow' | 'tfjs' | 'pytorch' | 'c';
  backend: string;
  configs: TrainConfig[];
  /** Samples in each timed epoch: SAMPLES for a full epoch, fewer to extrapolate. */
  samples: number;
  warmupSteps: number;
  epochs: number;
  /** gradflow: gf.setNumThreads; PyTorch: torch.set_num_threads (and OMP_NUM_THREADS). */
  threads?: number;
  /** PyTorch only: the BLAS's threads (OPENBLAS_NUM_THREADS); default `threads`. */
  blasThreads?: number;
}

export interface ConfigResult extends TrainConfig {
  samples: number;
  /** Steps in one timed epoch. */
  steps: number;
  warmupSteps: number;
  /** Seconds of each timed epoch (onEpochBegin → onEpochEnd). */
  epochSeconds: number[];
  /** process RSS (MiB) sampled after each timed epoch. */
  rssMB: number[];
}

export interface WorkerResult {
  system: string;
  backend: string;
  info: string;
  /** RSS after the data set is made, before any model exists. */
  baselineRssMB: number;
  /** The kernel's peak RSS of the worker process (getrusage maxrss). */
  maxRssMB: number;
  results: ConfigResult[];
}

export interface Data { readonly x: Float32Array; readonly y: Int32Array }

/** A model of one configuration, ready to train on the first `samples` samples. */
export interface Trainer {
  /** Trains `epochs` epochs; returns the seconds of each and calls `afterEpoch` after each. */
  fit(samples: number, epochs: number, afterEpoch: () => void): Promise<number[]>;
  dispose?(): void;
}

export interface Framework {
  info: string;
  trainer(data: Data, config: TrainConfig): Promise<Trainer>;
}

const MB = 2 ** 20;
export const rssMB = () => process.memoryUsage().rss / MB;

/** Uniform [0, 1) pixels and uniform labels from a fixed xorshift32 stream (fast, reproducible). */
export function syntheticData(n = SAMPLES, seed = 42): Data {
  const x = new Float32Array(n * IMAGE);
  const y = new Int32Array(n);
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 4294967296; };
  for (let i = 0; i < x.length; i++) x[i] = next();
  for (let i = 0; i < n; i++) y[i] = Math.floor(next() * 10);
  return { x, y };
}

// ---------------------------------------------------------------- gradflow

async function gradflow(job: WorkerJob): Promise<Framework> {
  const gf = await import('../src/node.js');
  gf.setBackend(job.backend);
  const setThreads = (gf as unknown as { setNumThreads?: (n: number) => void }).setNumThreads;
  if (job.threads !== undefined) {
    if (!setThreads) throw new Error('gradflow has no setNumThreads');
    setThreads(job.threads);
  }
  gf.setSeed(42);

  class EpochTimer extends gf.Callback {
    seconds: number[] = [];
    private t0 = 0;
    constructor(private readonly afterEpoch: () => void) { super(); }
    override onEpochBegin(): void { this.t0 = performance.now(); }
    override onEpochEnd(): void {
      this.seconds.push((performance.now() - this.t0) / 1000);
      this.afterEpoch();
    }
  }

  return {
    info: `gradflow backend '${gf.getBackend()}'${job.threads ? `, ${job.threads} threads` : ', 1 thread'}`,
    async trainer(data, { batch, bn }) {
      const hidden = (units: number) => [
        new gf.layers.Dense(units, { activation: 'relu' }),
        ...(bn ? [new gf.layers.BatchNormalization()] : []),
      ];
      const model = new gf.Sequential([
        new gf.layers.Flatten({ inputShape: [28, 28] }),
        ...hidden(300),
        ...hidden(100),
        new gf.layers.Dense(10, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
      return {
        async fit(samples, epochs, afterEpoch) {
          // Views of the data set, no copies.
          const x = new gf.Tensor(data.x.subarray(0, samples * IMAGE), [samples, 28, 28]);
          const y = new gf.Tensor(data.y.subarray(0, samples), [samples], 'int32');
          const timer: GfCallback & { seconds: number[] } = new EpochTimer(afterEpoch);
          await model.fit(x, y, { batchSize: batch, epochs, verbose: 0, callbacks: [timer] });
          return timer.seconds;
        },
      };
    },
  };
}

// ---------------------------------------------------------------- worker

async function runWorker(job: WorkerJob): Promise<WorkerResult> {
  const framework = job.system === 'gradflow'
    ? await gradflow(job)
    : await (await import('./tfjs-train.js')).tfjs(job.backend);
  const data = syntheticData();
  const baselineRssMB = rssMB();
  const results: ConfigResult[] = [];
  for (const config of job.configs) {
    const trainer = await framework.trainer(data, config);
    await trainer.fit(Math.min(SAMPLES, job.warmupSteps * config.batch), 1, () => {});
    const rss: number[] = [];
    const epochSeconds = await trainer.fit(job.samples, job.epochs, () => rss.push(rssMB()));
    trainer.dispose?.();
    const steps = Math.ceil(job.samples / config.batch);
    const mean = epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length;
    process.stderr.write(`  ${job.system} ${job.backend} batch ${config.batch}${config.bn ? ' + BN' : ''}: ` +
      `${epochSeconds.map((s) => s.toFixed(2)).join(', ')} s for ${job.samples} samples (${(steps / mean).toFixed(0)} steps/s), ` +
      `RSS ${rss.map((r) => r.toFixed(0)).join(', ')} MiB\n`);
    results.push({ ...config, samples: job.samples, steps, warmupSteps: job.warmupSteps, epochSeconds, rssMB: rss });
  }
  return {
    system: job.system, backend: job.backend, info: framework.info, baselineRssMB,
    maxRssMB: process.resourceUsage().maxRSS / 1024, results,
  };
}

const THIS_FILE = fileURLToPath(import.meta.url);
const RESULT = 'RESULT ';

if (process.argv[1] === THIS_FILE && process.argv[2] === '--worker') {
  // No top-level await: tfjs-train.ts imports this module, and a dynamic import that waits on a
  // module still in its top-level await never settles.
  runWorker(JSON.parse(process.argv[3]) as WorkerJob).then(
    (result) => process.stdout.write(`${RESULT}${JSON.stringify(result)}\n`),
    (e: unknown) => { console.error(e); process.exitCode = 1; },
  );
}

/** Runs a worker (node or python) and returns its RESULT line, or throws with its last words. */
/**
 * Runs a child to its end and resolves with its stdout; its stderr goes to `log` line by line.
 * A non-zero exit rejects with the last lines it wrote.
 */
function runChild(command: string, args: string[], log: (line: string) => void, env?: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    let out = '', err = '', lastErr = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      const lines = err.split('\n');
      err = lines.pop()!;
      for (const l of lines) { log(l); lastErr = l; }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (err) { log(err); lastErr = err; }
      if (code === 0) resolve(out);
      else reject(new Error(`exit ${code}: ${(lastErr || out).trim().split('\n').slice(-3).join(' / ') || 'no output'}`));
    });
  });
}

/** A worker process (bench/train.ts --worker, torch-train.py): its 'RESULT {json}' line. */
async function spawnWorker(command: string, args: string[], log: (line: string) => void, env?: Record<string, string>): Promise<WorkerResult> {
  const out = await runChild(command, args, log, env);
  const line = out.split('\n').find((l) => l.startsWith(RESULT));
  if (!line) throw new Error(`no ${RESULT.trim()} line: ${out.trim().split('\n').slice(-3).join(' / ') || 'no output'}`);
  return JSON.parse(line.slice(RESULT.length)) as WorkerResult;
}

// ---------------------------------------------------------------- PyTorch

/** Rounds (one timed epoch each, median reported) for the systems whose epochs take about a second. */
const FAST_ROUNDS = 5;

/** One row's results over rounds: epochs and RSS samples appended, per configuration. */
function mergeRounds(a: WorkerResult, b: WorkerResult): WorkerResult {
  return {
    ...a,
    maxRssMB: Math.max(a.maxRssMB, b.maxRssMB),
    results: a.results.map((r) => {
      const more = b.results.find((x) => x.batch === r.batch && x.bn === r.bn);
      return more ? { ...r, epochSeconds: [...r.epochSeconds, ...more.epochSeconds], rssMB: [...r.rssMB, ...more.rssMB] } : r;
    }),
  };
}

/** Every thread-count variable a BLAS or OpenMP runtime reads, set to `n`. */
const threadEnv = (n: number): Record<string, string> =>
  Object.fromEntries(['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'].map((k) => [k, String(n)]));

/** PyTorch's OpenMP pool at `threads`, its BLAS's at `blasThreads`. */
const torchThreadEnv = (job: WorkerJob): Record<string, string> => {
  const threads = job.threads ?? 1, blas = job.blasThreads ?? threads;
  return { ...threadEnv(threads), OPENBLAS_NUM_THREADS: String(blas), MKL_NUM_THREADS: String(blas) };
};

const TORCH_SCRIPT = fileURLToPath(new URL('./torch-train.py', import.meta.url));

/** A python with torch: $BENCH_PYTHON, python3 on PATH, or Debian's (where `python3-torch` installs). */
function findTorchPython(): { python: string; version: string } | { tried: string[] } {
  const candidates = [...new Set([process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c))];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return { tried: candidates };
}

// ---------------------------------------------------------------- the floor: a C loop over the BLAS

const C_FLOOR_SOURCE = fileURLToPath(new URL('./c-floor.c', import.meta.url));
let cFloorCompiler = 'cc';

/**
 * Compiles bench/c-floor.c against the BLAS the addon links (scripts/native-blas.mjs), into the
 * temp directory; an error names what is missing (no compiler, no BLAS).
 */
function buildCFloor(): string {
  const dir = join(tmpdir(), 'gradflow-bench');
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, 'c-floor');
  const blas = execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/native-blas.mjs', import.meta.url))], { encoding: 'utf8' })
    .trim().split(/\s+/).filter(Boolean);
  const compiler = ['cc', 'gcc', 'clang'].find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
  if (!compiler) throw new Error('no C compiler (cc, gcc or clang)');
  cFloorCompiler = compiler;
  // -march=native: the floor is the best this machine does, element-wise loops included
  const r = spawnSync(compiler, ['-O3', '-march=native', '-std=c11', '-D_POSIX_C_SOURCE=199309L', C_FLOOR_SOURCE, '-o', exe, ...blas, '-lm'], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(exe)) throw new Error(`${compiler} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' / ')}`);
  return exe;
}

/** The C loop on every configuration without BN, as a WorkerResult (BN cells stay empty). */
async function runCFloor(exe: string, job: WorkerJob, log: (line: string) => void): Promise<WorkerResult> {
  const threads = job.threads ?? 1;
  const results: ConfigResult[] = [];
  let maxRssMB = 0;
  for (const cfg of job.configs.filter((c) => !c.bn)) {
    const out = await runChild(exe, [cfg.batch, job.samples, job.warmupSteps, job.epochs].map(String), log, threadEnv(threads));
    const epochSeconds = (/^EPOCHS (.*)$/m.exec(out)?.[1] ?? '').split(' ').filter(Boolean).map(Number);
    const rss = Number(/^MAXRSS (.*)$/m.exec(out)?.[1] ?? NaN);
    if (epochSeconds.length !== job.epochs || epochSeconds.some((x) => !Number.isFinite(x))) {
      throw new Error(`c-floor printed no timings for batch ${cfg.batch}: ${out.trim().slice(0, 200)}`);
    }
    maxRssMB = Math.max(maxRssMB, rss);
    log(`  C loop batch ${cfg.batch}: ${epochSeconds.map((s) => s.toFixed(2)).join(', ')} s for ${job.samples} samples`);
    results.push({ ...cfg, samples: job.samples, steps: Math.ceil(job.samples / cfg.batch), warmupSteps: job.warmupSteps,
      epochSeconds, rssMB: epochSeconds.map(() => rss) });
  }
  return { system: 'c', backend: 'cblas', info: `bench/c-floor.c (${cFloorCompiler} -O3 -march=native) over the addon's BLAS, OPENBLAS_NUM_THREADS=${threads}`,
    baselineRssMB: 0, maxRssMB, results };
}

// ---------------------------------------------------------------- the section

const CONFIGS: TrainConfig[] = [
  { batch: 32, bn: false }, { batch: 32, bn: true }, { batch: 256, bn: false }, { batch: 256, bn: true },
];
/** Samples per timed epoch for the slow systems (≈ 100–150 s for a full epoch on a 2-core VM). */
const SUBSET = 3072;
const QUICK_SUBSET = 1024;
const SLOW = new Set(['gradflow js', 'tfjs cpu']);
/** Epochs of the steady-state memory run (issue 7: flat RSS over 20 epochs), by backend. */
const RSS_EPOCHS: Record<string, number> = { native: 20, wasm: 3 };
const rssEpochs = (backend: string): number => RSS_EPOCHS[backend] ?? 3;

interface Row {
  label: string;
  job: WorkerJob;
  /** Fast systems: one timed epoch per round in a fresh process, rounds interleaved with the other fast rows. */
  rounds?: number;
  result?: WorkerResult;
  error?: string;
}

export interface TrainOptions {
  /** Run every system on full epochs (slow: ~10 minutes more). */
  full?: boolean;
  /** Smoke test: every system on a small subset (seconds; the numbers mean little). */
  quick?: boolean;
}

export async function benchTrain(log: (line: string) => void = () => {}, options: TrainOptions = {}): Promise<string> {
  const gf = await import('../src/node.js');
  const start = gf.getBackend();
  // The default backend first, then the others in registration order.
  const backends = [start, ...gf.listBackends().filter((b) => b !== start)].filter((b) => {
    try { gf.setBackend(b); return true; } catch { return false; }
  });
  gf.setBackend(start);
  // a backend has threads when setNumThreads(2) actually gives it 2 (native's BLAS today;
  // wasm's worker pool is still to come, so no fake '2 threads' row for it)
  const threadsOf = (backend: string): boolean => {
    const api = gf as unknown as { setNumThreads?: (n: number) => void; getNumThreads?: () => number };
    if (!api.setNumThreads || !api.getNumThreads) return false;
    gf.setBackend(backend);
    api.setNumThreads(2);
    const ok = api.getNumThreads() === 2;
    api.setNumThreads(1);
    gf.setBackend(start);
    return ok;
  };

  const job = (system: WorkerJob['system'], backend: string, extra: Partial<WorkerJob> = {}): WorkerJob => {
    const slow = SLOW.has(`${system} ${backend}`) && !options.full;
    const samples = options.quick ? QUICK_SUBSET : slow ? SUBSET : SAMPLES;
    return { system, backend, configs: CONFIGS, samples, warmupSteps: samples < SAMPLES ? 2 : 5, epochs: 1, ...extra };
  };
  const rows: Row[] = [];
  for (const b of backends) {
    // native's epochs take about a second: the median of a few is worth the time on a noisy VM
    const rounds = b === 'native' && !options.quick ? FAST_ROUNDS : undefined;
    rows.push({ label: `gradflow ${b}`, job: job('gradflow', b), rounds });
    if (threadsOf(b)) rows.push({ label: `gradflow ${b}, 2 threads`, job: job('gradflow', b, { threads: 2 }), rounds });
  }
  rows.push({ label: 'tfjs wasm', job: job('tfjs', 'wasm') }, { label: 'tfjs cpu', job: job('tfjs', 'cpu') });
  const torch = findTorchPython();
  // PyTorch has two thread pools: its own (OpenMP, torch.set_num_threads: element-wise work)
  // and the BLAS's under Debian's build (OpenBLAS through the generic libblas.so.3, set only by
  // OPENBLAS_NUM_THREADS; left alone it uses every core, so a '1 thread' row would not be one).
  // The 2-thread row gives the GEMMs, where the work is, both threads and keeps PyTorch's pool
  // at one: with both pools at 2 they spin against each other on 2 cores (measured: 6.1–6.8 s
  // per epoch at batch 32 against 1.3–1.7 s), which would flatter every other row.
  const rounds = options.quick ? undefined : FAST_ROUNDS;
  rows.push({ label: 'PyTorch', job: job('pytorch', 'cpu', { threads: 1, blasThreads: 1 }), rounds });
  rows.push({ label: 'PyTorch, 2 threads', job: job('pytorch', 'cpu', { threads: 1, blasThreads: 2 }), rounds });
  // the floor: no framework, the same BLAS (its own threads for the 2-thread row)
  let cFloor: string | Error;
  try { cFloor = buildCFloor(); } catch (e) { cFloor = e as Error; }
  rows.push({ label: 'C loop + BLAS (floor)', job: job('c', 'cblas', { threads: 1 }), rounds });
  rows.push({ label: 'C loop + BLAS (floor), 2 threads', job: job('c', 'cblas', { threads: 2 }), rounds });

  const node = (j: WorkerJob) => spawnWorker(process.execPath, ['--import', 'tsx', THIS_FILE, '--worker', JSON.stringify(j)], log);
  const skipReason = (row: Row): string | null =>
    row.job.system === 'pytorch' && 'tried' in torch
      ? `skipped: no python with torch (tried ${torch.tried.join(', ')}; on Debian: \`apt-get install python3-torch\`, or set BENCH_PYTHON)`
      : row.job.system === 'c' && cFloor instanceof Error ? `skipped: bench/c-floor.c not built (${cFloor.message})` : null;
  const runOnce = (row: Row, j: WorkerJob): Promise<WorkerResult> =>
    j.system === 'c' ? runCFloor(cFloor as string, j, log)
      : j.system === 'pytorch' && 'python' in torch ? spawnWorker(torch.python, [TORCH_SCRIPT, JSON.stringify(j)], log, torchThreadEnv(j))
      : node(j);
  for (const row of rows) {
    const skip = skipReason(row);
    if (skip) {
      row.error = skip;
      log(`${row.label}: ${row.error}`);
    }
  }
  // the slow systems once each, in order
  for (const row of rows.filter((r) => !r.error && !r.rounds)) {
    log(`${row.label}: ${row.job.samples === SAMPLES ? 'full epochs' : `${row.job.samples} samples per timed epoch`}`);
    try {
      row.result = await runOnce(row, row.job);
    } catch (e) {
      row.error = `failed: ${(e as Error).message}`;
      log(`${row.label}: ${row.error}`);
    }
  }
  // the fast ones (native, PyTorch, the C loop) in interleaved rounds: this VM's speed drifts by
  // 10–30% over minutes, so each system gets one epoch in every stretch of time
  const fast = rows.filter((r) => !r.error && r.rounds);
  const roundCount = Math.max(0, ...fast.map((r) => r.rounds!));
  const failedEveryRound = (r: Row) => !r.result && !r.error;
  for (let round = 1; round <= roundCount; round++) {
    for (const row of fast.filter((r) => round <= r.rounds!)) {
      log(`${row.label}: round ${round} of ${row.rounds}`);
      try {
        const r = await runOnce(row, { ...row.job, epochs: 1 });
        row.result = row.result ? mergeRounds(row.result, r) : r;
      } catch (e) {
        // the rounds that ran still count (the cell says how many epochs its median has)
        log(`${row.label}: round ${round} failed: ${(e as Error).message}`);
      }
    }
  }
  for (const row of fast.filter(failedEveryRound)) row.error = 'failed in every round (see the log)';

  // memory in steady state: the default backend (native in Node when built) for 20 epochs, and
  // wasm for a few (its epochs are slower)
  const rssRuns: RssRun[] = [];
  for (const backend of [start, 'wasm'].filter((b, i, all) => backends.includes(b) && all.indexOf(b) === i)) {
    const epochs = options.quick ? 2 : rssEpochs(backend);
    log(`gradflow ${backend}, batch 32, ${epochs} epochs in a fresh process (RSS after each)`);
    try {
      rssRuns.push({ backend, epochs, result: await node({ ...job('gradflow', backend), configs: [CONFIGS[0]], epochs }) });
    } catch (e) {
      rssRuns.push({ backend, epochs, result: `failed: ${(e as Error).message}` });
    }
  }
  return report(rows, rssRuns, { wasmThreads: rows.some((r) => r.label === 'gradflow wasm, 2 threads'), defaultBackend: start });
}

interface RssRun { backend: string; epochs: number; result: WorkerResult | string }

// ---------------------------------------------------------------- the report

/** A markdown table; columns whose name ends in ':' (dropped from the header) are right-aligned. */
const table = (columns: string[], rows: string[][]) => {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const header = columns.map((c) => c.replace(/:$/, ''));
  return [line(header), line(columns.map((c) => (c.endsWith(':') ? '---:' : '---'))), ...rows.map(line)].join('\n');
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const configName = (c: TrainConfig) => `batch ${c.batch}${c.bn ? ' + BN' : ''}`;

/** Seconds per full epoch (extrapolated by samples for a subset) and steps per second. */
function perEpoch(r: ConfigResult): { seconds: number; stepsPerSecond: number; extrapolated: boolean } {
  const s = median(r.epochSeconds);
  return { seconds: (s * SAMPLES) / r.samples, stepsPerSecond: r.steps / s, extrapolated: r.samples !== SAMPLES };
}

function find(rows: Row[], label: string, batch: number, bn: boolean) {
  const r = rows.find((x) => x.label === label)?.result?.results.find((c) => c.batch === batch && c.bn === bn);
  return r ? perEpoch(r) : null;
}

const fmt = (s: number) => (s >= 10 ? s.toFixed(1) : s.toFixed(2));
/** Seconds per epoch, marked ≈ when extrapolated from a subset. */
const secs = (p: { seconds: number; extrapolated: boolean }) => `${p.extrapolated ? '≈ ' : ''}${fmt(p.seconds)} s`;
const rate = (r: number) => (r >= 10 ? r.toFixed(0) : r.toFixed(1));

function report(rows: Row[], rssRuns: RssRun[], { wasmThreads, defaultBackend }: { wasmThreads: boolean; defaultBackend: string }): string {
  const main = table(
    ['system', ...CONFIGS.map((c) => `${configName(c)}:`), 'peak RSS (sampled / kernel):', 'timed epoch'],
    rows.map((row) => {
      if (!row.result) return [row.label, ...CONFIGS.map(() => '—'), '—', row.error ?? '—'];
      const cells = CONFIGS.map((c) => {
        const r = row.result!.results.find((x) => x.batch === c.batch && x.bn === c.bn);
        if (!r) return '—';
        const p = perEpoch(r);
        return `${secs(p)} (${rate(p.stepsPerSecond)} steps/s)`;
      });
      const sampled = Math.max(...row.result.results.flatMap((r) => r.rssMB));
      const how = row.job.samples === SAMPLES
        ? (row.rounds ? `median of ${row.result.results[0]?.epochSeconds.length ?? 0} full epochs, one per round (interleaved)` : 'full epoch')
        : `**extrapolated** from ${row.job.samples.toLocaleString('en-US')} samples (${CONFIGS.map((c) => Math.ceil(row.job.samples / c.batch)).filter((v, i, a) => a.indexOf(v) === i).join(' / ')} steps) × ${(SAMPLES / row.job.samples).toFixed(1)}`;
      return [row.label, ...cells, `${sampled.toFixed(0)} / ${row.result.maxRssMB.toFixed(0)} MiB`, how];
    }),
  );

  const gfWasm = (b: number, bn = false) => find(rows, 'gradflow wasm', b, bn);
  const tfWasm = (b: number) => find(rows, 'tfjs wasm', b, false);
  const torch = (label: string, b: number) => find(rows, label, b, false);
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? '**met**' : '**not met**');
  const targets: string[][] = [];
  // issue 3's 1.5 s is for the default backend in Node (native when its addon is built)
  if (defaultBackend !== 'wasm') {
    const d32 = find(rows, `gradflow ${defaultBackend}`, 32, false);
    targets.push(['3', `gradflow (${defaultBackend}, the default in Node) batch 32, no BN`, '≤ 1.5 s/epoch', d32 ? secs(d32) : '—', verdict(d32 ? d32.seconds <= 1.5 : null)]);
  }
  const g32 = gfWasm(32);
  targets.push(['3', 'gradflow (wasm) batch 32, no BN', '≤ 1.5 s/epoch', g32 ? secs(g32) : '—', verdict(g32 ? g32.seconds <= 1.5 : null)]);
  const t32 = tfWasm(32);
  const speedup = g32 && t32 ? t32.seconds / g32.seconds : null;
  targets.push(['3', 'gradflow (wasm) vs tfjs-wasm, batch 32, no BN', '≥ 10× faster',
    speedup ? `${speedup.toFixed(1)}× (${secs(t32!)} vs ${secs(g32!)})` : '—', verdict(speedup ? speedup >= 10 : null)]);
  for (const [b, limit] of [[32, 1.3], [256, 1.2]] as const) {
    const g = gfWasm(b);
    targets.push(['7', `wasm, 1 thread, batch ${b}, no BN`, `≤ ${limit} s/epoch`, g ? secs(g) : '—', verdict(g ? g.seconds <= limit : null)]);
  }
  for (const [b, limit] of [[32, 0.9], [256, 0.7]] as const) {
    const g = find(rows, 'gradflow wasm, 2 threads', b, false);
    const t = tfWasm(b);
    targets.push(['7', `wasm, 2 threads, batch ${b}, no BN`, `≤ ${limit} s/epoch and ≥ 15× tfjs-wasm`,
      g ? `${secs(g)}${t ? `, ${(t.seconds / g.seconds).toFixed(1)}×` : ''}` : wasmThreads ? '—' : 'wasm has no threads yet',
      verdict(g ? g.seconds <= limit && (!t || t.seconds / g.seconds >= 15) : null)]);
  }
  for (const threads of [1, 2]) {
    const suffix = threads === 1 ? '' : `, ${threads} threads`;
    for (const b of [32, 256]) {
      const n = find(rows, `gradflow native${suffix}`, b, false), t = torch(`PyTorch${suffix}`, b);
      targets.push(['7', `native backend vs PyTorch (${threads} thread${threads > 1 ? 's' : ''} each), batch ${b}, no BN`, '≤ 0.8× PyTorch',
        n && t ? `${(n.seconds / t.seconds).toFixed(2)}× (${secs(n)} vs ${secs(t)})` : `${n ? '' : 'no native backend'}${!n && !t ? '; ' : ''}${t ? '' : 'no PyTorch'}`,
        verdict(n && t ? n.seconds <= 0.8 * t.seconds : null)]);
      // what any framework over this BLAS can reach: the C loop's time against PyTorch's
      const c = find(rows, `C loop + BLAS (floor)${suffix}`, b, false);
      if (c && t) {
        targets.push(['7', `(context) C loop + BLAS, no framework, vs PyTorch (${threads} thread${threads > 1 ? 's' : ''}), batch ${b}`, 'the floor of the ratio above',
          `${(c.seconds / t.seconds).toFixed(2)}× (${secs(c)} vs ${secs(t)})${n ? `; native is ${(n.seconds / c.seconds).toFixed(2)}× the C loop` : ''}`, 'context']);
      }
    }
  }
  for (const row of rows.filter((r) => r.label.startsWith('gradflow') && r.result)) {
    for (const b of [32, 256]) {
      const plain = find(rows, row.label, b, false), withBn = find(rows, row.label, b, true);
      if (!plain || !withBn) continue;
      const slower = withBn.seconds / plain.seconds - 1;
      targets.push(['7', `${row.label}: BN cost at batch ${b}${plain.extrapolated ? ' (extrapolated)' : ''}`, '≤ 25% slower than without BN',
        `${slower >= 0 ? '+' : ''}${(slower * 100).toFixed(0)}% (${secs(withBn)} vs ${secs(plain)})`, verdict(slower <= 0.25)]);
    }
  }
  const memory = rssRuns.map((run) => ({ run, rss: rssSection(run.result) }));
  for (const { run, rss } of memory) {
    const status = rss.flat === null ? 'not measured' : !rss.flat ? '**not met**' : run.epochs >= 20 ? '**met**' : `flat over ${run.epochs} epochs (20 not run)`;
    targets.push(['7', `steady-state memory (gradflow ${run.backend}, batch 32)`, 'flat RSS over 20 epochs', rss.summary, status]);
  }

  const infos = rows.filter((r) => r.result).map((r) => `- ${r.label}: ${r.result!.info}`);
  return [
    `Same protocol for every system: one epoch of ${SAMPLES.toLocaleString('en-US')} synthetic 28×28 float32 images ` +
      '(uniform [0, 1) pixels, uniform labels 0…9) through Flatten → Dense(300, relu) → Dense(100, relu) → Dense(10, softmax), ' +
      'sparse categorical cross-entropy, plain SGD (learning rate 0.01), shuffled each epoch; “+ BN” puts a BatchNormalization ' +
      '(momentum 0.99, ε 1e-3) after each hidden Dense’s activation. Each system runs in its own process; per configuration a ' +
      'fresh model trains a few warm-up batches, then one timed epoch, timed from onEpochBegin to onEpochEnd of the framework’s own ' +
      'fit (batchSize, epochs 1, verbose 0) — shuffling and batch gathering are inside, fit’s input checks are outside. ' +
      `The fast systems (gradflow native, PyTorch, the C loop) run ${FAST_ROUNDS} rounds: in each round every one of them ` +
      'runs once, in a fresh process (the C loop: one per configuration), one timed epoch per configuration, in a fixed order ' +
      '(this VM’s speed drifts by 10–30% over minutes); their cells are the median epoch. ' +
      'Lower is better. Cells marked ≈ are **extrapolated**: that system trained on a subset of the samples and its time is ' +
      'scaled to 60,000 samples (its steps/s are measured). Peak RSS: the largest RSS sampled after an epoch / the kernel’s ' +
      'peak for the worker process (both include the 188 MB data set and, for tfjs, its copy in tensors).',
    '',
    main,
    '',
    ...infos,
    '',
    'The training step (issue 7): Dense is one fused primitive (one kernel each way: GEMM + bias + relu; relu mask + bias ' +
      'gradient + both GEMMs), BatchNormalization in training mode another (statistics in float64, backward in two ' +
      'reductions; C on native, WebAssembly SIMD on wasm), the backward pass reuses its arrays from step to step (a ' +
      'per-model buffer pool released after the optimizer step), and SGD and Adam update in place (C on native, WebAssembly ' +
      'SIMD on wasm; SGD on float32 weights in float32 arithmetic, as Keras and PyTorch). On 2 threads, native splits large ' +
      'products (and the optimizer steps) over its own pool with a single-threaded BLAS; wasm over its worker pool. See ' +
      'docs/native-backend.md (“The training step after issue 7”, “Threads”, “Against the floor”) for the per-step breakdown ' +
      'and A/B measurements.',
    '',
    'Thread settings: gradflow rows use gf.setNumThreads (1 unless the label says 2). PyTorch runs with OPENBLAS_NUM_THREADS ' +
      'set (its BLAS; torch.set_num_threads does not reach the OpenBLAS of Debian’s build) and torch.set_num_threads(1); its ' +
      '2-thread row gives OpenBLAS both threads. The C loop (bench/c-floor.c: the same protocol with no framework, compiled ' +
      'against the addon’s BLAS) uses OpenBLAS’s own threads on its 2-thread row.',
    '',
    '### Targets (issues 3 and 7; this project’s 2-core dev machine)',
    '',
    table(['issue', 'what', 'target', 'measured', 'status'], targets),
    '',
    ...memory.flatMap(({ run, rss }) => [`### Memory: gradflow ${run.backend}, batch 32, ${run.epochs} epochs in a fresh process`, '', rss.text, '']),
  ].join('\n');
}

function rssSection(run: WorkerResult | string): { text: string; summary: string; flat: boolean | null } {
  if (typeof run === 'string') return { text: run, summary: run, flat: null };
  const r = run.results[0];
  const first = r.rssMB[0], last = r.rssMB[r.rssMB.length - 1];
  const growth = last - first;
  // GC timing moves RSS by a few MB; a leak of per-step buffers grows it by far more per epoch.
  const flat = growth <= Math.max(16, 0.03 * first);
  const text = [
    table(['epoch:', 'seconds:', 'RSS after the epoch:'], r.epochSeconds.map((s, i) => [String(i + 1), s.toFixed(2), `${r.rssMB[i].toFixed(0)} MiB`])),
    '',
    `RSS before the first model: ${run.baselineRssMB.toFixed(0)} MiB (data set included); kernel peak ${run.maxRssMB.toFixed(0)} MiB. ` +
      `Epoch ${r.rssMB.length} vs epoch 1: ${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MiB — ${flat ? 'flat' : 'growing'} ` +
      '(flat means ≤ max(16 MiB, 3%)).',
  ].join('\n');
  return { text, summary: `${r.rssMB.map((m) => m.toFixed(0)).join(' → ')} MiB`, flat };
}
