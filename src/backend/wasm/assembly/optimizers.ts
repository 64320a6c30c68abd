/**
 * The optimizers' in-place steps (Kernels.sgdUpdate, Kernels.adamUpdate) with 128-bit SIMD.
 * Same operations, in the same order, as the js reference kernels (src/backend/js/
 * elementwise.ts), so the same bits: SGD on float32 weights rounds each f32 operation (f32x4
 * ops are correctly rounded, as Math.fround of the double result is), and Adam computes in
 * f64 (f64x2: the JS number arithmetic, sqrt included) and rounds once per store.
 */

/**
 * SGD: w ← w − lr·g; with momentum (v ≠ 0) v ← μ·v − lr·g, w ← w + v (Nesterov:
 * w ← w + (μ·v − lr·g) with the new v). w, g, v: n float32 values each.
 */
export function sgdF32(w: usize, g: usize, v: usize, n: i32, lr: f32, mu: f32, nesterov: bool): void {
  const bytes = <usize>n * 4, vecEnd = <usize>(n & ~3) * 4;
  const lr4 = f32x4.splat(lr), mu4 = f32x4.splat(mu);
  if (v == 0) {
    for (let i: usize = 0; i < vecEnd; i += 16) {
      v128.store(w + i, f32x4.sub(v128.load(w + i), f32x4.mul(lr4, v128.load(g + i))));
    }
    for (let i = vecEnd; i < bytes; i += 4) store<f32>(w + i, load<f32>(w + i) - lr * load<f32>(g + i));
  } else if (nesterov) {
    for (let i: usize = 0; i < vecEnd; i += 16) {
      const step = f32x4.mul(lr4, v128.load(g + i));
      const vi = f32x4.sub(f32x4.mul(mu4, v128.load(v + i)), step);
      v128.store(v + i, vi);
      v128.store(w + i, f32x4.add(v128.load(w + i), f32x4.sub(f32x4.mul(mu4, vi), step)));
    }
    for (let i = vecEnd; i < bytes; i += 4) {
      const step = lr * load<f32>(g + i);
      const vi = mu * load<f32>(v + i) - step;
      store<f32>(v + i, vi);
      store<f32>(w + i, load<f32>(w + i) + (mu * vi - step));
    }
  } else {
    for (let i: usize = 0; i < vecEnd; i += 16) {
      const vi = f32x4.sub(f32x4.mul(mu4, v128.load(v + i)), f32x4.mul(lr4, v128.load(g + i)));
      v128.store(v + i, vi);
      v128.store(w + i, f32x4.add(v128.load(w + i), vi));
    }
    for (let i = vecEnd; i < bytes; i += 4) {
      const vi = mu * load<f32>(v + i) - lr * load<f32>(g + i);
      store<f32>(v + i, vi);
      store<f32>(w + i, load<f32>(w + i) + vi);
    }
  }
}

@inline function adamLane(w: usize, g: usize, m: usize, v: usize, vhat: usize, i: usize,
  alpha: f64, c1: f64, c2: f64, eps: f64): void {
  const gi = <f64>load<f32>(g + i), m0 = <f64>load<f32>(m + i), v0 = <f64>load<f32>(v + i);
  const mi = m0 + (gi - m0) * c1;
  const vi = v0 + (gi * gi - v0) * c2;
  store<f32>(m + i, <f32>mi);
  store<f32>(v + i, <f32>vi);
  let hi = vi;
  if (vhat != 0) {
    // as the js kernel: the unrounded vi when it is the new maximum, else the stored one
    const h = <f64>load<f32>(vhat + i);
    if (vi > h) store<f32>(vhat + i, <f32>vi); else hi = h;
  }
  store<f32>(w + i, <f32>(<f64>load<f32>(w + i) - (alpha * mi) / (Math.sqrt(hi) + eps)));
}

/**
 * Adam (AMSGrad when vhat ≠ 0) on float32 arrays, arithmetic in f64 as the js kernel:
 * m ← m + (g − m)·c1, v ← v + (g² − v)·c2, w ← w − α·m / (√v + ε) with c1 = 1 − β1,
 * c2 = 1 − β2 and α the bias-corrected rate. Two lanes of f64 at a time.
 */
export function adamF32(w: usize, g: usize, m: usize, v: usize, vhat: usize, n: i32,
  alpha: f64, c1: f64, c2: f64, eps: f64): void {
  const bytes = <usize>n * 4;
  if (vhat != 0) {
    for (let i: usize = 0; i < bytes; i += 4) adamLane(w, g, m, v, vhat, i, alpha, c1, c2, eps);
    return;
  }
  const vecEnd = <usize>(n & ~1) * 4;
  const c14 = f64x2.splat(c1), c24 = f64x2.splat(c2), a2 = f64x2.splat(alpha), e2 = f64x2.splat(eps);
  for (let i: usize = 0; i < vecEnd; i += 8) {
    const gi = f64x2.promote_low_f32x4(v128.load64_zero(g + i));
    const m0 = f64x2.promote_low_f32x4(v128.load64_zero(m + i));
    const v0 = f64x2.promote_low_f32x4(v128.load64_zero(v + i));
    const mi = f64x2.add(m0, f64x2.mul(f64x2.sub(gi, m0), c14));
    const vi = f64x2.add(v0, f64x2.mul(f64x2.sub(f64x2.mul(gi, gi), v0), c24));
    v128.store64_lane(m + i, f32x4.demote_f64x2_zero(mi), 0);
    v128.store64_lane(v + i, f32x4.demote_f64x2_zero(vi), 0);
    const w0 = f64x2.promote_low_f32x4(v128.load64_zero(w + i));
    const wi = f64x2.sub(w0, f64x2.div(f64x2.mul(a2, mi), f64x2.add(f64x2.sqrt(vi), e2)));
    v128.store64_lane(w + i, f32x4.demote_f64x2_zero(wi), 0);
  }
  for (let i = vecEnd; i < bytes; i += 4) adamLane(w, g, m, v, 0, i, alpha, c1, c2, eps);
}
