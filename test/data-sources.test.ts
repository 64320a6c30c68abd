/**
 * Where the loaders find their files, in order: { dir } (strict), GRADFLOW_DATA, the user
 * cache (XDG_CACHE_HOME), system directories (Debian), then a SHA-256-verified download into the
 * cache. Small synthetic IDX files in temp directories; each copy has its own first label so a
 * test can tell which one was loaded. No network: fetch is injected, or downloads are disabled.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as gf from '../src/index.js';

const ds = gf.datasets;
const fm = ds.fashionMnist;
let root = '';
before(async () => { root = await mkdtemp(join(tmpdir(), 'gradflow-data-')); });
after(async () => { await rm(root, { recursive: true, force: true }); });

/** Writes the four Fashion-MNIST IDX files (2 train, 1 test image) whose first train label is `tag`. */
async function writeIdxSet(dir: string, tag: number, options: { gzip?: boolean; omit?: string } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const files: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte': ds.encodeIdx({ shape: [2, 28, 28], data: new Array(2 * 784).fill(tag) }),
    'train-labels-idx1-ubyte': ds.encodeIdx({ shape: [2], data: [tag, 1] }),
    't10k-images-idx3-ubyte': ds.encodeIdx({ shape: [1, 28, 28], data: new Array(784).fill(0) }),
    't10k-labels-idx1-ubyte': ds.encodeIdx({ shape: [1], data: [4] }),
  };
  for (const [name, bytes] of Object.entries(files)) {
    if (name === options.omit) continue;
    if (options.gzip) await writeFile(join(dir, `${name}.gz`), gzipSync(bytes));
    else await writeFile(join(dir, name), bytes);
  }
  return dir;
}

const firstLabel = async (options: gf.datasets.LoadOptions): Promise<number> => (await fm.loadData(options)).train.y.data[0];
/** No env, an empty cache, no system dirs, no downloads: only what a test adds is visible. */
const isolated = (over: gf.datasets.LoadOptions = {}): gf.datasets.LoadOptions =>
  ({ env: {}, cacheDir: join(root, 'empty-cache'), systemDirs: [], download: false, ...over });

