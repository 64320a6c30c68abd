/**
 * Single-precision GEMM, C = op(A)·op(B), with 128-bit SIMD, in the packed, register-tiled
 * scheme of GotoBLAS (K. Goto and R. van de Geijn, "Anatomy of High-Performance Matrix
 * Multiplication", ACM TOMS 34(3), 2008) and BLIS:
 *
 *   for jc over N in NC blocks              B block (kc × nc) lives in L2/L3
 *     for pc over K in KC panels            rank-kc update of C
 *       pack B(pc:pc+kc, jc:jc+nc) into 8-wide column micro-panels
 *       for ic over M in MC blocks          A block (mc × kc) lives in L2
 *         pack A(ic:ic+mc, pc:pc+kc) into 4-high row micro-panels
 *         for each 8-wide B micro-panel     stays in L1 while
 *           for each 4-high A micro-panel   A micro-panels stream through it
 *             4×8 micro-kernel: 8 v128 accumulators (4 rows × 2 vectors)
 *
 * Transposition is absorbed entirely by the packing routines: the micro-kernel always sees the
 * same packed layout, so A·B, Aᵀ·B, A·Bᵀ and Aᵀ·Bᵀ run at the same speed. Packing also zero-pads
 * edge micro-panels, so the micro-kernel always computes a full 4×8 tile; only the store of an
 * edge tile is special-cased.
 *
 * Why 4×8: x86 has 16 xmm registers. 8 accumulators + 2 B vectors + 1 splatted A value = 11
 * live v128s; a larger tile spills. Relaxed-SIMD FMA is not enabled in Node 20's V8
 * (--experimental-wasm-relaxed-simd), so each step is f32x4.mul + f32x4.add; Zen 4 issues them
 * on separate pipes, which is what makes ~16 flop/cycle reachable.
 */

// Micro-tile (fixed by the register budget above).
const MR: i32 = 4;
const NR: i32 = 8;

// Cache blocking; tuned on Zen 4 (32 KiB L1d, 1 MiB L2) and settable for experiments.
let KC: i32 = 256;
let MC: i32 = 128;
let NC: i32 = 1024;

export function setBlocking(kc: i32, mc: i32, nc: i32): void {
  KC = max(kc, 1);
  MC = max((mc + MR - 1) / MR * MR, MR);
  NC = max((nc + NR - 1) / NR * NR, NR);
}

/** Splits `total` into equal blocks of at most `limit`, rounded up to a multiple of `unit`. */
@inline function blockSize(total: i32, limit: i32, unit: i32): i32 {
  const blocks = (total + limit - 1) / limit;
  const size = (total + blocks - 1) / blocks;
  return (size + unit - 1) / unit * unit;
}

/** Rounds `total` up to a multiple of `unit`, capped at `limit` (a multiple of `unit`). */
@inline function blockBound(total: i32, limit: i32, unit: i32): i32 {
  return min((max(total, 1) + unit - 1) / unit * unit, limit);
}

/**
 * Bytes of packing workspace sgemm() needs for these sizes (16-byte aligned chunks). An upper
 * bound for every sub-range of m and n too, so that one size serves each thread's panels.
 */
export function sgemmWorkspaceBytes(m: i32, n: i32, k: i32): usize {
  const kc = blockSize(max(k, 1), KC, 4);
  const mc = blockBound(m, MC, MR);
  const nc = blockBound(n, NC, NR);
  return <usize>(kc * nc + kc * mc * 4 + MR * NR + kc * MR) * 4;
}

/**
 * The blocking that sgemm() uses: which = 0 gives the K block for this `k` (it fixes the
 * summation order of every element of C, so threads must all use the caller's), 1 the M block
 * limit MC, 2 the N block limit NC.
 */
export function sgemmBlocking(which: i32, k: i32): i32 {
  return which == 0 ? blockSize(max(k, 1), KC, 4) : which == 1 ? MC : NC;
}

/**
 * C[m×n] = op(A)·op(B), all row-major and contiguous. A is [m,k] (or [k,m] when transA);
 * B is [k,n] (or [n,k] when transB). `work` must hold sgemmWorkspaceBytes(m, n, k) bytes,
 * 16-byte aligned. C is overwritten.
 */
export function sgemm(m: i32, n: i32, k: i32, a: usize, transA: bool, b: usize, transB: bool,
  c: usize, work: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) { memory.fill(c, 0, <usize>m * n * 4); return; }
  sgemmRange(m, n, k, a, transA, b, transB, c, work, 0, m, 0, n, blockSize(k, KC, 4), MC, NC);
}

