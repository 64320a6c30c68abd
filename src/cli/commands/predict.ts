/**
 * `gradflow predict <model> <input>`: the model's outputs for the samples of an array file
 * (.npy, IDX, JSON; one sample or a batch), preprocessed as the model was trained. Classifiers
 * give, per sample, the class id, its name when the run's dataset is known, its probability,
 * and with --top K the K most likely classes; other models give their raw outputs.
 * Formats: json (default), csv, npy (the raw output array; needs --output). Notes go to stderr,
 * so stdout holds only the predictions.
 */
import { extname, resolve } from 'node:path';
import type { Tensor } from '../../core/tensor.js';
import type { Model } from '../../models/model.js';
import { writeFileAtomic } from '../../saving/files.js';
import { DATASETS, preprocess, readArrayFile } from '../data.js';
import { println, UsageError, type CliIO, shownPath } from '../io.js';
import { choosePreprocessing, describePreprocessing, loadModelFile, readRunRecord, type PreprocessingFlag } from '../model-files.js';
import { batchOf } from './evaluate.js';

export const PREDICT_FORMATS = ['json', 'csv', 'npy'] as const;
export type PredictFormat = (typeof PREDICT_FORMATS)[number];

export interface PredictOptions {
  output?: string;
  format?: PredictFormat;
  top?: number;
  batchSize?: number;
  preprocessing?: PreprocessingFlag;
}

type Kind = 'multiclass' | 'binary' | 'raw';

/** How to read the outputs: from the loss the model was compiled with, else from the output's size. */
export function outputKind(model: Model, outputs: Tensor): Kind {
  const loss = model.compileConfig()?.loss;
  const name = typeof loss === 'string' ? loss : (loss as { className?: string } | null)?.className ?? '';
  const lossName = name.replace(/[_\s]/g, '').toLowerCase();
  if (lossName.includes('binarycrossentropy')) return 'binary';
  if (lossName.includes('categoricalcrossentropy')) return 'multiclass';
  if (lossName !== '') return 'raw';
  return outputs.rank === 2 && outputs.shape[1] > 1 ? 'multiclass' : 'raw';
}

interface Ranked { class: number; label?: string; probability: number }

export interface Prediction {
  index: number;
  class?: number;
  label?: string;
  probability?: number;
  top?: Ranked[];
  output?: number[];
}

export function predictions(outputs: Tensor, kind: Kind, top: number, labels: readonly string[] | null): Prediction[] {
  const n = outputs.shape[0];
  const width = outputs.size / Math.max(n, 1);
  const data = outputs.data;
  const out: Prediction[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(data.subarray(i * width, (i + 1) * width));
    if (kind === 'raw' || (kind === 'binary' && width !== 1)) { out.push({ index: i, output: row }); continue; }
    const ranked: Ranked[] = kind === 'binary'
      ? [{ class: 1, probability: row[0] }, { class: 0, probability: 1 - row[0] }].sort((a, b) => b.probability - a.probability)
      : row.map((p, c) => ({ class: c, probability: p })).sort((a, b) => b.probability - a.probability || a.class - b.class);
    const named = ranked.slice(0, top).map((r) => (labels?.[r.class] !== undefined ? { class: r.class, label: labels[r.class], probability: r.probability } : r));
    out.push({ index: i, ...named[0], ...(top > 1 ? { top: named } : {}) });
  }
  return out;
}

export function toCsv(rows: Prediction[], top: number): string {
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  if (rows.length > 0 && rows[0].output !== undefined) {
    const width = rows[0].output.length;
    return `${['index', ...Array.from({ length: width }, (_, j) => `output_${j}`)].join(',')}\n${rows.map((r) => [r.index, ...r.output!].join(',')).join('\n')}\n`;
  }
  const labelled = rows.some((r) => r.label !== undefined);
  const header = ['index'];
  for (let k = 1; k <= top; k++) {
    const s = k === 1 ? '' : `_${k}`;
    header.push(`class${s}`, ...(labelled ? [`label${s}`] : []), `probability${s}`);
  }
  const lines = rows.map((r) => {
    const ranked = r.top ?? [{ class: r.class!, label: r.label, probability: r.probability! }];
    return [String(r.index), ...ranked.flatMap((e) => [String(e.class), ...(labelled ? [q(e.label ?? '')] : []), String(e.probability)])].join(',');
  });
  return `${header.join(',')}\n${lines.join('\n')}\n`;
}

/** A .npy file (format 1.0, little-endian float32, C order) of the output array. */
export function encodeNpy(t: Tensor): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const values = Float32Array.from(t.data);
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(values.buffer), 10 + header.length);
  return out;
}

function chooseFormat(options: PredictOptions): PredictFormat {
  if (options.format !== undefined) return options.format;
  const ext = options.output !== undefined ? extname(options.output).slice(1).toLowerCase() : '';
  return (PREDICT_FORMATS as readonly string[]).includes(ext) ? (ext as PredictFormat) : 'json';
}

export async function predictCommand(modelArg: string, inputArg: string, options: PredictOptions, io: CliIO): Promise<void> {
  const format = chooseFormat(options);
  if (format === 'npy' && options.output === undefined) throw new UsageError('--format npy writes a binary file: give --output FILE');
  const top = options.top ?? 1;
  const { model, path } = await loadModelFile(modelArg, io.cwd);
  const run = await readRunRecord(path, io.cwd);
  const file = await readArrayFile(inputArg, io.cwd, '<input>');
  const chosen = choosePreprocessing(options.preprocessing ?? 'auto', run, { dataset: false, bytes: file.bytes });
  const x = batchOf(model, preprocess(file.tensor, chosen.kind, run.standardization));
  const outputs = await model.predict(x, { batchSize: options.batchSize ?? 32 });
  println(io.stderr, `${x.shape[0]} sample${x.shape[0] === 1 ? '' : 's'} from ${inputArg}; preprocessing: ${describePreprocessing(chosen.kind)}, ${chosen.why}`);
  const kind = outputKind(model, outputs);
  const width = outputs.size / Math.max(outputs.shape[0], 1);
  if (kind === 'multiclass' && top > width) throw new UsageError(`--top ${top}: the model predicts ${width} classes; expected 1 … ${width}`);
  const labels = run.dataset !== null ? DATASETS[run.dataset].classNames : null;
  const rows = predictions(outputs, kind, top, labels);
  const bytes = format === 'npy' ? encodeNpy(outputs)
    : new TextEncoder().encode(format === 'csv' ? toCsv(rows, top) : `${JSON.stringify(rows, null, 2)}\n`);
  if (options.output === undefined) {
    io.stdout.write(new TextDecoder().decode(bytes));
    return;
  }
  const target = resolve(io.cwd, options.output);
  await writeFileAtomic(target, bytes);
  println(io.stdout, `wrote ${rows.length} prediction${rows.length === 1 ? '' : 's'} (${format}) to ${shownPath(io.cwd, target)}`);
}
