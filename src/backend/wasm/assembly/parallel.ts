/**
 * Chunks of the threaded kernels. The JS thread pool (../pool.ts) writes a job descriptor into
 * linear memory, and every thread — the main one and the workers, each with its own instance
 * of this module over the same shared memory — claims chunk indices and runs them here. So the
 * partition of the work into chunks lives in one place, and every chunk writes a disjoint part
 * of the output.
 *
 * NOTE: results must not depend on how many threads there are or which thread runs which
 * chunk. Each output element is computed by exactly one chunk, with the same operations in the
 * same order as the unsplit kernel (see sgemmRange and reduceColumnsF32), so they do not.
 *
 * Descriptor: u32 words; word 0 is the job kind, the rest are listed with each kind below
 * (pointers are byte offsets, strides of the operands in floats unless named in bytes).
 */
import { sgemmPackB, sgemmRange, sgemmRowsPacked } from './sgemm';
import { binaryF32, unaryF32 } from './elementwise';
import { reduceColumnsF32, reduceF32 } from './reduce';

export const JOB_SGEMM = 1, JOB_BINARY = 2, JOB_UNARY = 3, JOB_REDUCE = 4, JOB_SGEMM_PACKED = 5;

@inline function word(job: usize, i: i32): u32 {
  return load<u32>(job + (<usize>i << 2));
}

/** Runs chunk `index` of the job at `job` on behalf of thread `slot` (0 = the main thread). */
export function runChunk(job: usize, index: i32, slot: i32): void {
  const kind = word(job, 0);
  if (kind == JOB_SGEMM) sgemmChunk(job, index, slot);
  else if (kind == JOB_BINARY) binaryChunk(job, index);
  else if (kind == JOB_UNARY) unaryChunk(job, index);
  else if (kind == JOB_REDUCE) reduceChunk(job, index, slot);
  else if (kind == JOB_SGEMM_PACKED) sgemmPackedChunk(job, index, slot);
  else unreachable();
}

/**
 * SGEMM: 1 m, 2 n, 3 k, 4 a, 5 transA, 6 b, 7 transB, 8 c, 9 work, 10 work bytes per slot,
 * 11 kc, 12 mc limit, 13 nc limit, 14/15/16 batch strides of A/B/C in bytes (0: broadcast),
 * 17 axis (0: rows of C, 1: columns), 18 panel size, 19 panels per batch item.
 */
function sgemmChunk(job: usize, index: i32, slot: i32): void {
  const m = <i32>word(job, 1), n = <i32>word(job, 2), k = <i32>word(job, 3);
  const panels = <i32>word(job, 19), panel = <i32>word(job, 18);
  const t = index / panels, p = index % panels;
  let i0 = 0, i1 = m, j0 = 0, j1 = n;
  if (word(job, 17) == 0) { i0 = p * panel; i1 = min(m, i0 + panel); }
  else { j0 = p * panel; j1 = min(n, j0 + panel); }
  const tt = <usize>t;
  sgemmRange(m, n, k, word(job, 4) + tt * word(job, 14), word(job, 5) != 0,
    word(job, 6) + tt * word(job, 15), word(job, 7) != 0, word(job, 8) + tt * word(job, 16),
    word(job, 9) + <usize>slot * word(job, 10), i0, i1, j0, j1,
    <i32>word(job, 11), <i32>word(job, 12), <i32>word(job, 13));
}

/**
 * SGEMM of one product in two phases (two runs of the same descriptor): phase 0 packs op(B)
 * once for all threads, a chunk per block; phase 1 computes panels of rows of C from it, so
 * panels can be small (a slow thread holds the others up by at most one) without packing B
 * again for each. 1 m, 2 n, 3 k, 4 a, 5 transA, 6 b, 7 transB, 8 c, 9 work, 10 work bytes per
 * slot, 11 kc, 12 mc limit, 13 nc limit, 14 packed B, 15 phase, 16 rows per panel.
 */
function sgemmPackedChunk(job: usize, index: i32, slot: i32): void {
  const n = <i32>word(job, 2), k = <i32>word(job, 3);
  const kc = <i32>word(job, 11), nc = <i32>word(job, 13), packed = word(job, 14);
  if (word(job, 15) == 0) {
    sgemmPackB(word(job, 6), word(job, 7) != 0, n, k, kc, nc, index, packed);
    return;
  }
  const m = <i32>word(job, 1), panel = <i32>word(job, 16);
  const i0 = index * panel;
  sgemmRowsPacked(m, n, k, word(job, 4), word(job, 5) != 0, packed, word(job, 8),
    word(job, 9) + <usize>slot * word(job, 10), i0, min(m, i0 + panel), kc, <i32>word(job, 12), nc);
}

/**
 * Binary: 1 op, 2 a, 3 a row stride, 4 a is scalar, 5 b, 6 b row stride, 7 b is scalar,
 * 8 out, 9 rows, 10 cols, 11 axis (0: rows, 1: columns of a single row), 12 chunk size.
 */
function binaryChunk(job: usize, index: i32): void {
  const op = <i32>word(job, 1), rows = <i32>word(job, 9), cols = <i32>word(job, 10);
  const chunk = <i32>word(job, 12);
  let a = word(job, 2), b = word(job, 5), out = word(job, 8);
  const aStride = word(job, 3), bStride = word(job, 6);
  const aScalar = word(job, 4) != 0, bScalar = word(job, 7) != 0;
  const start = index * chunk;
  if (word(job, 11) == 0) {
    const r = <usize>start;
    binaryF32(op, a + r * aStride * 4, aStride, aScalar, b + r * bStride * 4, bStride, bScalar,
      out + r * <usize>cols * 4, min(chunk, rows - start), cols);
  } else {
    const c = <usize>start * 4;
    binaryF32(op, aScalar ? a : a + c, aStride, aScalar, bScalar ? b : b + c, bStride, bScalar,
      out + c, 1, min(chunk, cols - start));
  }
}

/** Unary: 1 op, 2 x, 3 out, 4 n, 5 chunk size. */
function unaryChunk(job: usize, index: i32): void {
  const chunk = <i32>word(job, 5), start = index * chunk;
  const offset = <usize>start * 4;
  unaryF32(<i32>word(job, 1), word(job, 2) + offset, word(job, 3) + offset,
    min(chunk, <i32>word(job, 4) - start));
}

/**
 * Reduce over the middle axis of [outer, red, inner]: 1 op, 2 x, 3 out, 4 outer, 5 red,
 * 6 inner, 7 f64 scratch (chunk size × 8 bytes per slot), 8 chunk size, 9 chunks per outer
 * index. inner = 1: chunks of rows (outer); else chunks of columns within each outer index.
 */
function reduceChunk(job: usize, index: i32, slot: i32): void {
  const op = <i32>word(job, 1), x = word(job, 2), out = word(job, 3);
  const outer = <i32>word(job, 4), red = <i32>word(job, 5), inner = <i32>word(job, 6);
  const chunk = <i32>word(job, 8);
  if (inner == 1) {
    const r = index * chunk;
    reduceF32(op, x + <usize>r * red * 4, out + <usize>r * 4, min(chunk, outer - r), red, 1, 0);
    return;
  }
  const perOuter = <i32>word(job, 9);
  const o = <usize>(index / perOuter), c = (index % perOuter) * chunk;
  reduceColumnsF32(op, x + (o * red * inner + c) * 4, out + (o * inner + c) * 4, red,
    min(chunk, inner - c), inner, word(job, 7) + <usize>slot * chunk * 8);
}
