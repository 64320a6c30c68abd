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
  const widths = [33, 26, 12];
  const line = (cells: string[]): string =>
    ' ' + cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('');
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((p, w) => p + w.size, 0);
  const out = [
    `Model: "${model.name}"`,
    '_'.repeat(72),
    line(['Layer (type)', 'Output Shape', 'Param #']),
    '='.repeat(72),
  ];
  rows.forEach(({ layer, outputShape }, i) => {
    const type = (layer.constructor as typeof Layer).className;
    out.push(line([`${layer.name} (${type})`, formatShape(outputShape), formatCount(layer.countParams())]));
    if (i < rows.length - 1) out.push('');
  });
  out.push('='.repeat(72));
  out.push(`Total params: ${formatCount(total)}`);
  out.push(`Trainable params: ${formatCount(trainable)}`);
  out.push(`Non-trainable params: ${formatCount(total - trainable)}`);
  out.push('_'.repeat(72));
  return out.join('\n');
}