/**
 * The block C[i0:i1, j0:j1] of C = op(A)·op(B) (operands and C as in sgemm), with K blocks of
 * `kc` and M/N blocks of at most `mcLimit`/`ncLimit`. Each element of C is summed in the same
 * order whatever the range (k ascending within a K block, K blocks added in order), so
 * threads that split C into ranges produce exactly the bits of one sgemm() call with the same kc.
 * `work` holds sgemmWorkspaceBytes(m, n, k) bytes for the same limits.
 */
export function sgemmRange(m: i32, n: i32, k: i32, a: usize, transA: bool, b: usize, transB: bool,
  c: usize, work: usize, i0: i32, i1: i32, j0: i32, j1: i32, kc: i32, mcLimit: i32, ncLimit: i32): void {
  if (i1 <= i0 || j1 <= j0) return;
  if (k <= 0) {
    for (let i = i0; i < i1; i++) memory.fill(c + (<usize>i * n + j0) * 4, 0, <usize>(j1 - j0) * 4);
    return;
  }
  const kcMax = kc;
  const mcMax = blockSize(i1 - i0, mcLimit, MR);
  const ncMax = blockSize(j1 - j0, ncLimit, NR);
  const packB = work;
  const packA = packB + <usize>(kcMax * ncMax) * 4;
  for (let jc = j0; jc < j1; jc += ncMax) {
    const nb = min(ncMax, j1 - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kb = min(kcMax, k - pc);
      packBBlock(b, transB, n, k, pc, jc, kb, nb, packB);
      macroKernel(a, transA, m, n, k, c, i0, i1, jc, nb, pc, kb, mcMax, packB, packA);
    }
  }
}

/**
 * Bytes that hold all of op(B) packed, block after block (K blocks of `kc` within N blocks of
 * at most `ncLimit`), for sgemmPackB and sgemmRowsPacked: the threaded SGEMM packs B once,
 * shared by every thread, instead of once per row panel.
 */
export function sgemmPackedBBytes(n: i32, k: i32, kc: i32, ncLimit: i32): usize {
  const ncMax = blockSize(n, ncLimit, NR);
  return <usize>((n + ncMax - 1) / ncMax) * ((k + kc - 1) / kc) * kc * ncMax * 4;
}

/** How many blocks sgemmPackB packs op(B) into. */
export function sgemmPackedBBlocks(n: i32, k: i32, kc: i32, ncLimit: i32): i32 {
  const ncMax = blockSize(n, ncLimit, NR);
  return ((n + ncMax - 1) / ncMax) * ((k + kc - 1) / kc);
}

/** Packs block `block` (= N block index × K blocks + K block index) of op(B) into `packed`. */
export function sgemmPackB(b: usize, transB: bool, n: i32, k: i32, kc: i32, ncLimit: i32, block: i32,
  packed: usize): void {
  const ncMax = blockSize(n, ncLimit, NR);
  const kBlocks = (k + kc - 1) / kc;
  const jc = block / kBlocks * ncMax, pc = block % kBlocks * kc;
  packBBlock(b, transB, n, k, pc, jc, min(kc, k - pc), min(ncMax, n - jc),
    packed + <usize>block * kc * ncMax * 4);
}

/**
 * Rows i0..i1 of C = op(A)·op(B) with op(B) already packed by sgemmPackB (same kc, ncLimit):
 * the same arithmetic, in the same order, as sgemm. `work` as for sgemm (B's part unused).
 */
export function sgemmRowsPacked(m: i32, n: i32, k: i32, a: usize, transA: bool, packed: usize, c: usize,
  work: usize, i0: i32, i1: i32, kc: i32, mcLimit: i32, ncLimit: i32): void {
  if (i1 <= i0 || n <= 0 || k <= 0) return;
  const mcMax = blockSize(i1 - i0, mcLimit, MR);
  const ncMax = blockSize(n, ncLimit, NR);
  let block = 0;
  for (let jc = 0; jc < n; jc += ncMax) {
    for (let pc = 0; pc < k; pc += kc) {
      const packB = packed + <usize>block * kc * ncMax * 4;
      macroKernel(a, transA, m, n, k, c, i0, i1, jc, min(ncMax, n - jc), pc, min(kc, k - pc), mcMax,
        packB, work);
      block++;
    }
  }
}

/**
 * C[i0:i1, jc:jc+nb] (+)= op(A)[i0:i1, pc:pc+kb] · the packed B block at `packB`: packs A in
 * blocks of mcMax rows into `packA` (followed by a tile and a staging area) and runs the
 * micro-kernel over every tile. Accumulates into C from the second K block on.
 */
