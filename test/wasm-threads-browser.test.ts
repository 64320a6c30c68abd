/**
 * The wasm thread pool in a real browser: headless Chromium (CHROMIUM_PATH or a system Chromium)
 * through playwright-core loads the browser bundle of the wasm backend from a local server.
 * On a cross-origin isolated page (COOP/COEP headers) the pool runs Web Workers over shared
 * memory and gives the bits of one thread; on a page without isolation, setNumThreads(2) falls
 * back to one thread and says why. Skipped, with the reason, where Chromium or playwright-core
 * is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const src = (path: string): string => JSON.stringify(fileURLToPath(new URL(`../src/${path}`, import.meta.url)));

// Runs in the page: matmuls and element-wise ops on 1 and 2 threads, compared bit for bit.
const ENTRY = `
import ${src('backend/js/index.ts')};
import * as w from ${src('backend/wasm/index.ts')};
import { kernelsFor } from ${src('backend/registry.ts')};
const k = kernelsFor('wasm');
let seed = 1;
const rand = (n) => Float32Array.from({ length: n }, () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1));
const info = (data, shape) => ({ data, shape, dtype: 'float32' });
const cases = [];
for (const [M, N, K] of [[37, 65, 129], [256, 300, 784], [5, 301, 33]]) {
  for (const [tA, tB] of [[false, false], [true, true]]) {
    const a = info(rand(M * K), tA ? [1, K, M] : [1, M, K]), b = info(rand(K * N), tB ? [1, N, K] : [1, K, N]);
    cases.push(() => k.matmul(a, b, tA, tB, 'float32'));
  }
}
const x = info(rand(3 * 1001), [3, 1001]), row = info(rand(1001), [1001]);
cases.push(() => k.binary('add', x, row, [3, 1001], 'float32'), () => k.unary('relu', x, 'float32'), () => k.reduce('sum', x, [0]));
const bits = (arrays) => arrays.map((a) => Array.from(new Uint32Array(new Float32Array(a).buffer)));
window.runThreads = async () => {
  w.setWasmThreadOptions({ gemmMinFlops: 0, elementwiseMinElements: 0 });
  const one = bits(cases.map((run) => run()));
  w.setWasmThreads(2);
  const threads = await w.wasmThreadsReady().catch((e) => 'error: ' + e.message);
  const two = bits(cases.map((run) => run()));
  return {
    isolated: self.crossOriginIsolated, threads, getThreads: w.getWasmThreads(), stats: w.wasmThreadStats(),
    reason: w.wasmThreadsUnavailableReason(), same: JSON.stringify(one) === JSON.stringify(two), cases: one.length,
  };
};
window.ready = true;
`;

async function chromium(): Promise<{ launch: (o: object) => Promise<import('playwright-core').Browser> } | string> {
  const path = process.env.CHROMIUM_PATH ?? CHROMIUMS.find((p) => existsSync(p));
  if (!path) return 'no Chromium found (install chromium or set CHROMIUM_PATH)';
  try {
    const name = 'playwright-core';
    const pw = (await import(name)) as typeof import('playwright-core');
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    return { launch: (o) => pw.chromium.launch({ executablePath: path, headless: true, args: [...(root ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'], ...o }) };
  } catch {
    return 'playwright-core is not installed';
  }
}

test('wasm threads in Chromium: Web Workers on an isolated page, one thread without isolation', { timeout: 120_000 }, async (t) => {
  const launcher = await chromium();
  if (typeof launcher === 'string') { t.skip(launcher); return; }
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent',
  });
  const js = bundle.outputFiles[0].text;
  const server: Server = createServer((req, res) => {
    const isolated = req.url?.startsWith('/isolated/');
    const headers: Record<string, string> = isolated
      ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
    if (req.url?.endsWith('bundle.js')) res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(js);
    else res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end('<!doctype html><script type="module" src="bundle.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const browser = await launcher.launch({});
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    type Result = { isolated: boolean; threads: number | string; getThreads: number; stats: number[]; reason: string | null; same: boolean; cases: number };
    const run = async (path: string): Promise<Result> => {
      await page.goto(`http://127.0.0.1:${port}${path}`);
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      return page.evaluate(() => (window as unknown as { runThreads: () => Promise<Result> }).runThreads());
    };

    const isolated = await run('/isolated/');
    assert.equal(isolated.isolated, true);
    assert.equal(isolated.threads, 2, `threads: ${isolated.threads}`);
    assert.equal(isolated.getThreads, 2);
    assert.equal(isolated.reason, null);
    assert.ok(isolated.same, 'two threads give the bits of one');
    assert.equal(isolated.stats.length, 2);
    assert.ok(isolated.stats[0] > 0, `chunks by thread: ${isolated.stats}`);

    const plain = await run('/plain/');
    assert.equal(plain.isolated, false);
    assert.equal(plain.getThreads, 1, 'falls back to one thread');
    assert.match(plain.reason ?? '', /SharedArrayBuffer|cross-origin isolat/);
    assert.ok(plain.same);
    assert.deepEqual(plain.stats, []);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
