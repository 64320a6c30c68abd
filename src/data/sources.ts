/**
 * Where dataset files come from, in order (the first complete set wins):
 *   1. `{ dir }`, an explicit directory: the files themselves or a `<dataset>/` folder in it.
 *      Explicit means strict: when it lacks the files, the load fails instead of looking elsewhere.
 *   2. `GRADFLOW_DATA`: one or more directories (separated like PATH) holding `<dataset>/`
 *      folders (`fashion-mnist/`, `mnist/`, `cifar10/`) or the files themselves.
 *   3. the user cache: `$XDG_CACHE_HOME/gradflow/<dataset>`, else `~/.cache/gradflow/<dataset>`.
 *   4. system packages: Debian's `dataset-fashion-mnist` installs /usr/share/datasets/fashion-mnist.
 *   5. the official download, into the cache, verified by SHA-256.
 * When nothing works the error lists every place tried, what was missing there, and how to
 * provide the data. Node-only: `node:` modules are imported lazily (see utils/node-modules.ts).
 */
import { importNode } from '../utils/node-modules.js';
import { downloadFile, stderrProgress, type FetchFunction, type ProgressCallback } from './download.js';

/** One way the files of a dataset can sit in a directory: role → candidate relative paths. */
export interface Layout {
  readonly name: string;
  readonly files: Readonly<Record<string, readonly string[]>>;
}

export interface DownloadSpec {
  readonly file: string;
  readonly sha256: string;
  /** Mirrors, in order. */
  readonly urls: readonly string[];
}

export interface DatasetSpec {
  /** Folder name in the cache and under GRADFLOW_DATA, e.g. 'fashion-mnist'. */
  readonly id: string;
  readonly title: string;
  /** The public loader, for messages ('fashionMnist.loadData'). */
  readonly caller: string;
  /** Other accepted folder names under a data root. */
  readonly aliases?: readonly string[];
  readonly layouts: readonly Layout[];
  /** Directories installed by system packages, with the package that installs them. */
  readonly systemDirs: readonly { dir: string; package: string }[];
  /** Files fetched into the cache; afterwards the cache must match one of the layouts. */
  readonly downloads: readonly DownloadSpec[];
}

