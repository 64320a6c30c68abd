/**
 * Kernel registry keyed by (kernel name, backend name). A backend registers the kernels it
 * accelerates; any kernel it lacks falls back to the `js` reference kernel, so a backend can
 * start with its hot paths (SGEMM, element-wise, reductions) and grow.
 *
 * Fused kernels that are chains of other kernels (the Dense forward and backward) are
 * *composites*: a backend that does not register its own gets one built from its own kernels
 * (its GEMM, its element-wise ops), not the js one, so that fusing never makes a backend slower.
 */
import type { BackendInfo, KernelName, Kernels } from './backend.js';

const backends = new Map<string, BackendInfo>();
const kernels = new Map<string, Partial<Kernels>>();
const composites = new Map<KernelName, (table: Kernels) => Kernels[KernelName]>();
const initialized = new Set<string>();
let active = 'js';
/** Resolved kernel table of the active backend (with js fallbacks), rebuilt on change. */
let resolved: Kernels | null = null;
/**
 * Resolved tables of every backend asked for, dropped on any registration: a backend's kernels
 * look up `kernelsFor('js')` for their fallbacks on every call that takes one.
 */
const tables = new Map<string, Kernels>();

function invalidate(): void {
  resolved = null;
  tables.clear();
}

export function registerBackend(info: BackendInfo): void {
  backends.set(info.name, info);
  if (!kernels.has(info.name)) kernels.set(info.name, {});
  invalidate();
}

export function registerKernel<K extends KernelName>(name: K, backend: string, fn: Kernels[K]): void {
  let table = kernels.get(backend);
  if (!table) {
    table = {};
    kernels.set(backend, table);
  }
  table[name] = fn;
  invalidate();
}

/**
 * Registers the default of a fused kernel as a function of a backend's resolved kernel table
 * (used where the backend has no kernel of that name of its own).
 */
export function registerComposite<K extends KernelName>(name: K, compose: (table: Kernels) => Kernels[K]): void {
  composites.set(name, compose as (table: Kernels) => Kernels[KernelName]);
  invalidate();
}

export function listBackends(): string[] {
  return [...backends.keys()];
}

export function getBackendInfo(name: string): BackendInfo | undefined {
  return backends.get(name);
}

/** Switches the active backend; the error lists the registered and available ones. */
export function setBackend(name: string): void {
  const info = backends.get(name);
  if (!info) {
    throw new Error(`setBackend: unknown backend '${name}'; registered backends: ${listBackends().join(', ')}`);
  }
  if (!info.isAvailable()) {
    throw new Error(`setBackend: backend '${name}' is not available in this environment` +
      ` (available: ${listBackends().filter((b) => backends.get(b)!.isAvailable()).join(', ')})`);
  }
  if (!initialized.has(name)) {
    info.initialize?.();
    initialized.add(name);
  }
  active = name;
  resolved = null;
}

export function getBackend(): string {
  return active;
}

/** Kernels of the active backend; kernels it does not provide come from `js`. */
export function kernelsFor(backend: string = active): Kernels {
  if (backend === active && resolved) return resolved;
  const cached = tables.get(backend);
  if (cached) {
    if (backend === active) resolved = cached;
    return cached;
  }
  const own = kernels.get(backend) ?? {};
  const reference = kernels.get('js') ?? {};
  const table = { ...reference, ...own } as Kernels;
  for (const [name, compose] of composites) {
    if (!own[name]) (table as unknown as Record<string, unknown>)[name] = compose(table);
  }
  if (backend === active) resolved = table;
  tables.set(backend, table);
  return table;
}

/** Which backend actually implements `name` when `backend` is active ('composite': built from its kernels). */
export function kernelOwner(name: KernelName, backend: string = active): string {
  if (kernels.get(backend)?.[name]) return backend;
  return composites.has(name) ? 'composite' : 'js';
}