describe('source resolution', () => {
  test('{ dir }: the files themselves or a fashion-mnist/ folder; raw or gzipped', async () => {
    const d = await writeIdxSet(join(root, 'explicit'), 3, { gzip: true });
    const data = await fm.loadData(isolated({ dir: d }));
    assert.equal(data.train.y.data[0], 3);
    assert.equal(data.source.kind, 'dir');
    assert.equal(data.source.files.trainImages, join(d, 'train-images-idx3-ubyte.gz'));
    await writeIdxSet(join(root, 'parent', 'fashion-mnist'), 4);
    assert.equal(await firstLabel(isolated({ dir: join(root, 'parent') })), 4);
  });

  test('{ dir } is strict: missing files are an error even when other sources have them', async () => {
    const env = { GRADFLOW_DATA: await writeIdxSet(join(root, 'env-strict'), 5) };
    const partial = await writeIdxSet(join(root, 'partial'), 6, { omit: 't10k-labels-idx1-ubyte' });
    await assert.rejects(fm.loadData(isolated({ dir: partial, env })), (e: Error) =>
      e instanceof ds.DatasetNotFoundError && /not found in the directory given as \{ dir \}/.test(e.message) &&
      e.message.includes(`${partial} (incomplete IDX files: missing t10k-labels-idx1-ubyte.gz)`) &&
      e.message.includes('or a fashion-mnist/ folder with them'));
    await assert.rejects(fm.loadData(isolated({ dir: join(root, 'no-such-dir') })), /\{ dir \}: .*no-such-dir \(no such directory\)/);
  });

  test('GRADFLOW_DATA: <root>/fashion-mnist/, the files directly, several roots like PATH', async () => {
    await writeIdxSet(join(root, 'envroot', 'fashion-mnist'), 7);
    const data = await fm.loadData(isolated({ env: { GRADFLOW_DATA: join(root, 'envroot') } }));
    assert.equal(data.train.y.data[0], 7);
    assert.equal(data.source.kind, 'GRADFLOW_DATA');
    const flat = await writeIdxSet(join(root, 'envflat'), 8);
    assert.equal(await firstLabel(isolated({ env: { GRADFLOW_DATA: flat } })), 8);
    const both = [join(root, 'nowhere'), flat].join(delimiter);
    assert.equal(await firstLabel(isolated({ env: { GRADFLOW_DATA: both } })), 8);
  });

  test('the cache: XDG_CACHE_HOME/gradflow/fashion-mnist by default', async () => {
    const xdg = join(root, 'xdg');
    await writeIdxSet(join(xdg, 'gradflow', 'fashion-mnist'), 2);
    assert.equal(await ds.defaultCacheDir('fashion-mnist', { XDG_CACHE_HOME: xdg }), join(xdg, 'gradflow', 'fashion-mnist'));
    const data = await fm.loadData({ env: { XDG_CACHE_HOME: xdg }, systemDirs: [], download: false });
    assert.equal(data.train.y.data[0], 2);
    assert.equal(data.source.kind, 'cache');
    assert.match(await ds.defaultCacheDir('mnist', {}), /\.cache[\\/]gradflow[\\/]mnist$/);
  });

  test('order: GRADFLOW_DATA, then the cache, then system directories', async () => {
    const env = await writeIdxSet(join(root, 'order', 'env'), 1);
    const cache = await writeIdxSet(join(root, 'order', 'cache'), 2);
    const system = await writeIdxSet(join(root, 'order', 'system'), 3);
    const base = { cacheDir: cache, systemDirs: [join(root, 'order', 'missing'), system], download: false };
    assert.equal(await firstLabel({ ...base, env: { GRADFLOW_DATA: env } }), 1);
    assert.equal(await firstLabel({ ...base, env: {} }), 2);
    const fromSystem = await fm.loadData({ ...base, env: {}, cacheDir: join(root, 'order', 'empty') });
    assert.equal(fromSystem.train.y.data[0], 3);
    assert.equal(fromSystem.source.kind, 'system');
  });

  test('the default system directory is the Debian package dataset-fashion-mnist', () => {
    assert.deepEqual(fm.spec.systemDirs, [{ dir: '/usr/share/datasets/fashion-mnist', package: 'dataset-fashion-mnist' }]);
  });

  test('nothing anywhere: the error lists every place tried and how to provide the data', async () => {
    const cacheDir = join(root, 'none-cache');
    const err = await fm.loadBytes({ env: { GRADFLOW_DATA: join(root, 'none') }, cacheDir, systemDirs: ['/nonexistent/fashion-mnist'], download: false })
      .then(() => assert.fail('should not load'), (e: unknown) => e as gf.datasets.DatasetNotFoundError);
    assert.ok(err instanceof ds.DatasetNotFoundError);
    assert.equal(err.tried.length, 4);
    for (const s of [
      'fashionMnist.loadData: Fashion-MNIST not found. Tried, in order:',
      `1. GRADFLOW_DATA=${join(root, 'none')}: ${join(root, 'none')} (no such directory)`,
      `2. cache: ${cacheDir} (no such directory)`,
      '3. system directory: /nonexistent/fashion-mnist (no such directory)',
      '4. download: disabled (download: false)',
      'sudo apt-get install -y dataset-fashion-mnist (files in /usr/share/datasets/fashion-mnist)',
      "fashionMnist.loadData({ dir: '<directory>' })",
      'set GRADFLOW_DATA to a directory holding a fashion-mnist/ folder',
      `copy them into the cache: ${cacheDir}`,
      'https://raw.githubusercontent.com',
    ]) assert.ok(err.message.includes(s), `message lacks ${JSON.stringify(s)}:\n${err.message}`);
  });

  test('offline download fails fast and says why; nothing is left in the cache', async () => {
    const cacheDir = join(root, 'offline-cache');
    const calls: string[] = [];
    const fetch = async (url: string): Promise<Response> => {
      calls.push(url);
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    };
    const started = Date.now();
    await assert.rejects(fm.loadData({ env: {}, cacheDir, systemDirs: [], fetch, onProgress: false }), (e: Error) =>
      /3\. download into .*could not download train-images-idx3-ubyte\.gz:/s.test(e.message) &&
      e.message.includes('https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/train-images-idx3-ubyte.gz: fetch failed (ENOTFOUND)') &&
      e.message.includes('https://storage.googleapis.com/tensorflow/tf-keras-datasets/train-images-idx3-ubyte.gz: fetch failed (ENOTFOUND)'));
    assert.ok(Date.now() - started < 2000);
    assert.equal(calls.length, 2, 'two mirrors, then stop');
    assert.deepEqual(await readdir(cacheDir).catch(() => []), []);
  });

  test('a server that never answers times out instead of hanging', async () => {
    const fetch = (_url: string, init?: { signal?: AbortSignal }) => new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
    });
    await assert.rejects(ds.mnist.loadData({ env: {}, cacheDir: join(root, 'hang'), systemDirs: [], fetch, stallTimeoutMs: 50, onProgress: false }),
      /mnist\.npz:\n.*storage\.googleapis\.com.*no data for 0\.05 s while waiting for the server/s);
  });
});

