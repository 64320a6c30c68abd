/**
 * Downloads a dataset file into the cache with SHA-256 verification: streamed to a temporary
 * file next to the target (hashing as it goes), checked, then renamed into place, so that an
 * interrupted or tampered download never lands in the cache. Node-only; `node:` modules are
 * imported lazily so that importing gradflow stays browser-safe.
 */
import { importNode } from '../utils/node-modules.js';

export interface DownloadProgress {
  readonly url: string;
  readonly file: string;
  readonly received: number;
  /** From Content-Length; undefined when the server does not send it. */
  readonly total: number | undefined;
  readonly done: boolean;
}

export type ProgressCallback = (progress: DownloadProgress) => void;
export type FetchFunction = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export interface DownloadFileOptions {
  /** Mirrors, tried in order until one delivers a file with the right hash. */
  urls: readonly string[];
  /** Expected SHA-256 of the file, lower-case hex. */
  sha256: string;
  /** Target path; written atomically. */
  dest: string;
  fetch?: FetchFunction;
  onProgress?: ProgressCallback;
  /** Longest wait for a response or for the next chunk, in ms (default 30 s). */
  stallTimeoutMs?: number;
}

/** Downloads the first mirror that works; the error lists every mirror and why it failed. */
export async function downloadFile(options: DownloadFileOptions): Promise<void> {
  const failures: string[] = [];
  for (const url of options.urls) {
    try {
      await downloadOne(url, options);
      return;
    } catch (e) {
      failures.push(`${url}: ${(e as Error).message}`);
    }
  }
  throw new Error(`could not download ${fileName(options.dest)}:\n${failures.map((f) => `      - ${f}`).join('\n')}`);
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Races a promise against the stall timer, so that a silent server cannot hang the load. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string, abort: AbortController): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Reject first, then abort: the timeout, not the abort it causes, is the reported reason.
    timer = setTimeout(() => { reject(new Error(`no data for ${ms / 1000} s while ${what}`)); abort.abort(); }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function downloadOne(url: string, options: DownloadFileOptions): Promise<void> {
  const fs = await importNode('node:fs/promises');
  const { dirname, join } = await importNode('node:path');
  const { createHash } = await importNode('node:crypto');
  const fetchFn: FetchFunction = options.fetch ?? ((u, init) => fetch(u, init));
  const stall = options.stallTimeoutMs ?? 30_000;
  const abort = new AbortController();
  const file = fileName(options.dest);

  let response: Response;
  try {
    response = await withTimeout(fetchFn(url, { signal: abort.signal }), stall, 'waiting for the server', abort);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`${(e as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`);
  }
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : undefined;

  const dir = dirname(options.dest);
  await fs.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${file}.${process.pid}.${Date.now()}.part`);
  const hash = createHash('sha256');
  const handle = await fs.open(tmp, 'w');
  let received = 0;
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await withTimeout(reader.read(), stall, `downloading (${received} bytes received)`, abort);
      if (done) break;
      hash.update(value);
      await handle.write(value);
      received += value.length;
      options.onProgress?.({ url, file, received, total, done: false });
    }
    await handle.sync();
    await handle.close();
    if (total !== undefined && received !== total) throw new Error(`incomplete download: ${received} of ${total} bytes`);
    const digest = hash.digest('hex');
    if (digest !== options.sha256.toLowerCase()) {
      throw new Error(`SHA-256 mismatch: expected ${options.sha256}, got ${digest} (${received} bytes); the file was discarded`);
    }
    await fs.rename(tmp, options.dest);
    options.onProgress?.({ url, file, received, total, done: true });
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * The default progress report: one line on stderr, rewritten in place on a terminal and
 * printed every 10% otherwise (the CLI draws proper bars on top of `onProgress`).
 */
export function stderrProgress(): ProgressCallback {
  let lastDecile = -1;
  return (p) => {
    const mb = (n: number): string => (n / 1e6).toFixed(1);
    const pct = p.total ? Math.floor((100 * p.received) / p.total) : undefined;
    const line = `Downloading ${p.url}: ${mb(p.received)}${p.total ? `/${mb(p.total)}` : ''} MB${pct !== undefined ? ` (${pct}%)` : ''}`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}${p.done ? '\n' : ''}`);
    } else {
      const decile = pct === undefined ? -1 : Math.floor(pct / 10);
      if (decile > lastDecile || (p.done && lastDecile < 10)) { process.stderr.write(`${line}\n`); lastDecile = p.done ? 10 : decile; }
    }
  };
}
