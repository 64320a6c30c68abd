/**
 * What the compiled kernels (wasm/assembly/*.ts and native/gradflow.cc) share: their numeric op
 * codes, and how an operand of an element-wise op is laid out relative to the output viewed as
 * [rows, cols]. Both kernels cover the same three layouts and leave the rest to `js`.
 */
import type { BinaryOp, ReduceOp, TensorInfo, UnaryOp } from './backend.js';

export const BINARY_CODES: Partial<Record<BinaryOp, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5,
  greater: 6, greaterEqual: 7, less: 8, lessEqual: 9, equal: 10, notEqual: 11, reluGrad: 12,
};
export const UNARY_CODES: Partial<Record<UnaryOp, number>> = { neg: 0, abs: 1, sqrt: 2, reciprocal: 3, sign: 4, relu: 5 };
export const REDUCE_CODES: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2 };

/** full: the output's shape; row: one [cols] row repeated; scalar: one value. */
export type Layout = 'full' | 'row' | 'scalar';

export function layoutOf(x: TensorInfo, size: number, cols: number): Layout | null {
  const n = x.data.length;
  if (n === size) return 'full';
  if (n === 1) return 'scalar';
  if (n === cols && x.shape[x.shape.length - 1] === cols) return 'row';
  return null;
}