describe('downloads', () => {
  const payload = new Uint8Array(gzipSync(ds.encodeIdx({ shape: [3], data: [1, 2, 3] })));
  const sha256 = createHash('sha256').update(payload).digest('hex');
  const serve = (body: Uint8Array, status = 200) => async () => new Response(body as BodyInit, { status, headers: { 'content-length': String(body.length) } });

  test('downloadFile: verified, written atomically, progress reported', async () => {
    const dest = join(root, 'dl', 'labels.gz');
    const progress: gf.datasets.DownloadProgress[] = [];
    await ds.downloadFile({ urls: ['https://example.invalid/labels.gz'], sha256, dest, fetch: serve(payload), onProgress: (p) => progress.push(p) });
    const back = await ds.decodeIdx(new Uint8Array(await (await import('node:fs/promises')).readFile(dest)));
    assert.deepEqual(Array.from(back.data), [1, 2, 3]);
    assert.equal(progress.at(-1)?.done, true);
    assert.equal(progress.at(-1)?.received, payload.length);
    assert.equal(progress.at(-1)?.total, payload.length);
    assert.deepEqual(await readdir(join(root, 'dl')), ['labels.gz']);
  });

  test('a SHA-256 mismatch is rejected and the file discarded; the next mirror is tried', async () => {
    const dir = join(root, 'dl-bad');
    await assert.rejects(ds.downloadFile({ urls: ['https://a.invalid/f', 'https://b.invalid/f'], sha256, dest: join(dir, 'f'), fetch: serve(Uint8Array.from([1, 2, 3])) }),
      (e: Error) => /https:\/\/a\.invalid\/f: SHA-256 mismatch: expected [0-9a-f]{64}, got [0-9a-f]{64} \(3 bytes\); the file was discarded/.test(e.message) &&
        /https:\/\/b\.invalid\/f: SHA-256 mismatch/.test(e.message));
    assert.deepEqual(await readdir(dir), []);
    await assert.rejects(ds.downloadFile({ urls: ['https://a.invalid/f'], sha256, dest: join(dir, 'f'), fetch: serve(payload, 404) }), /HTTP 404/);
  });

  test('download into the cache, then load from it (custom spec: synthetic files and their hashes)', async () => {
    const files: Record<string, Uint8Array> = {};
    await writeIdxSet(join(root, 'served'), 9, { gzip: true });
    const { readFile } = await import('node:fs/promises');
    for (const name of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
      files[name] = new Uint8Array(await readFile(join(root, 'served', name)));
    }
    const spec: gf.datasets.DatasetSpec = {
      ...fm.spec,
      downloads: Object.entries(files).map(([file, bytes]) => ({ file, sha256: createHash('sha256').update(bytes).digest('hex'), urls: [`https://mirror.invalid/${file}`] })),
    };
    const fetch = async (url: string) => serve(files[url.split('/').pop()!])();
    const cacheDir = join(root, 'dl-cache');
    const source = await ds.resolveSource(spec, { env: {}, cacheDir, systemDirs: [], fetch, onProgress: false });
    assert.equal(source.kind, 'download');
    assert.equal((await readdir(cacheDir)).sort().join(), Object.keys(files).sort().join());
    const again = await fm.loadData({ env: {}, cacheDir, systemDirs: [], download: false });
    assert.equal(again.source.kind, 'cache');
    assert.equal(again.train.y.data[0], 9);
  });
});

describe('MNIST and CIFAR-10 sources', () => {
  test('mnist reads the same IDX layout; its download is Keras mnist.npz with Keras pinned hash', async () => {
    const d = await writeIdxSet(join(root, 'mnist-data', 'mnist'), 5);
    const data = await ds.mnist.loadData(isolated({ env: { GRADFLOW_DATA: join(root, 'mnist-data') } }));
    assert.equal(data.train.y.data[0], 5);
    assert.equal(data.source.dir, d);
    assert.deepEqual(ds.mnist.spec.downloads.map((f) => f.sha256), ['731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1']);
  });

  test('cifar10 from a cifar-10-batches-bin folder: x float32 [n, 32, 32, 3], y int32 [n, 1]', async () => {
    const dir = join(root, 'cifar', 'cifar-10-batches-bin');
    await mkdir(dir, { recursive: true });
    const batch = (label: number) => { const b = new Uint8Array(2 * 3073).fill(200); b[0] = label; b[3073] = 1; return b; };
    for (let k = 1; k <= 5; k++) await writeFile(join(dir, `data_batch_${k}.bin`), batch(k));
    await writeFile(join(dir, 'test_batch.bin'), batch(0));
    const data = await ds.cifar10.loadData(isolated({ dir: join(root, 'cifar') }));
    assert.deepEqual(data.train.x.shape, [10, 32, 32, 3]);
    assert.equal(data.train.x.dtype, 'float32');
    assert.equal(data.train.x.data[0], 200);
    assert.deepEqual(data.train.y.shape, [10, 1]);
    assert.deepEqual(Array.from(data.train.y.data), [1, 1, 2, 1, 3, 1, 4, 1, 5, 1]);
    assert.equal(data.source.layout, 'binary batches');
    const raw = await ds.cifar10.loadBytes(isolated({ dir: join(root, 'cifar') }));
    assert.ok(raw.test.x instanceof Uint8Array);
    assert.deepEqual(raw.test.xShape, [2, 32, 32, 3]);
  });

  test('a corrupt file found in a source names its full path', async () => {
    const d = await writeIdxSet(join(root, 'corrupt'), 1);
    await writeFile(join(d, 't10k-labels-idx1-ubyte'), Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]));
    await assert.rejects(fm.loadData(isolated({ dir: d })),
      new RegExp(`${join(d, 't10k-labels-idx1-ubyte').replace(/[\\/.]/g, '\\$&')}: truncated IDX file: .*\\(3 missing\\)`));
  });
});
