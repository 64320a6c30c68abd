#!/usr/bin/env node
/**
 * Prints the linker flags for the system CBLAS, for binding.gyp (`<!@(node scripts/native-blas.mjs)`).
 *
 *   GRADFLOW_BLAS_LIBS="-L/opt/openblas/lib -lopenblas"   overrides the search
 *
 * Search order: OpenBLAS (-lopenblas: its kernels are the fast ones and it reports its core and
 * threads), then a generic -lcblas/-lblas (Debian's libblas.so alternative may itself be
 * OpenBLAS, BLIS or netlib). The library directories searched are the linker's usual ones plus
 * Homebrew's and the multiarch ones. macOS uses Accelerate (binding.gyp) and never runs this.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function libraryDirs() {
  const dirs = ['/usr/lib64', '/usr/lib', '/usr/local/lib', '/usr/local/lib64', '/lib64', '/lib',
    '/opt/homebrew/opt/openblas/lib', '/usr/local/opt/openblas/lib'];
  for (const base of ['/usr/lib', '/lib']) {
    try {
      for (const name of readdirSync(base)) if (name.endsWith('-linux-gnu')) dirs.push(join(base, name));
    } catch { /* no such directory */ }
  }
  return dirs.filter((d) => existsSync(d));
}

/** The directory holding lib<name>.so (or .dylib) for the linker, or null. */
function find(name) {
  for (const dir of libraryDirs()) {
    for (const ext of ['.so', '.dylib', '.a']) if (existsSync(join(dir, `lib${name}${ext}`))) return dir;
  }
  try { // the dynamic linker's cache knows about distribution-specific directories
    const cache = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    if (new RegExp(`\\blib${name}\\.so\\s`).test(cache)) return '';
  } catch { /* no ldconfig */ }
  return null;
}

function flags() {
  const override = process.env.GRADFLOW_BLAS_LIBS;
  if (override && override.trim()) return override.trim();
  const nonStandard = (dir) => (dir && !['/usr/lib', '/usr/lib64', '/lib', '/lib64'].includes(dir) &&
    !dir.endsWith('-linux-gnu') ? `-L${dir} -Wl,-rpath,${dir} ` : '');
  for (const candidates of [['openblas'], ['cblas', 'blas'], ['blas']]) {
    const dirs = candidates.map(find);
    if (dirs.every((d) => d !== null)) return dirs.map((d, i) => `${nonStandard(d)}-l${candidates[i]}`).join(' ');
  }
  // Nothing found: ask for OpenBLAS anyway, so that the link fails with a message naming it.
  return '-lopenblas';
}

console.log(flags());
