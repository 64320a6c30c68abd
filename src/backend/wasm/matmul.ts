/**
 * wasm matmul kernel: batched float32 SGEMM through the packed SIMD kernel in
 * assembly/sgemm.ts, split across the thread pool when large (threads.ts). Other dtypes go to
 * the js reference kernel.
 */
import type { DataArray, DType } from '../../core/dtype.js';
import type { TensorInfo } from '../backend.js';
import { kernelsFor } from '../registry.js';
import { arenaAlloc, arenaReset, copyOutF32, getWasm, heapF32 } from './module.js';
import { chunkSize, gemmSplit, wasmThreadOptions, type Split } from './threads.js';
import { MAX_CHUNKS } from './worker-source.js';

const JOB_SGEMM = 1, JOB_SGEMM_PACKED = 5; // assembly/parallel.ts
const MR = 4, NR = 8; // the micro-tile (assembly/sgemm.ts): panels are whole tiles
/** Row panels per thread of a single product: small enough that no thread waits long for another. */
const PANELS_PER_THREAD = 4;
const MIN_PANEL_ROWS = 8;
/** Largest op(B) packed once for all threads (beyond, each panel packs its own). */
const MAX_PACKED_B_BYTES = 64 * 2 ** 20;

export function matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean, dtype: DType): DataArray {
  if (dtype !== 'float32' || !(a.data instanceof Float32Array) || !(b.data instanceof Float32Array)) {
    return kernelsFor('js').matmul(a, b, transA, transB, dtype);
  }
  const [batchA, a1, a2] = a.shape;
  const [batchB, b1, b2] = b.shape;
  const M = transA ? a2 : a1, K = transA ? a1 : a2;
  const N = transB ? b1 : b2;
  const batch = Math.max(batchA, batchB);
  const outSize = batch * M * N;
  if (outSize === 0 || K === 0) return new Float32Array(outSize);
  const split = gemmSplit(2 * M * N * K * batch);
  if (split) {
    const out = (batch === 1 ? matmulPacked(split, a.data, b.data, M, N, K, transA, transB) : null)
      ?? matmulSplit(split, a.data, b.data, batchA, batchB, M, N, K, transA, transB);
    if (out) return out;
  }
  const w = getWasm();
  arenaReset();
  const pa = arenaAlloc(a.data.length * 4);
  const pb = arenaAlloc(b.data.length * 4);
  const pc = arenaAlloc(outSize * 4);
  const work = arenaAlloc(w.sgemmWorkspaceBytes(M, N, K));
  const heap = heapF32(); // after the last alloc: earlier views may be detached by growth
  heap.set(a.data, pa / 4);
  heap.set(b.data, pb / 4);
  const strideA = M * K * 4, strideB = K * N * 4, strideC = M * N * 4;
  for (let t = 0; t < batch; t++) {
    w.sgemm(M, N, K, pa + (batchA === 1 ? 0 : t * strideA), transA ? 1 : 0,
      pb + (batchB === 1 ? 0 : t * strideB), transB ? 1 : 0, pc + t * strideC, work);
  }
  return copyOutF32(pc, outSize);
}

/**
 * One product on the pool, in two jobs: the threads pack op(B) once, a block each, then compute
 * small panels of rows of C from it (PANELS_PER_THREAD per thread, claimed as they go, so a
 * thread that runs slower — woken late, sharing its core, farther from the operands — simply
 * computes fewer). Returns null where C has too few rows for that, or op(B) packed is too big.
 */
