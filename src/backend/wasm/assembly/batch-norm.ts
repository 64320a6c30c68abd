/**
 * The fused batch normalization over the rows of x [rows, cols] (Kernels.batchNorm /
 * batchNormGrad), float32 data with float64 statistics: the js reference kernel's operations
 * (src/backend/js/batch-norm.ts) in the same order, so the same bits. Columns are independent,
 * so two of them go through one f64x2 lane pair; each column's sums still run over the rows in
 * order. Pointers are byte offsets; f64 arrays are 8-byte aligned.
 */

@inline function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

@inline function store2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/**
 * Forward, training mode: mean and (biased) variance per column in one pass shifted by the first
 * row, then y = (x − mean)·γ/√(var + ε) + β. gamma, beta: 0 when absent. s1, s2: cols f64 each.
 */
export function batchNormF32(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, variance: usize,
  s1: usize, s2: usize, rows: i32, cols: i32, eps: f64): void {
  const n = <usize>cols, pairs = n & ~1, r64 = <f64>rows;
  memory.fill(s1, 0, n * 8);
  memory.fill(s2, 0, n * 8);
  for (let r: usize = 1; r < <usize>rows; r++) {
    const row = x + r * n * 4;
    let c: usize = 0;
    for (; c < pairs; c += 2) {
      const d = f64x2.sub(load2(row + c * 4), load2(x + c * 4));
      v128.store(s1 + c * 8, f64x2.add(v128.load(s1 + c * 8), d));
      v128.store(s2 + c * 8, f64x2.add(v128.load(s2 + c * 8), f64x2.mul(d, d)));
    }
    for (; c < n; c++) {
      const d = <f64>load<f32>(row + c * 4) - <f64>load<f32>(x + c * 4);
      store<f64>(s1 + c * 8, load<f64>(s1 + c * 8) + d);
      store<f64>(s2 + c * 8, load<f64>(s2 + c * 8) + d * d);
    }
  }
  for (let c: usize = 0; c < n; c++) {
    const a = load<f64>(s1 + c * 8), b = load<f64>(s2 + c * 8);
    store<f64>(mean + c * 8, <f64>load<f32>(x + c * 4) + a / r64);
    const v = (b - (a * a) / r64) / r64;
    const variance0 = v < 0 ? 0 : v; // rounding can leave a constant column at −0.0…
    store<f64>(variance + c * 8, variance0);
    // s1 becomes the scale γ/√(var + ε)
    store<f64>(s1 + c * 8, (gamma != 0 ? <f64>load<f32>(gamma + c * 4) : 1.0) / Math.sqrt(variance0 + eps));
  }
  for (let r: usize = 0; r < <usize>rows; r++) {
    const src = x + r * n * 4, dst = y + r * n * 4;
    let c: usize = 0;
    for (; c < pairs; c += 2) {
      let v = f64x2.mul(f64x2.sub(load2(src + c * 4), v128.load(mean + c * 8)), v128.load(s1 + c * 8));
      if (beta != 0) v = f64x2.add(v, load2(beta + c * 4));
      store2(dst + c * 4, v);
    }
    for (; c < n; c++) {
      const v = (<f64>load<f32>(src + c * 4) - load<f64>(mean + c * 8)) * load<f64>(s1 + c * 8);
      store<f32>(dst + c * 4, <f32>(beta != 0 ? v + <f64>load<f32>(beta + c * 4) : v));
    }
  }
}

/**
 * Backward: dβ = Σ dy, dγ = Σ dy·x̂ (x̂ = (x − mean)/√(var + ε)), then, when dx ≠ 0,
 * dx = γ/√(var + ε)·(dy − dβ/n − x̂·dγ/n). dgamma, dbeta: float32 outputs, 0 when not needed.
 * work: 5·cols f64.
 */
