/**
 * The fused Dense kernels as chains of a backend's own kernels: the default of every backend
 * that has no fused Dense of its own (registry.ts, registerComposite), the js reference among
 * them. The chains are exactly the unfused op sequence — matmul, add, relu forward; reluGrad,
 * matmul, sum, matmul backward — so a backend's fused kernel is checked against its own chain
 * bit for bit (test/fused-dense.test.ts).
 */
import type { DType } from '../../core/dtype.js';
import type { DenseActivation, DenseGradNeeds, DenseGrads, Kernels, TensorInfo } from '../backend.js';

/** A 2-D operand as the [1, rows, cols] batch that the matmul kernel takes. */
const batchOf = (t: TensorInfo): TensorInfo => ({ data: t.data, shape: [1, t.shape[0], t.shape[1]], dtype: t.dtype });

export function composeDense(k: Kernels): Kernels['dense'] {
  return (x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: DenseActivation, dtype: DType) => {
    const shape = [x.shape[0], w.shape[1]];
    let y = k.matmul(batchOf(x), batchOf(w), false, false, dtype);
    if (bias) y = k.binary('add', { data: y, shape, dtype }, bias, shape, dtype);
    if (activation === 'relu') y = k.unary('relu', { data: y, shape, dtype }, dtype);
    return y;
  };
}

export function composeDenseGrad(k: Kernels): Kernels['denseGrad'] {
  return (x: TensorInfo, w: TensorInfo, y: TensorInfo, dy: TensorInfo, activation: DenseActivation,
    needs: DenseGradNeeds): DenseGrads => {
    const dtype = dy.dtype;
    const shape = dy.shape;
    const g: TensorInfo = activation === 'relu'
      ? { data: k.binary('reluGrad', dy, y, shape, dtype), shape, dtype }
      : dy;
    return {
      dw: needs.w ? k.matmul(batchOf(x), batchOf(g), true, false, dtype) : null,
      db: needs.b ? k.reduce('sum', g, [0]) : null,
      dx: needs.x ? k.matmul(batchOf(g), batchOf(w), false, true, dtype) : null,
    };
  };
}
