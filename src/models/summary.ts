/** The Keras summary table: layer (type), output shape, parameter count, and the totals. */
import type { Layer, LayerShape } from '../layers/layer.js';

/** What summary needs of a model: its layers in order, with their output shapes. */
export interface Summarizable extends Layer {
  summaryRows(): Array<{ layer: Layer; outputShape: LayerShape | null }>;
}

const formatShape = (s: LayerShape | null): string =>
  s === null ? '?' : `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
const formatCount = (n: number): string => n.toLocaleString('en-US');

export function summary(model: Layer): string {
  const rows = 'summaryRows' in model ? (model as Summarizable).summaryRows() : [];
  const cells = rows.map(({ layer, outputShape }) => [
    `${layer.name} (${(layer.constructor as typeof Layer).className})`, formatShape(outputShape), formatCount(layer.countParams()),
  ]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  // columns fit their widest cell (Keras' minimum widths otherwise), two spaces apart
  const widths = [33, 26, 12].map((min, i) => Math.max(min, ...[header, ...cells].map((r) => r[i].length + 2)));
  const line = (r: string[]): string => ' ' + r.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('');
  const rule = (ch: string): string => ch.repeat(widths.reduce((p, w) => p + w, 1));
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((p, w) => p + w.size, 0);
  const out = [`Model: "${model.name}"`, rule('_'), line(header), rule('=')];
  cells.forEach((r, i) => {
    out.push(line(r));
    if (i < cells.length - 1) out.push('');
  });
  out.push(rule('='));
  out.push(`Total params: ${formatCount(total)}`);
  out.push(`Trainable params: ${formatCount(trainable)}`);
  out.push(`Non-trainable params: ${formatCount(total - trainable)}`);
  out.push(rule('_'));
  return out.join('\n');
}
