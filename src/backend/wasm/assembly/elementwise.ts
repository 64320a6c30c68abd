/**
 * float32 element-wise kernels with 128-bit SIMD. Results match the js reference bit for bit:
 * + − × ÷ and sqrt are correctly rounded in both (rounding the float64 result of an f32
 * operation to f32 gives the correctly rounded f32 result), and maximum/minimum/sign are
 * written with compares + bitselect to keep the js NaN and signed-zero behaviour.
 *
 * Each op is dispatched once, outside the loops: the loop bodies are @inline with a constant
 * op, which Binaryen folds, so every (op, layout) pair gets its own tight loop.
 */

export const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5;
export const GREATER = 6, GREATER_EQUAL = 7, LESS = 8, LESS_EQUAL = 9, EQUAL = 10, NOT_EQUAL = 11, RELU_GRAD = 12;
export const NEG = 0, ABS = 1, SQRT = 2, RECIPROCAL = 3, SIGN = 4, RELU = 5;

@inline function vop(op: i32, x: v128, y: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case ADD: return f32x4.add(x, y);
    case SUB: return f32x4.sub(x, y);
    case MUL: return f32x4.mul(x, y);
    case DIV: return f32x4.div(x, y);
    // NOTE: js maximum is (a >= b || isNaN(a)) ? a : b; f32x4.max differs on ±0.
    case MAXIMUM: return v128.bitselect(x, y, v128.or(f32x4.ge(x, y), f32x4.ne(x, x)));
    case MINIMUM: return v128.bitselect(x, y, v128.or(f32x4.le(x, y), f32x4.ne(x, x)));
    case GREATER: return v128.and(f32x4.gt(x, y), one);
    case GREATER_EQUAL: return v128.and(f32x4.ge(x, y), one);
    case LESS: return v128.and(f32x4.lt(x, y), one);
    case LESS_EQUAL: return v128.and(f32x4.le(x, y), one);
    case EQUAL: return v128.and(f32x4.eq(x, y), one);
    // reluGrad(dy, y): dy where y > 0 (a NaN y compares false → 0, as the js kernel)
    case RELU_GRAD: return v128.and(x, f32x4.gt(y, f32x4.splat(0)));
    default: return v128.and(f32x4.ne(x, y), one);
  }
}

@inline function sop(op: i32, x: f32, y: f32): f32 {
  switch (op) {
    case ADD: return x + y;
    case SUB: return x - y;
    case MUL: return x * y;
    case DIV: return x / y;
    case MAXIMUM: return x >= y || x != x ? x : y;
    case MINIMUM: return x <= y || x != x ? x : y;
    case GREATER: return <f32>(x > y);
    case GREATER_EQUAL: return <f32>(x >= y);
    case LESS: return <f32>(x < y);
    case LESS_EQUAL: return <f32>(x <= y);
    case EQUAL: return <f32>(x == y);
    case RELU_GRAD: return y > 0 ? x : 0;
    default: return <f32>(x != y);
  }
}

/**
 * out[r, j] = a[r, j] op b[r, j] over rows × cols, where an operand with row stride 0 is a row
 * vector broadcast over rows, and one flagged scalar is a single value broadcast everywhere.
 * (same shape: rows = 1; [N] over [M, N]: bRowStride = 0; scalar: bScalar = 1.)
 */
