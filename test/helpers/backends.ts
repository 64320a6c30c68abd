/** Runs `fn` with `backend` active, restoring the previous backend afterwards. */
import * as gf from '../../src/index.js';

export function on<T>(backend: string, fn: () => T): T {
  const previous = gf.getBackend();
  gf.setBackend(backend);
  try {
    return fn();
  } finally {
    gf.setBackend(previous);
  }
}
