/**
 * A pool of threads over one shared WebAssembly memory: worker_threads in Node, Web Workers in
 * browsers, each instantiating the shared variant of the module on the same memory.
 *
 * A job is a descriptor in wasm memory plus a chunk count. Every thread, the main one included,
 * claims chunks with a compareExchange on one ticket word and runs them (wasm runChunk), so a
 * worker that is slow to wake simply claims fewer chunks: the main thread takes its share and
 * then whatever is left, and waits (spinning) only for chunks already running. It never waits
 * for a worker that has not started, so the event loop is blocked no longer than the work.
 * Idle workers spin for SPIN_US microseconds, then park in Atomics.wait; the main thread
 * notifies only when some are parked.
 *
 * Workers do not keep Node alive (unref), and close() stops and terminates them.
 */
import type { WasmHeap } from './module.js';
import { CTL, CTL_BYTES, MAX_CHUNKS, NODE_WORKER_SOURCE, WEB_WORKER_SOURCE } from './worker-source.js';

/** What the pool needs of a worker_threads Worker or a Web Worker. */
interface WorkerHandle {
  terminate(): unknown;
}

interface NodeWorkerThreads {
  Worker: new (code: string, options: { eval: true; workerData: unknown; execArgv: string[]; name?: string }) => WorkerHandle & {
    unref(): void;
    on(event: 'error', listener: (e: Error) => void): void;
  };
}

interface StartData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: SharedArrayBuffer;
  slot: number;
}

type NodeProcess = { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown };
const nodeProcess = (globalThis as { process?: NodeProcess }).process;
const isNode = typeof nodeProcess?.versions?.node === 'string';

/** worker_threads, synchronously where Node has process.getBuiltinModule (20.16+), else async. */
function nodeWorkerThreads(): NodeWorkerThreads | Promise<NodeWorkerThreads> {
  const sync = nodeProcess?.getBuiltinModule?.('worker_threads') as NodeWorkerThreads | undefined;
  if (sync) return sync;
  const specifier = 'node:worker_threads'; // a variable: browser bundlers leave the import alone
  return import(/* @vite-ignore */ specifier) as Promise<NodeWorkerThreads>;
}

/** How long the main thread spins for running chunks before it sleeps (where it may). */
const MAIN_SPIN_MS = 1;

/** Whether this thread may block in Atomics.wait (not on a browser page's main thread). */
const mainCanWait = ((): boolean => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // 'not-equal' where allowed
    return true;
  } catch {
    return false;
  }
})();

/** Why this engine cannot start pool workers, or null. */
export function workersUnavailableReason(): string | null {
  if (isNode) return null;
  if (typeof Worker !== 'function') return 'this environment has no Web Workers';
  if (typeof Blob !== 'function' || typeof URL?.createObjectURL !== 'function') return 'no Blob URLs to start workers from';
  return null;
}