export interface SourceOptions {
  /** An explicit directory (strict: no fallback when the files are not there). */
  dir?: string;
  /** The cache directory of this dataset (default `<XDG_CACHE_HOME or ~/.cache>/gradflow/<dataset>`). */
  cacheDir?: string;
  /** System directories to look in (default: those of the Debian packages). */
  systemDirs?: readonly string[];
  /** Download into the cache when no local copy exists (default true). */
  download?: boolean;
  /** The fetch used for downloads (default: the global fetch). */
  fetch?: FetchFunction;
  /** Download progress; default a line on stderr; false for silence. */
  onProgress?: ProgressCallback | false;
  /** Longest wait for a response or the next chunk of a download, in ms (default 30 s). */
  stallTimeoutMs?: number;
  /** Environment to read GRADFLOW_DATA and XDG_CACHE_HOME from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export type SourceKind = 'dir' | 'GRADFLOW_DATA' | 'cache' | 'system' | 'download' | 'bytes';

/** Where a dataset was read from. */
export interface DataSource {
  readonly kind: SourceKind;
  /** The directory (absent for `bytes`, data handed over in memory). */
  readonly dir?: string;
  readonly layout: string;
  /** Role → absolute file path. */
  readonly files: Readonly<Record<string, string>>;
}

/** No place held the dataset; `tried` lists each place and what was wrong there. */
export class DatasetNotFoundError extends Error {
  override name = 'DatasetNotFoundError';
  constructor(message: string, readonly tried: readonly string[]) {
    super(message);
  }
}

type Match = { ok: true; layout: Layout; files: Record<string, string> } | { ok: false; problem: string };

async function isFile(path: string): Promise<boolean> {
  const fs = await importNode('node:fs/promises');
  try { return (await fs.stat(path)).isFile(); } catch { return false; }
}

async function isDirectory(path: string): Promise<boolean> {
  const fs = await importNode('node:fs/promises');
  try { return (await fs.stat(path)).isDirectory(); } catch { return false; }
}

/** Checks one directory against every layout; on failure says what the closest layout lacks. */
async function matchDir(spec: DatasetSpec, dir: string): Promise<Match> {
  const { join } = await importNode('node:path');
  if (!(await isDirectory(dir))) return { ok: false, problem: 'no such directory' };
  let best: { layout: Layout; found: number; missing: string[] } | undefined;
  for (const layout of spec.layouts) {
    const files: Record<string, string> = {};
    const missing: string[] = [];
    for (const [role, candidates] of Object.entries(layout.files)) {
      let hit: string | undefined;
      for (const c of candidates) {
        if (await isFile(join(dir, c))) { hit = join(dir, c); break; }
      }
      if (hit) files[role] = hit; else missing.push(candidates[0]);
    }
    if (missing.length === 0) return { ok: true, layout, files };
    const found = Object.keys(files).length;
    if (!best || found > best.found) best = { layout, found, missing };
  }
  if (!best || best.found === 0) return { ok: false, problem: `no ${spec.title} files` };
  return { ok: false, problem: `incomplete ${best.layout.name}: missing ${best.missing.join(', ')}` };
}

/** The default cache directory of a dataset. */
export async function defaultCacheDir(datasetId: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<string> {
  const { join, isAbsolute } = await importNode('node:path');
  const os = await importNode('node:os');
  const xdg = env.XDG_CACHE_HOME;
  const root = xdg && isAbsolute(xdg) ? xdg : join(os.homedir(), '.cache');
  return join(root, 'gradflow', datasetId);
}

/** Finds the dataset's files, downloading them into the cache as the last resort. */
export async function resolveSource(spec: DatasetSpec, options: SourceOptions = {}): Promise<DataSource> {
  const { join, delimiter, resolve } = await importNode('node:path');
  const env = options.env ?? process.env;
  const folders = [spec.id, ...(spec.aliases ?? [])];
  const tried: string[] = [];
  // A data root: its existing <dataset>/ folders first, then the root itself (only the root
  // is reported when it does not exist, to keep the message short).
  const expand = async (root: string): Promise<string[]> => {
    if (!(await isDirectory(root))) return [root];
    const sub: string[] = [];
    for (const f of folders) if (await isDirectory(join(root, f))) sub.push(join(root, f));
    return [...sub, root];
  };
  const attempt = async (kind: SourceKind, label: string, dirs: string[]): Promise<DataSource | undefined> => {
    const problems: string[] = [];
    for (const dir of dirs) {
      const m = await matchDir(spec, dir);
      if (m.ok) return { kind, dir, layout: m.layout.name, files: m.files };
      problems.push(`${dir} (${m.problem})`);
    }
    tried.push(`${label}: ${problems.join('; ')}`);
    return undefined;
  };

  if (options.dir !== undefined) {
    const dir = resolve(options.dir);
    const found = await attempt('dir', '{ dir }', await expand(dir));
    if (found) return found;
    throw new DatasetNotFoundError(`${spec.caller}: ${spec.title} not found in the directory given as { dir }: ${tried[0].slice('{ dir }: '.length)}. ` +
      `It should hold the files (${describeLayouts(spec)}) or a ${spec.id}/ folder with them.`, tried);
  }

  const roots = (env.GRADFLOW_DATA ?? '').split(delimiter).filter((r) => r.length > 0).map((r) => resolve(r));
  if (roots.length === 0) tried.push('GRADFLOW_DATA: not set');
  else {
    const dirs: string[] = [];
    for (const r of roots) dirs.push(...await expand(r));
    const found = await attempt('GRADFLOW_DATA', `GRADFLOW_DATA=${env.GRADFLOW_DATA}`, dirs);
    if (found) return found;
  }

  const cacheDir = resolve(options.cacheDir ?? await defaultCacheDir(spec.id, env));
  const cached = await attempt('cache', 'cache', [cacheDir]);
  if (cached) return cached;

  const system = options.systemDirs ?? spec.systemDirs.map((s) => s.dir);
  for (const dir of system) {
    const pkg = spec.systemDirs.find((s) => s.dir === dir)?.package;
    const found = await attempt('system', pkg ? `Debian package ${pkg}` : 'system directory', [dir]);
    if (found) return found;
  }

  if (options.download === false) tried.push('download: disabled (download: false)');
  else {
    try {
      const onProgress = options.onProgress === false ? undefined : options.onProgress ?? stderrProgress();
      for (const d of spec.downloads) {
        const dest = join(cacheDir, d.file);
        if (await isFile(dest)) continue;
        await downloadFile({ urls: d.urls, sha256: d.sha256, dest, fetch: options.fetch, onProgress, stallTimeoutMs: options.stallTimeoutMs });
      }
      const m = await matchDir(spec, cacheDir);
      if (m.ok) return { kind: 'download', dir: cacheDir, layout: m.layout.name, files: m.files };
      tried.push(`download into ${cacheDir}: downloaded, but ${m.problem}`);
    } catch (e) {
      tried.push(`download into ${cacheDir}: ${(e as Error).message}`);
    }
  }
  throw new DatasetNotFoundError(notFoundMessage(spec, tried, cacheDir), tried);
}

function describeLayouts(spec: DatasetSpec): string {
  return spec.layouts.map((l) => `${l.name}: ${Object.values(l.files).map((c) => c[0]).join(', ')}`).join('; or ');
}

function notFoundMessage(spec: DatasetSpec, tried: string[], cacheDir: string): string {
  const lines = [`${spec.caller}: ${spec.title} not found. Tried, in order:`, ...tried.map((t, i) => `  ${i + 1}. ${t}`),
    'Provide the data in any one of these ways:'];
  for (const s of spec.systemDirs) lines.push(`  - install the Debian/Ubuntu package: sudo apt-get install -y ${s.package} (files in ${s.dir})`);
  lines.push(`  - put the files (${describeLayouts(spec)}; gzipped or not) in a directory and pass ${spec.caller}({ dir: '<directory>' }),`,
    `    or set GRADFLOW_DATA to a directory holding a ${spec.id}/ folder with them (or the files themselves)`,
    `  - copy them into the cache: ${cacheDir}`);
  const hosts = [...new Set(spec.downloads.flatMap((d) => d.urls.map((u) => new URL(u).origin)))];
  if (hosts.length > 0) lines.push(`  - allow network access to ${hosts.join(' or ')} for the automatic download`);
  return lines.join('\n');
}

/** Reads the files of a resolved source. */
export async function readSourceFiles(source: DataSource): Promise<Record<string, Uint8Array>> {
  const fs = await importNode('node:fs/promises');
  const out: Record<string, Uint8Array> = {};
  for (const [role, path] of Object.entries(source.files)) {
    const b = await fs.readFile(path);
    out[role] = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  return out;
}
