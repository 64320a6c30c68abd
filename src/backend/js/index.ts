/**
 * The `js` backend: readable reference kernels for float32, float64 and int32. Every other
 * backend falls back to these for kernels it does not provide, and the conformance suite
 * compares every backend against them in float64.
 */
import { registerBackend, registerComposite, registerKernel } from '../registry.js';
import { composeDense, composeDenseGrad } from './dense-composite.js';
import { batchNorm, batchNormGrad } from './batch-norm.js';
import { adamUpdate, binary, cast, clip, sgdUpdate, sumSquares, unary, where } from './elementwise.js';
import { softmax, sparseSoftmaxCrossEntropy, sparseSoftmaxCrossEntropyGrad } from './loss-kernels.js';
import { matmul } from './matmul.js';
import { argReduce, reduce, transposeData } from './reduce.js';
import { broadcastTo, concat, gather, pad, scatterAdd, slice } from './shape-kernels.js';

registerBackend({
  name: 'js',
  isAvailable: () => true,
  describe: () => ({ backend: 'js', simd: false, threads: 1 }),
});
registerKernel('unary', 'js', unary);
registerKernel('binary', 'js', binary);
registerKernel('reduce', 'js', reduce);
registerKernel('argReduce', 'js', argReduce);
registerKernel('matmul', 'js', matmul);
registerKernel('transpose', 'js', transposeData);
registerKernel('slice', 'js', slice);
registerKernel('pad', 'js', pad);
registerKernel('broadcastTo', 'js', broadcastTo);
registerKernel('concat', 'js', concat);
registerKernel('gather', 'js', gather);
registerKernel('scatterAdd', 'js', scatterAdd);
registerKernel('where', 'js', where);
registerKernel('clip', 'js', clip);
registerKernel('cast', 'js', cast);
registerKernel('sgdUpdate', 'js', sgdUpdate);
registerKernel('adamUpdate', 'js', adamUpdate);
registerKernel('sumSquares', 'js', sumSquares);
registerKernel('softmax', 'js', softmax);
registerKernel('sparseSoftmaxCrossEntropy', 'js', sparseSoftmaxCrossEntropy);
registerKernel('sparseSoftmaxCrossEntropyGrad', 'js', sparseSoftmaxCrossEntropyGrad);
// plain loops over the arrays: the default of every backend (few passes, no GEMM to delegate)
registerKernel('batchNorm', 'js', batchNorm);
registerKernel('batchNormGrad', 'js', batchNormGrad);
// fused Dense: every backend without its own gets the chain of its own kernels
registerComposite('dense', composeDense);
registerComposite('denseGrad', composeDenseGrad);