export function batchNormGradF32(x: usize, gamma: usize, mean: usize, variance: usize, dy: usize,
  dx: usize, dgamma: usize, dbeta: usize, work: usize, rows: i32, cols: i32, eps: f64): void {
  const n = <usize>cols, pairs = n & ~1, r64 = <f64>rows;
  const invStd = work, sumDy = work + n * 8, sumDyXhat = work + n * 16, scale = work + n * 24, meanDy = work + n * 32;
  memory.fill(sumDy, 0, n * 16);
  for (let c: usize = 0; c < n; c++) store<f64>(invStd + c * 8, 1.0 / Math.sqrt(load<f64>(variance + c * 8) + eps));
  for (let r: usize = 0; r < <usize>rows; r++) {
    const xr = x + r * n * 4, gr = dy + r * n * 4;
    let c: usize = 0;
    for (; c < pairs; c += 2) {
      const d = load2(gr + c * 4);
      const xhat = f64x2.mul(f64x2.sub(load2(xr + c * 4), v128.load(mean + c * 8)), v128.load(invStd + c * 8));
      v128.store(sumDy + c * 8, f64x2.add(v128.load(sumDy + c * 8), d));
      v128.store(sumDyXhat + c * 8, f64x2.add(v128.load(sumDyXhat + c * 8), f64x2.mul(d, xhat)));
    }
    for (; c < n; c++) {
      const d = <f64>load<f32>(gr + c * 4);
      store<f64>(sumDy + c * 8, load<f64>(sumDy + c * 8) + d);
      const xhat = (<f64>load<f32>(xr + c * 4) - load<f64>(mean + c * 8)) * load<f64>(invStd + c * 8);
      store<f64>(sumDyXhat + c * 8, load<f64>(sumDyXhat + c * 8) + d * xhat);
    }
  }
  if (dx != 0) {
    // scale = γ·invStd; meanDy = Σdy / n; sumDyXhat becomes Σ dy·x̂ / n after dγ is written
    for (let c: usize = 0; c < n; c++) {
      store<f64>(scale + c * 8, (gamma != 0 ? <f64>load<f32>(gamma + c * 4) : 1.0) * load<f64>(invStd + c * 8));
      store<f64>(meanDy + c * 8, load<f64>(sumDy + c * 8) / r64);
    }
  }
  for (let c: usize = 0; c < n; c++) {
    if (dgamma != 0) store<f32>(dgamma + c * 4, <f32>load<f64>(sumDyXhat + c * 8));
    if (dbeta != 0) store<f32>(dbeta + c * 4, <f32>load<f64>(sumDy + c * 8));
  }
  if (dx == 0) return;
  const meanDyXhat = sumDyXhat;
  for (let c: usize = 0; c < n; c++) store<f64>(meanDyXhat + c * 8, load<f64>(sumDyXhat + c * 8) / r64);
  for (let r: usize = 0; r < <usize>rows; r++) {
    const xr = x + r * n * 4, gr = dy + r * n * 4, out = dx + r * n * 4;
    let c: usize = 0;
    for (; c < pairs; c += 2) {
      const xhat = f64x2.mul(f64x2.sub(load2(xr + c * 4), v128.load(mean + c * 8)), v128.load(invStd + c * 8));
      const inner = f64x2.sub(f64x2.sub(load2(gr + c * 4), v128.load(meanDy + c * 8)), f64x2.mul(xhat, v128.load(meanDyXhat + c * 8)));
      store2(out + c * 4, f64x2.mul(v128.load(scale + c * 8), inner));
    }
    for (; c < n; c++) {
      const xhat = (<f64>load<f32>(xr + c * 4) - load<f64>(mean + c * 8)) * load<f64>(invStd + c * 8);
      const inner = (<f64>load<f32>(gr + c * 4) - load<f64>(meanDy + c * 8)) - xhat * load<f64>(meanDyXhat + c * 8);
      store<f32>(out + c * 4, <f32>(load<f64>(scale + c * 8) * inner));
    }
  }
}
