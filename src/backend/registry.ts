/**
 * Kernel registry keyed by (kernel name, backend name). A backend registers the kernels it
 * accelerates; any kernel it lacks falls back to the `js` reference kernel, so a backend can
 * start with its hot paths (SGEMM, element-wise, reductions) and grow.
 */
import type { BackendInfo, KernelName, Kernels } from './backend.js';

const backends = new Map<string, BackendInfo>();
const kernels = new Map<string, Partial<Kernels>>();
const initialized = new Set<string>();
let active = 'js';
/** Resolved kernel table of the active backend (with js fallbacks), rebuilt on change. */
let resolved: Kernels | null = null;

export function registerBackend(info: BackendInfo): void {
  backends.set(info.name, info);
  if (!kernels.has(info.name)) kernels.set(info.name, {});
  resolved = null;
}

export function registerKernel<K extends KernelName>(name: K, backend: string, fn: Kernels[K]): void {
  let table = kernels.get(backend);
  if (!table) {
    table = {};
    kernels.set(backend, table);
  }
  table[name] = fn;
  resolved = null;
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
  const own = kernels.get(backend) ?? {};
  const reference = kernels.get('js') ?? {};
  const table = { ...reference, ...own } as Kernels;
  if (backend === active) resolved = table;
  return table;
}

/** Which backend actually implements `name` when `backend` is active. */
export function kernelOwner(name: KernelName, backend: string = active): string {
  return kernels.get(backend)?.[name] ? backend : 'js';
}
