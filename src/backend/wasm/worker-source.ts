/**
 * The code of a pool worker, as source text: Node runs it with `new Worker(code, { eval: true })`
 * and browsers from a Blob URL, so no worker file has to be found next to the bundle (nor
 * survive a bundler). It is plain ES2017 on purpose — not a TS function turned into a string,
 * which tsx/esbuild would decorate with helpers that do not exist in the worker.
 *
 * Control block (an Int32Array over a SharedArrayBuffer, word indices in CTL):
 *   SEQ      job sequence number: bumped once per job; parked workers Atomics.wait on it
 *   TICKET   (chunks << 16) | next unclaimed chunk index: a compareExchange claims one chunk.
 *            Holding the chunk count in the same word makes every successful claim a chunk of
 *            the job that is current at that instant, with no generation tag to wrap around.
 *   DONE     chunks finished (the main thread spins on it, then may wait: the last one notifies)
 *   JOB      byte address of the job descriptor in wasm memory (assembly/parallel.ts)
 *   PARKED   workers inside Atomics.wait (the main thread notifies only when > 0)
 *   ONLINE   workers that instantiated the module and serve jobs
 *   FAILED   workers that could not start
 *   STOP     1: leave the loop
 *   ERROR    0, or the slot of the first thread whose chunk threw (its message in the text area)
 *   SPIN_US  how long an idle worker spins before parking, in microseconds
 *   CHUNKS+s chunks run by slot s (statistics for tests and benchmarks)
 * followed by TEXT_CHARS UTF-16 units: [length, ...message] of the first error.
 */

export const MAX_THREADS = 64;

export const CTL = {
  SEQ: 0, TICKET: 1, DONE: 2, JOB: 3, PARKED: 4, ONLINE: 5, FAILED: 6, STOP: 7, ERROR: 8,
  SPIN_US: 9, CHUNKS: 16, WORDS: 16 + MAX_THREADS, TEXT_CHARS: 1024,
} as const;

/** Bytes of the control block's SharedArrayBuffer. */
export const CTL_BYTES = CTL.WORDS * 4 + CTL.TEXT_CHARS * 2;

/** The most chunks a job may have (the ticket keeps the count in 15 bits). */
export const MAX_CHUNKS = 32767;

const SERVE = `'use strict';
const C = ${JSON.stringify(CTL)};
function serve(d) {
  const ctl = new Int32Array(d.ctl, 0, C.WORDS);
  const text = new Uint16Array(d.ctl, C.WORDS * 4, C.TEXT_CHARS);
  const fail = (e) => {
    if (Atomics.compareExchange(ctl, C.ERROR, 0, d.slot) !== 0) return;
    const m = String((e && e.stack) || e).slice(0, C.TEXT_CHARS - 1);
    for (let i = 0; i < m.length; i++) text[i + 1] = m.charCodeAt(i);
    text[0] = m.length;
  };
  let w;
  try {
    const env = { memory: d.memory, abort() { throw new Error('wasm backend: abort'); } };
    w = new WebAssembly.Instance(d.module, { env }).exports;
  } catch (e) {
    fail(e);
    Atomics.add(ctl, C.FAILED, 1);
    return;
  }
  Atomics.add(ctl, C.ONLINE, 1);
  const counter = C.CHUNKS + d.slot;
  let seq = Atomics.load(ctl, C.SEQ);
  while (Atomics.load(ctl, C.STOP) === 0) {
    for (;;) {
      const t = Atomics.load(ctl, C.TICKET);
      const index = t & 0xffff;
      if (index >= t >>> 16) break;
      if (Atomics.compareExchange(ctl, C.TICKET, t, t + 1) !== t) continue;
      try {
        w.runChunk(Atomics.load(ctl, C.JOB), index, d.slot);
      } catch (e) {
        fail(e);
      }
      Atomics.add(ctl, counter, 1);
      if (Atomics.add(ctl, C.DONE, 1) + 1 === t >>> 16) Atomics.notify(ctl, C.DONE);
    }
    // Waking a parked thread takes tens of microseconds on a VM: spin first, then park. A
    // wake-up without a new job (ThreadPool.wake, sent while the main thread copies a job's
    // operands in) starts a new spin.
    let deadline = performance.now() + Atomics.load(ctl, C.SPIN_US) / 1000;
    let spins = 0, next;
    while ((next = Atomics.load(ctl, C.SEQ)) === seq) {
      if ((++spins & 1023) === 0 && performance.now() > deadline) {
        Atomics.add(ctl, C.PARKED, 1);
        Atomics.wait(ctl, C.SEQ, seq);
        Atomics.sub(ctl, C.PARKED, 1);
        deadline = performance.now() + Atomics.load(ctl, C.SPIN_US) / 1000;
      }
    }
    seq = next;
  }
  Atomics.sub(ctl, C.ONLINE, 1);
}
`;

/**
 * For worker_threads: the start data comes as workerData. Eval'd code is CommonJS unless the
 * process runs with --input-type=module, so it gets worker_threads either way.
 */
export const NODE_WORKER_SOURCE = `${SERVE}if (typeof require === 'function') serve(require('worker_threads').workerData);
else import('worker_threads').then((m) => serve(m.workerData));\n`;

/** For a Web Worker: the start data comes as the first message. */
export const WEB_WORKER_SOURCE = `${SERVE}self.onmessage = (e) => { self.onmessage = null; serve(e.data); };\n`;