@inline function binaryLoops(op: i32, a: usize, aRowStride: usize, aScalar: bool, b: usize,
  bRowStride: usize, bScalar: bool, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols * 4;
  const vecEnd = <usize>(cols & ~3) * 4;
  for (let r = 0; r < rows; r++) {
    const pa = a + <usize>r * aRowStride * 4, pb = b + <usize>r * bRowStride * 4;
    const po = out + <usize>r * rowBytes;
    if (bScalar) {
      const s = load<f32>(b), sv = f32x4.splat(s);
      for (let i: usize = 0; i < vecEnd; i += 16) v128.store(po + i, vop(op, v128.load(pa + i), sv));
      for (let i = vecEnd; i < rowBytes; i += 4) store<f32>(po + i, sop(op, load<f32>(pa + i), s));
    } else if (aScalar) {
      const s = load<f32>(a), sv = f32x4.splat(s);
      for (let i: usize = 0; i < vecEnd; i += 16) v128.store(po + i, vop(op, sv, v128.load(pb + i)));
      for (let i = vecEnd; i < rowBytes; i += 4) store<f32>(po + i, sop(op, s, load<f32>(pb + i)));
    } else {
      for (let i: usize = 0; i < vecEnd; i += 16) {
        v128.store(po + i, vop(op, v128.load(pa + i), v128.load(pb + i)));
      }
      for (let i = vecEnd; i < rowBytes; i += 4) {
        store<f32>(po + i, sop(op, load<f32>(pa + i), load<f32>(pb + i)));
      }
    }
  }
}

export function binaryF32(op: i32, a: usize, aRowStride: usize, aScalar: bool, b: usize,
  bRowStride: usize, bScalar: bool, out: usize, rows: i32, cols: i32): void {
  switch (op) {
    case ADD: binaryLoops(ADD, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case SUB: binaryLoops(SUB, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case MUL: binaryLoops(MUL, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case DIV: binaryLoops(DIV, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case MAXIMUM: binaryLoops(MAXIMUM, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case MINIMUM: binaryLoops(MINIMUM, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case GREATER: binaryLoops(GREATER, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case GREATER_EQUAL: binaryLoops(GREATER_EQUAL, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case LESS: binaryLoops(LESS, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case LESS_EQUAL: binaryLoops(LESS_EQUAL, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case EQUAL: binaryLoops(EQUAL, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    case RELU_GRAD: binaryLoops(RELU_GRAD, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols); break;
    default: binaryLoops(NOT_EQUAL, a, aRowStride, aScalar, b, bRowStride, bScalar, out, rows, cols);
  }
}

@inline function vunary(op: i32, x: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case SQRT: return f32x4.sqrt(x);
    case RECIPROCAL: return f32x4.div(f32x4.splat(1), x);
    // x where x > 0 or x is NaN, else +0 (as the js kernel: relu(-0) = 0, relu(NaN) = NaN)
    case RELU: return v128.and(x, v128.or(f32x4.gt(x, f32x4.splat(0)), f32x4.ne(x, x)));
    default: { // NOTE: sign(±0) = ±0 and sign(NaN) = NaN, as the js kernel
      const pos = f32x4.gt(x, f32x4.splat(0)), neg = f32x4.lt(x, f32x4.splat(0));
      return v128.bitselect(f32x4.splat(1), v128.bitselect(f32x4.splat(-1), x, neg), pos);
    }
  }
}

@inline function sunary(op: i32, x: f32): f32 {
  switch (op) {
    case NEG: return -x;
    case ABS: return abs<f32>(x);
    case SQRT: return sqrt<f32>(x);
    case RECIPROCAL: return 1 / x;
    case RELU: return x > 0 || x != x ? x : 0;
    default: return x > 0 ? 1 : x < 0 ? -1 : x;
  }
}

@inline function unaryLoop(op: i32, x: usize, out: usize, n: i32): void {
  const bytes = <usize>n * 4, vecEnd = <usize>(n & ~3) * 4;
  for (let i: usize = 0; i < vecEnd; i += 16) v128.store(out + i, vunary(op, v128.load(x + i)));
  for (let i = vecEnd; i < bytes; i += 4) store<f32>(out + i, sunary(op, load<f32>(x + i)));
}

export function unaryF32(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case NEG: unaryLoop(NEG, x, out, n); break;
    case ABS: unaryLoop(ABS, x, out, n); break;
    case SQRT: unaryLoop(SQRT, x, out, n); break;
    case RECIPROCAL: unaryLoop(RECIPROCAL, x, out, n); break;
    case RELU: unaryLoop(RELU, x, out, n); break;
    default: unaryLoop(SIGN, x, out, n);
  }
}