function macroKernel(a: usize, transA: bool, m: i32, n: i32, k: i32, c: usize, i0: i32, i1: i32,
  jc: i32, nb: i32, pc: i32, kb: i32, mcMax: i32, packB: usize, packA: usize): void {
  const tile = packA + <usize>(kb * mcMax) * 16;
  const stage = tile + <usize>(MR * NR) * 4;
  const accumulate = pc > 0;
  for (let ic = i0; ic < i1; ic += mcMax) {
    const mb = min(mcMax, i1 - ic);
    packABlock(a, transA, m, k, ic, pc, mb, kb, packA, stage);
    for (let jr = 0; jr < nb; jr += NR) {
      const pb = packB + <usize>(jr * kb) * 4;
      const cols = min(NR, nb - jr);
      for (let ir = 0; ir < mb; ir += MR) {
        const cPtr = c + (<usize>(ic + ir) * n + jc + jr) * 4;
        microKernel(kb, packA + <usize>(ir * kb) * 16, pb, cPtr, n, accumulate,
          min(MR, mb - ir), cols, tile);
      }
    }
  }
}

/** 4×8 tile of C (+)= packed A micro-panel (kb × 4) · packed B micro-panel (kb × 8). */
function microKernel(kb: i32, pa: usize, pb: usize, c: usize, ldc: i32, accumulate: bool,
  rows: i32, cols: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // NOTE: not unrolled. TurboFan schedules every load of the loop body first; unrolled, that
  // keeps more than 15 v128 values live and spills. A is pre-splatted by packing, so all six
  // loads are plain v128.load with folded offsets: vbroadcastss would take FP-pipe slots
  // from the multiplies and adds on Zen 4, and V8 does not fold offsets into load32_splat.
  const end = pb + <usize>kb * 32;
  while (pb < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load(pa);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load(pa, 16);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load(pa, 32);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load(pa, 48);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    pa += 64;
    pb += 32;
  }
  const full = rows == MR && cols == NR;
  // Edge tiles go through a scratch tile so that no byte outside C is touched.
  const dst = full ? c : tile;
  const ld: usize = full ? <usize>ldc * 4 : 32;
  if (full && accumulate) {
    c00 = f32x4.add(c00, v128.load(dst)); c01 = f32x4.add(c01, v128.load(dst, 16));
    c10 = f32x4.add(c10, v128.load(dst + ld)); c11 = f32x4.add(c11, v128.load(dst + ld, 16));
    c20 = f32x4.add(c20, v128.load(dst + 2 * ld)); c21 = f32x4.add(c21, v128.load(dst + 2 * ld, 16));
    c30 = f32x4.add(c30, v128.load(dst + 3 * ld)); c31 = f32x4.add(c31, v128.load(dst + 3 * ld, 16));
  }
  v128.store(dst, c00); v128.store(dst, c01, 16);
  v128.store(dst + ld, c10); v128.store(dst + ld, c11, 16);
  v128.store(dst + 2 * ld, c20); v128.store(dst + 2 * ld, c21, 16);
  v128.store(dst + 3 * ld, c30); v128.store(dst + 3 * ld, c31, 16);
  if (full) return;
  for (let r = 0; r < rows; r++) {
    const cRow = c + <usize>(r * ldc) * 4;
    const tRow = tile + <usize>r * 32;
    for (let j = 0; j < cols; j++) {
      const p = cRow + <usize>j * 4;
      const v = load<f32>(tRow + <usize>j * 4);
      store<f32>(p, accumulate ? load<f32>(p) + v : v);
    }
  }
}

/**
 * Packs op(B)(pc:pc+kb, jc:jc+nb) into ceil(nb/8) micro-panels, each kb rows of 8 floats.
 * Plain B ([k,n]): 8 contiguous floats per row. Transposed B ([n,k]): each column of op(B) is
 * contiguous, so 4 columns × 4 k-steps are read as rows and transposed in registers.
 */
function packBBlock(b: usize, trans: bool, n: i32, k: i32, pc: i32, jc: i32, kb: i32, nb: i32,
  dst: usize): void {
  for (let jr = 0; jr < nb; jr += NR) {
    const cols = min(NR, nb - jr);
    const panel = dst + <usize>(jr * kb) * 4;
    const j = jc + jr;
    if (cols < NR) {
      // op(B)(kk, jj) lives at b + (kk*n + jj) or b + (jj*k + kk)
      const sk: usize = trans ? 1 : <usize>n, sj: usize = trans ? <usize>k : 1;
      packScalar(b + (<usize>pc * sk + <usize>j * sj) * 4, sj, sk, cols, NR, kb, panel);
    } else if (trans) {
      const src = b + (<usize>j * k + pc) * 4;
      packTransposed4(src, k, kb, panel, 32);
      packTransposed4(src + <usize>(4 * k) * 4, k, kb, panel + 16, 32);
    } else {
      let src = b + (<usize>pc * n + j) * 4;
      const step = <usize>n * 4;
      for (let kk = 0; kk < kb; kk++) {
        const out = panel + <usize>kk * 32;
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
        src += step;
      }
    }
  }
}

