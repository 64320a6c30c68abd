/**
 * gradflow for Node.js: everything in the browser-safe core (./index.js), plus the `native`
 * backend — GEMMs through the system BLAS (OpenBLAS, Accelerate) in an N-API addon built at
 * install time. Node resolves `import 'gradflow'` here (package.json "exports", condition
 * "node"); bundlers for the browser get ./index.js.
 *
 * When the addon loads, `native` becomes the default backend; when it does not (no compiler or
 * BLAS at install time, GRADFLOW_NATIVE=0), the default stays `wasm`, silently.
 * `gf.getBackend()` says which one runs and `gf.backendInfo()` what it runs on;
 * `gf.setNumThreads(n)` (from the core) sets the BLAS threads too.
 */
import { setBackend } from './backend/registry.js';
import { installNativeBackend } from './backend/native/index.js';

export * from './index.js';
export * as reports from './reports/index.js';
export { nativeLoadError } from './backend/native/index.js';

if (installNativeBackend()) setBackend('native');