function matmulPacked({ heap, pool, threads }: Split, A: Float32Array, B: Float32Array, M: number, N: number,
  K: number, transA: boolean, transB: boolean): Float32Array | null {
  if (M < 2 * MIN_PANEL_ROWS) return null;
  const single = getWasm();
  const kc = single.sgemmBlocking(0, K), mc = single.sgemmBlocking(1, K), nc = single.sgemmBlocking(2, K);
  const packedBytes = single.sgemmPackedBBytes(N, K, kc, nc);
  if (packedBytes > MAX_PACKED_B_BYTES) return null;
  const panel = Math.max(MIN_PANEL_ROWS, chunkSize(M, threads * PANELS_PER_THREAD, MR));
  const workBytes = Math.ceil(single.sgemmWorkspaceBytes(Math.min(M, panel), N, K) / 16) * 16;
  heap.reset();
  const job = heap.alloc(17 * 4);
  const pa = heap.alloc(A.length * 4), pb = heap.alloc(B.length * 4), pc = heap.alloc(M * N * 4);
  const packed = heap.alloc(packedBytes);
  const work = heap.alloc(workBytes * pool.threads);
  const f32 = heap.f32();
  f32.set(A, pa / 4);
  f32.set(B, pb / 4);
  const u32 = heap.u32();
  u32.set([JOB_SGEMM_PACKED, M, N, K, pa, transA ? 1 : 0, pb, transB ? 1 : 0, pc, work, workBytes, kc, mc, nc,
    packed, 0, panel], job / 4);
  pool.run(job, single.sgemmPackedBBlocks(N, K, kc, nc));
  u32[job / 4 + 15] = 1; // phase 1: rows of C
  pool.run(job, Math.ceil(M / panel));
  return heap.copyOutF32(pc, M * N);
}

/**
 * The product on the pool: C is cut into panels of rows (or of columns when C is much wider
 * than tall: then each thread packs all of A instead of all of B, and A is the smaller) and
 * every (batch item, panel) is one chunk. Returns null when there is nothing to split.
 */
function matmulSplit(split: Split, A: Float32Array, B: Float32Array, batchA: number, batchB: number,
  M: number, N: number, K: number, transA: boolean, transB: boolean): Float32Array | null {
  const batch = Math.max(batchA, batchB);
  const single = getWasm();
  // The blocking comes from the single-threaded instance, so that every thread sums each
  // element in the order of the unsplit kernel (the K block fixes that order).
  const kc = single.sgemmBlocking(0, K), mc = single.sgemmBlocking(1, K), nc = single.sgemmBlocking(2, K);
  const workBytes = Math.ceil(single.sgemmWorkspaceBytes(M, N, K) / 16) * 16;
  let axis = 0, panel = M, panels = 1;
  if (2 * M * N * K >= wasmThreadOptions().gemmMinFlops) { // else: chunks of whole batch items
    // NOTE: splitting along M makes every panel pack all of op(B) (K·N floats); along N, all
    // of op(A), which packing writes pre-splatted (4 floats each) — so N only when N ≫ M.
    const dim = N > 2.5 * M && N >= 2 * NR ? N : M;
    axis = dim === M ? 0 : 1;
    const unit = axis === 0 ? MR : NR;
    panel = chunkSize(dim, split.threads, unit);
    panels = Math.ceil(dim / panel);
  }
  if (panels * batch < 2) return null;
  const { heap, pool } = split;
  heap.reset();
  const job = heap.alloc(20 * 4);
  const pa = heap.alloc(A.length * 4);
  const pb = heap.alloc(B.length * 4);
  const pc = heap.alloc(batch * M * N * 4);
  const work = heap.alloc(workBytes * pool.threads);
  const f32 = heap.f32();
  f32.set(A, pa / 4);
  f32.set(B, pb / 4);
  const strideA = batchA === 1 ? 0 : M * K * 4, strideB = batchB === 1 ? 0 : K * N * 4, strideC = M * N * 4;
  const group = Math.max(1, Math.floor(MAX_CHUNKS / panels));
  for (let t0 = 0; t0 < batch; t0 += group) {
    const items = Math.min(group, batch - t0);
    heap.u32().set([JOB_SGEMM, M, N, K, pa + t0 * strideA, transA ? 1 : 0, pb + t0 * strideB, transB ? 1 : 0,
      pc + t0 * strideC, work, workBytes, kc, mc, nc, strideA, strideB, strideC, axis, panel, panels], job / 4);
    pool.run(job, items * panels);
  }
  return heap.copyOutF32(pc, batch * M * N);
}