/**
 * Packs op(A)(ic:ic+mb, pc:pc+kb) into ceil(mb/4) micro-panels of kb steps, each step holding
 * the 4 values of op(A)(i..i+3, kk) pre-splatted as 4 v128 (see microKernel for why). Each
 * panel is first gathered as kb × 4 floats into `stage`: transposed A ([k,m]) has the 4
 * values contiguous (one load), plain A ([m,k]) is transposed 4×4 in registers.
 */
function packABlock(a: usize, trans: bool, m: i32, k: i32, ic: i32, pc: i32, mb: i32, kb: i32,
  dst: usize, stage: usize): void {
  for (let ir = 0; ir < mb; ir += MR) {
    const rows = min(MR, mb - ir);
    const i = ic + ir;
    if (rows < MR) {
      const sk: usize = trans ? <usize>m : 1, si: usize = trans ? 1 : <usize>k;
      packScalar(a + (<usize>i * si + <usize>pc * sk) * 4, si, sk, rows, MR, kb, stage);
    } else if (trans) {
      let src = a + (<usize>pc * m + i) * 4;
      const step = <usize>m * 4;
      for (let kk = 0; kk < kb; kk++) {
        v128.store(stage + <usize>kk * 16, v128.load(src));
        src += step;
      }
    } else {
      packTransposed4(a + (<usize>i * k + pc) * 4, k, kb, stage, 16);
    }
    let out = dst + <usize>(ir * kb) * 16;
    for (let kk = 0; kk < kb; kk++) {
      const v = v128.load(stage + <usize>kk * 16);
      v128.store(out, v128.shuffle<f32>(v, v, 0, 0, 0, 0));
      v128.store(out, v128.shuffle<f32>(v, v, 1, 1, 1, 1), 16);
      v128.store(out, v128.shuffle<f32>(v, v, 2, 2, 2, 2), 32);
      v128.store(out, v128.shuffle<f32>(v, v, 3, 3, 3, 3), 48);
      out += 64;
    }
  }
}

/**
 * Four source lines (line l at src + l*ld floats, contiguous over k) → for each k one v128
 * (line0[k], line1[k], line2[k], line3[k]) stored at dst + k*dstStride bytes.
 */
function packTransposed4(src: usize, ld: i32, kb: i32, dst: usize, dstStride: usize): void {
  const l1 = src + <usize>ld * 4, l2 = l1 + <usize>ld * 4, l3 = l2 + <usize>ld * 4;
  let kk = 0;
  for (; kk + 4 <= kb; kk += 4) {
    const off = <usize>kk * 4;
    const r0 = v128.load(src + off), r1 = v128.load(l1 + off);
    const r2 = v128.load(l2 + off), r3 = v128.load(l3 + off);
    const lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    const hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const out = dst + <usize>kk * dstStride;
    v128.store(out, v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5));
    v128.store(out + dstStride, v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7));
    v128.store(out + 2 * dstStride, v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5));
    v128.store(out + 3 * dstStride, v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7));
  }
  for (; kk < kb; kk++) {
    const off = <usize>kk * 4;
    const out = dst + <usize>kk * dstStride;
    store<f32>(out, load<f32>(src + off));
    store<f32>(out, load<f32>(l1 + off), 4);
    store<f32>(out, load<f32>(l2 + off), 8);
    store<f32>(out, load<f32>(l3 + off), 12);
  }
}

/**
 * Generic edge packing: element (line l, step kk) at src + (l*sl + kk*sk) floats goes to
 * dst[kk*width + l]; lines count..width-1 are zero so the micro-kernel can run a full tile.
 */
function packScalar(src: usize, sl: usize, sk: usize, count: i32, width: i32, kb: i32,
  dst: usize): void {
  for (let kk = 0; kk < kb; kk++) {
    const out = dst + <usize>(kk * width) * 4;
    const s = src + <usize>kk * sk * 4;
    for (let l = 0; l < width; l++) {
      store<f32>(out + <usize>l * 4, l < count ? load<f32>(s + <usize>l * sl * 4) : 0);
    }
  }
}
