/**
 * float32 reductions with 128-bit SIMD over a contiguous [outer, red, inner] view.
 * Sums accumulate in float64 (f64x2 lanes), as the js reference does, so results agree with it
 * to float32 rounding rather than drifting by √n·ε. max/min use compare + bitselect so that NaN
 * propagates exactly as in the js kernel.
 */

export const SUM = 0, MAX = 1, MIN = 2;

@inline function pick(op: i32, v: v128, acc: v128): v128 {
  // NOTE: take v when it beats acc or is NaN (NaN then sticks: nothing compares greater).
  const better = op == MAX ? f32x4.gt(v, acc) : f32x4.lt(v, acc);
  return v128.bitselect(v, acc, v128.or(better, f32x4.ne(v, v)));
}

@inline function pickScalar(op: i32, v: f32, acc: f32): f32 {
  return (op == MAX ? v > acc : v < acc) || v != v ? v : acc;
}

/** out[r] = Σ x[r, 0..n) in float64. */
function sumRows(x: usize, out: usize, rows: i32, n: i32): void {
  const bytes = <usize>n * 4, vecEnd = <usize>(n & ~7) * 4;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * bytes;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    for (let i: usize = 0; i < vecEnd; i += 32) {
      const v = v128.load(row + i), w = v128.load(row + i, 16);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
      s2 = f64x2.add(s2, f64x2.promote_low_f32x4(w));
      s3 = f64x2.add(s3, f64x2.promote_low_f32x4(v128.shuffle<f32>(w, w, 2, 3, 2, 3)));
    }
    const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
    let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    for (let i = vecEnd; i < bytes; i += 4) total += <f64>load<f32>(row + i);
    store<f32>(out + <usize>r * 4, <f32>total);
  }
}

@inline function extremeRows(op: i32, x: usize, out: usize, rows: i32, n: i32): void {
  const bytes = <usize>n * 4, vecEnd = <usize>(n & ~3) * 4;
  const init: f32 = op == MAX ? -Infinity : Infinity;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * bytes;
    let acc = f32x4.splat(init);
    for (let i: usize = 0; i < vecEnd; i += 16) acc = pick(op, v128.load(row + i), acc);
    let best = init;
    best = pickScalar(op, f32x4.extract_lane(acc, 0), best);
    best = pickScalar(op, f32x4.extract_lane(acc, 1), best);
    best = pickScalar(op, f32x4.extract_lane(acc, 2), best);
    best = pickScalar(op, f32x4.extract_lane(acc, 3), best);
    for (let i = vecEnd; i < bytes; i += 4) best = pickScalar(op, load<f32>(row + i), best);
    store<f32>(out + <usize>r * 4, best);
  }
}

/**
 * out[i] = Σ_r x[r, i] for i < inner over red rows `stride` floats apart, accumulating in the
 * f64 scratch `acc` (inner elements). Each column is summed in row order whatever `inner`, so
 * a range of columns gives the same bits as the whole row (threads split columns).
 */
function sumColumns(x: usize, out: usize, red: i32, inner: i32, stride: i32, acc: usize): void {
  const n4 = inner & ~3;
  memory.fill(acc, 0, <usize>inner * 8);
  for (let r = 0; r < red; r++) {
    const row = x + <usize>r * stride * 4;
    for (let i = 0; i < n4; i += 4) {
      const v = v128.load(row + <usize>i * 4);
      const p = acc + <usize>i * 8;
      v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v)));
      v128.store(p, f64x2.add(v128.load(p, 16),
        f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3))), 16);
    }
    for (let i = n4; i < inner; i++) {
      const p = acc + <usize>i * 8;
      store<f64>(p, load<f64>(p) + <f64>load<f32>(row + <usize>i * 4));
    }
  }
  for (let i = 0; i < inner; i++) store<f32>(out + <usize>i * 4, <f32>load<f64>(acc + <usize>i * 8));
}

@inline function extremeColumns(op: i32, x: usize, out: usize, red: i32, inner: i32, stride: i32): void {
  const n4 = inner & ~3;
  const init: f32 = op == MAX ? -Infinity : Infinity;
  for (let i = 0; i < inner; i++) store<f32>(out + <usize>i * 4, init);
  for (let r = 0; r < red; r++) {
    const row = x + <usize>r * stride * 4;
    for (let i = 0; i < n4; i += 4) {
      const p = out + <usize>i * 4;
      v128.store(p, pick(op, v128.load(row + <usize>i * 4), v128.load(p)));
    }
    for (let i = n4; i < inner; i++) {
      const p = out + <usize>i * 4;
      store<f32>(p, pickScalar(op, load<f32>(row + <usize>i * 4), load<f32>(p)));
    }
  }
}

/**
 * Reduces x viewed as [outer, red, inner] over the middle axis into out [outer, inner].
 * `acc` is float64 scratch of `inner` elements (used by sums over a non-last axis).
 */
export function reduceF32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32,
  acc: usize): void {
  if (inner == 1) {
    if (op == SUM) sumRows(x, out, outer, red);
    else if (op == MAX) extremeRows(MAX, x, out, outer, red);
    else extremeRows(MIN, x, out, outer, red);
    return;
  }
  for (let o = 0; o < outer; o++) {
    const src = x + <usize>o * red * inner * 4, dst = out + <usize>o * inner * 4;
    reduceColumnsF32(op, src, dst, red, inner, inner, acc);
  }
}

/**
 * out[i] = op over r of x[r·stride + i], for i < cols: a range of columns of a [red, stride]
 * block (the threaded reduction splits the columns). `acc` is f64 scratch of `cols` elements.
 */
export function reduceColumnsF32(op: i32, x: usize, out: usize, red: i32, cols: i32, stride: i32,
  acc: usize): void {
  if (op == SUM) sumColumns(x, out, red, cols, stride, acc);
  else if (op == MAX) extremeColumns(MAX, x, out, red, cols, stride);
  else extremeColumns(MIN, x, out, red, cols, stride);
}