export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly text: Uint16Array;
  private readonly workers: WorkerHandle[] = [];
  private blobUrl: string | null = null;
  private startError: string | null = null;
  private closed = false;

  /** Starts threads − 1 workers (asynchronously: they join the jobs as they come online). */
  constructor(readonly threads: number, readonly heap: WasmHeap, module: WebAssembly.Module,
    spinMicros: number) {
    const buffer = new SharedArrayBuffer(CTL_BYTES);
    this.ctl = new Int32Array(buffer, 0, CTL.WORDS);
    this.text = new Uint16Array(buffer, CTL.WORDS * 4, CTL.TEXT_CHARS);
    this.setSpinMicros(spinMicros);
    const data = (slot: number): StartData => ({ module, memory: heap.memory, ctl: buffer, slot });
    if (isNode) {
      const start = (wt: NodeWorkerThreads): void => {
        for (let slot = 1; slot < threads && !this.closed; slot++) {
          this.spawn(slot, () => {
            // execArgv []: the worker runs plain JS and needs none of the process's loaders (tsx)
            const worker = new wt.Worker(NODE_WORKER_SOURCE, {
              eval: true, workerData: data(slot), execArgv: [], name: `gradflow-wasm-${slot}`,
            });
            worker.unref(); // an idle pool must not keep the process alive
            worker.on('error', (e) => { this.startError ??= `worker ${slot}: ${e.message}`; });
            return worker;
          });
        }
      };
      const wt = nodeWorkerThreads();
      if (wt instanceof Promise) wt.then(start, (e: Error) => { this.startError = e.message; });
      else start(wt);
    } else {
      this.blobUrl = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
      const url = this.blobUrl;
      for (let slot = 1; slot < threads; slot++) {
        this.spawn(slot, () => {
          const worker = new Worker(url, { name: `gradflow-wasm-${slot}` });
          worker.onerror = (e) => { this.startError ??= `worker ${slot}: ${e.message}`; };
          worker.postMessage(data(slot));
          return worker;
        });
      }
    }
  }

  /**
   * Starts one worker; a failure (e.g. a Content-Security-Policy without worker-src blob:) is
   * recorded for ready() and leaves the pool with fewer threads: kernels still run.
   */
  private spawn(slot: number, start: () => WorkerHandle): void {
    try {
      this.workers.push(start());
    } catch (e) {
      this.startError ??= `worker ${slot}: ${(e as Error).message}`;
    }
  }

  /** Why a worker failed to start, or null. */
  failure(): string | null {
    return this.startError ?? (Atomics.load(this.ctl, CTL.FAILED) > 0 ? this.errorText() : null);
  }

  setSpinMicros(micros: number): void {
    Atomics.store(this.ctl, CTL.SPIN_US, Math.min(2 ** 31 - 1, Math.max(0, Math.round(micros))));
  }

  /**
   * Wakes parked workers ahead of a job, so that waking (tens of microseconds on a VM) overlaps
   * the copy of the job's operands; they spin until the job comes. Free when none is parked.
   */
  wake(): void {
    if (Atomics.load(this.ctl, CTL.PARKED) > 0) Atomics.notify(this.ctl, CTL.SEQ);
  }

  /** Workers serving jobs now. */
  online(): number {
    return Atomics.load(this.ctl, CTL.ONLINE);
  }

  /** Threads that can take chunks now: the main thread plus the online workers. */
  participants(): number {
    return Math.min(this.threads, this.online() + 1);
  }

  /**
   * Resolves when every worker is online; rejects when one failed to start or `timeoutMs`
   * passed. Polls (a worker reports by a shared counter, which works the same everywhere).
   */
  ready(timeoutMs = 30_000): Promise<void> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      const poll = (): void => {
        const failure = this.failure();
        if (failure !== null) {
          reject(new Error(`wasm thread pool: a worker failed to start: ${failure}`));
        } else if (this.online() >= this.threads - 1) {
          resolve();
        } else if (this.closed) {
          reject(new Error('wasm thread pool: closed before its workers started'));
        } else if (Date.now() - t0 > timeoutMs) {
          reject(new Error(`wasm thread pool: ${this.online()} of ${this.threads - 1} workers online after ${timeoutMs} ms`));
        } else {
          setTimeout(poll, 2);
        }
      };
      poll();
    });
  }

  /**
   * Runs chunks 0..chunks−1 of the job descriptor at byte address `job` on all threads and
   * returns when every chunk is done. Synchronous: the main thread works too.
   */
  run(job: number, chunks: number): void {
    if (this.closed) throw new Error('wasm thread pool: used after close()');
    if (!Number.isInteger(chunks) || chunks < 1 || chunks > MAX_CHUNKS) {
      throw new RangeError(`wasm thread pool: chunk count ${chunks} outside 1..${MAX_CHUNKS}`);
    }
    const ctl = this.ctl;
    Atomics.store(ctl, CTL.JOB, job);
    Atomics.store(ctl, CTL.DONE, 0);
    Atomics.store(ctl, CTL.ERROR, 0);
    Atomics.store(ctl, CTL.TICKET, chunks << 16);
    Atomics.add(ctl, CTL.SEQ, 1);
    if (Atomics.load(ctl, CTL.PARKED) > 0) Atomics.notify(ctl, CTL.SEQ);
    const w = this.heap.exports;
    let error: unknown = null;
    for (;;) {
      const t = Atomics.load(ctl, CTL.TICKET);
      const index = t & 0xffff;
      if (index >= t >>> 16) break;
      if (Atomics.compareExchange(ctl, CTL.TICKET, t, t + 1) !== t) continue;
      try {
        w.runChunk(job, index, 0);
      } catch (e) {
        error ??= e;
      }
      Atomics.add(ctl, CTL.CHUNKS, 1);
      Atomics.add(ctl, CTL.DONE, 1);
    }
    // Only chunks that a worker has claimed are left: they are running, so this wait is
    // bounded by the work itself. Spin; past MAIN_SPIN_MS, where this thread may block (Node's
    // main thread, not a browser page's), sleep on DONE instead, so that a worker which shares
    // a busy core with us gets it (the worker finishing the last chunk notifies). Not sooner:
    // being woken costs as much as waking a worker.
    let deadline = 0, spins = 0;
    for (let done; (done = Atomics.load(ctl, CTL.DONE)) < chunks;) {
      if (!mainCanWait || (++spins & 255) !== 0) continue;
      const now = performance.now();
      if (deadline === 0) deadline = now + MAIN_SPIN_MS;
      else if (now > deadline) Atomics.wait(ctl, CTL.DONE, done, 1);
    }
    if (error) throw error;
    const failedSlot = Atomics.load(ctl, CTL.ERROR);
    if (failedSlot !== 0) throw new Error(`wasm thread pool: worker ${failedSlot} failed: ${this.errorText()}`);
  }

  /** Chunks run so far by each slot (0 = main thread). */
  chunksBySlot(): number[] {
    return Array.from({ length: this.threads }, (_, s) => Atomics.load(this.ctl, CTL.CHUNKS + s));
  }

  /** Stops the workers (they leave their loop) and terminates them. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, CTL.STOP, 1);
    Atomics.add(this.ctl, CTL.SEQ, 1);
    Atomics.notify(this.ctl, CTL.SEQ);
    for (const worker of this.workers) void worker.terminate();
    this.workers.length = 0;
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    this.blobUrl = null;
  }

  private errorText(): string {
    const n = this.text[0];
    return String.fromCharCode(...this.text.subarray(1, 1 + n));
  }
}
