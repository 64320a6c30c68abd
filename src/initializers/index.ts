/**
 * Weight initializers with Keras semantics (reference/keras-semantics.md). Notably
 * VarianceScaling's truncated normal divides σ by 0.8796… so that the *truncated* distribution
 * has variance scale/n — TensorFlow.js omits this and its 'normal' initializers come out ~12% too
 * narrow.
 *
 * `get(identifier)` accepts 'he_normal', 'heNormal', `{ className, config }` or an instance.
 */
import { allocate, isFloat, type DType } from '../core/dtype.js';
import { getRng, RandomGenerator } from '../core/random.js';
import { assertShape, formatShape, sizeOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { NameRegistry } from '../utils/registry.js';

/** Standard deviation of a unit normal truncated to [−2, 2]. */
export const TRUNCATED_NORMAL_STD = 0.87962566103423978;

export type InitializerConfig = Record<string, unknown>;

export abstract class Initializer {
  static className: string;
  /** Draws a tensor of `shape`. */
  abstract call(shape: readonly number[], dtype?: DType): Tensor;
  abstract getConfig(): InitializerConfig;

  protected rng(seed: number | undefined): RandomGenerator {
    return seed === undefined ? getRng() : new RandomGenerator(seed);
  }

  protected fill(shape: readonly number[], dtype: DType, sample: () => number): Tensor {
    const s = assertShape(shape as number[], `${(this.constructor as typeof Initializer).className}`);
    if (!isFloat(dtype)) throw new TypeError(`${(this.constructor as typeof Initializer).className}: dtype must be float32 or float64, got ${dtype}`);
    const data = allocate(dtype, sizeOf(s));
    for (let i = 0; i < data.length; i++) data[i] = sample();
    return new Tensor(data, s, dtype);
  }
}

/** Keras' fan computation: [in, out] for dense kernels; conv kernels multiply by the receptive field. */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

function finite(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

function positive(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

export class Zeros extends Initializer {
  static override className = 'Zeros';
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor { return this.fill(shape, dtype, () => 0); }
  getConfig(): InitializerConfig { return {}; }
}

export class Ones extends Initializer {
  static override className = 'Ones';
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor { return this.fill(shape, dtype, () => 1); }
  getConfig(): InitializerConfig { return {}; }
}

export class Constant extends Initializer {
  static override className = 'Constant';
  readonly value: number;
  constructor({ value = 0 }: { value?: number } = {}) { super(); this.value = finite(value, 'value', 'Constant'); }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor { return this.fill(shape, dtype, () => this.value); }
  getConfig(): InitializerConfig { return { value: this.value }; }
}

export class RandomNormal extends Initializer {
  static override className = 'RandomNormal';
  readonly mean: number; readonly stddev: number; readonly seed: number | undefined;
  constructor({ mean = 0, stddev = 0.05, seed }: { mean?: number; stddev?: number; seed?: number } = {}) {
    super(); this.mean = finite(mean, 'mean', 'RandomNormal'); this.stddev = positive(stddev, 'stddev', 'RandomNormal'); this.seed = seed;
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const r = this.rng(this.seed);
    return this.fill(shape, dtype, () => this.mean + this.stddev * r.normal());
  }
  getConfig(): InitializerConfig { return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null }; }
}

export class RandomUniform extends Initializer {
  static override className = 'RandomUniform';
  readonly minval: number; readonly maxval: number; readonly seed: number | undefined;
  constructor({ minval = -0.05, maxval = 0.05, seed }: { minval?: number; maxval?: number; seed?: number } = {}) {
    super();
    finite(minval, 'minval', 'RandomUniform');
    finite(maxval, 'maxval', 'RandomUniform');
    if (!(maxval >= minval)) throw new RangeError(`RandomUniform: expected minval ≤ maxval, got ${minval}, ${maxval}`);
    this.minval = minval; this.maxval = maxval; this.seed = seed;
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const r = this.rng(this.seed);
    return this.fill(shape, dtype, () => this.minval + (this.maxval - this.minval) * r.uniform());
  }
  getConfig(): InitializerConfig { return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null }; }
}

/** Normal truncated at ±2·stddev (stddev is σ before truncation, as Keras' TruncatedNormal). */
export class TruncatedNormal extends Initializer {
  static override className = 'TruncatedNormal';
  readonly mean: number; readonly stddev: number; readonly seed: number | undefined;
  constructor({ mean = 0, stddev = 0.05, seed }: { mean?: number; stddev?: number; seed?: number } = {}) {
    super(); this.mean = finite(mean, 'mean', 'TruncatedNormal'); this.stddev = positive(stddev, 'stddev', 'TruncatedNormal'); this.seed = seed;
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const r = this.rng(this.seed);
    return this.fill(shape, dtype, () => this.mean + this.stddev * r.truncatedNormal());
  }
  getConfig(): InitializerConfig { return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null }; }
}

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type ScalingDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingOptions {
  scale?: number;
  mode?: FanMode;
  distribution?: ScalingDistribution | 'normal';
  seed?: number;
}

/** Variance scale/n with n = fan_in, fan_out or their mean (He et al. 2015; Glorot & Bengio 2010; LeCun 1998). */
export class VarianceScaling extends Initializer {
  static override className = 'VarianceScaling';
  readonly scale: number; readonly mode: FanMode; readonly distribution: ScalingDistribution;
  readonly seed: number | undefined;

  constructor({ scale = 1, mode: modeArg = 'fan_in', distribution: distArg = 'truncated_normal', seed }: VarianceScalingOptions = {}) {
    super();
    // Keras lower-cases both ('FAN_IN' is accepted)
    const mode = (typeof modeArg === 'string' ? modeArg.toLowerCase() : modeArg) as FanMode;
    const distribution = (typeof distArg === 'string' ? distArg.toLowerCase() : distArg) as ScalingDistribution | 'normal';
    this.scale = positive(scale, 'scale', 'VarianceScaling');
    const modes: FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];
    if (!modes.includes(mode)) throw new RangeError(`VarianceScaling: mode must be one of ${modes.join(', ')}, got '${mode}'`);
    // 'normal' is Keras' legacy alias of truncated_normal
    const dist = distribution === 'normal' ? 'truncated_normal' : distribution;
    const dists: ScalingDistribution[] = ['truncated_normal', 'untruncated_normal', 'uniform'];
    if (!dists.includes(dist)) throw new RangeError(`VarianceScaling: distribution must be one of ${dists.join(', ')}, got '${distribution}'`);
    this.mode = mode; this.distribution = dist; this.seed = seed;
  }

  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const { fanIn, fanOut } = computeFans(shape);
    const n = Math.max(1, this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2);
    const variance = this.scale / n;
    const r = this.rng(this.seed);
    if (this.distribution === 'truncated_normal') {
      const sigma = Math.sqrt(variance) / TRUNCATED_NORMAL_STD;
      return this.fill(shape, dtype, () => sigma * r.truncatedNormal());
    }
    if (this.distribution === 'untruncated_normal') {
      const sigma = Math.sqrt(variance);
      return this.fill(shape, dtype, () => sigma * r.normal());
    }
    const limit = Math.sqrt(3 * variance);
    return this.fill(shape, dtype, () => (2 * r.uniform() - 1) * limit);
  }

  getConfig(): InitializerConfig {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

/** The named VarianceScaling presets: only the seed is configurable. */
abstract class VarianceScalingPreset extends VarianceScaling {
  override getConfig(): InitializerConfig { return { seed: this.seed ?? null }; }
}

/** Glorot & Bengio (2010): VarianceScaling(scale 1, fan_avg, uniform). */
export class GlorotUniform extends VarianceScalingPreset {
  static override className = 'GlorotUniform';
  constructor({ seed }: { seed?: number } = {}) { super({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed }); }
}

/** Glorot & Bengio (2010): VarianceScaling(scale 1, fan_avg, truncated_normal). */
export class GlorotNormal extends VarianceScalingPreset {
  static override className = 'GlorotNormal';
  constructor({ seed }: { seed?: number } = {}) { super({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed }); }
}

/** He et al. (2015): VarianceScaling(scale 2, fan_in, truncated_normal). */
export class HeNormal extends VarianceScalingPreset {
  static override className = 'HeNormal';
  constructor({ seed }: { seed?: number } = {}) { super({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed }); }
}

/** He et al. (2015): VarianceScaling(scale 2, fan_in, uniform). */
export class HeUniform extends VarianceScalingPreset {
  static override className = 'HeUniform';
  constructor({ seed }: { seed?: number } = {}) { super({ scale: 2, mode: 'fan_in', distribution: 'uniform', seed }); }
}

/** LeCun et al. (1998): VarianceScaling(scale 1, fan_in, truncated_normal). */
export class LecunNormal extends VarianceScalingPreset {
  static override className = 'LecunNormal';
  constructor({ seed }: { seed?: number } = {}) { super({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed }); }
}

/** LeCun et al. (1998): VarianceScaling(scale 1, fan_in, uniform). */
export class LecunUniform extends VarianceScalingPreset {
  static override className = 'LecunUniform';
  constructor({ seed }: { seed?: number } = {}) { super({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed }); }
}

/**
 * Orthogonal matrix (Saxe et al., 2014): QR of a normal matrix, with Q's columns signed by
 * diag(R) so the distribution is uniform; shapes of rank > 2 are flattened to
 * [∏ shape[:-1], shape[-1]], as Keras.
 */
export class Orthogonal extends Initializer {
  static override className = 'Orthogonal';
  readonly gain: number; readonly seed: number | undefined;
  constructor({ gain = 1, seed }: { gain?: number; seed?: number } = {}) { super(); this.gain = finite(gain, 'gain', 'Orthogonal'); this.seed = seed; }

  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    assertShape(shape as number[], 'Orthogonal');
    if (!isFloat(dtype)) throw new TypeError(`Orthogonal: dtype must be float32 or float64, got ${dtype}`);
    if (shape.length < 2) throw new RangeError(`Orthogonal: needs a shape of rank ≥ 2, got ${formatShape(shape)}`);
    const cols = shape[shape.length - 1];
    const rows = sizeOf(shape) / cols;
    // Householder-free modified Gram–Schmidt on the tall orientation (float64)
    const tallRows = Math.max(rows, cols), tallCols = Math.min(rows, cols);
    const r = this.rng(this.seed);
    const a = Array.from({ length: tallCols }, () => Float64Array.from({ length: tallRows }, () => r.normal()));
    for (let j = 0; j < tallCols; j++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let k = 0; k < tallRows; k++) dot += a[i][k] * a[j][k];
        for (let k = 0; k < tallRows; k++) a[j][k] -= dot * a[i][k];
      }
      let norm = 0;
      for (let k = 0; k < tallRows; k++) norm += a[j][k] * a[j][k];
      norm = Math.sqrt(norm);
      // MGS gives R's diagonal positive, which is QR with Q signed by diag(R)
      for (let k = 0; k < tallRows; k++) a[j][k] /= norm;
    }
    const data = allocate(dtype, rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        // a holds Q's columns; transpose when the matrix is wide
        data[i * cols + j] = this.gain * (rows >= cols ? a[j][i] : a[i][j]);
      }
    }
    return new Tensor(data, shape.slice(), dtype);
  }
  getConfig(): InitializerConfig { return { gain: this.gain, seed: this.seed ?? null }; }
}

/** gain · I for 2-D shapes (rectangular allowed, as Keras). */
export class Identity extends Initializer {
  static override className = 'Identity';
  readonly gain: number;
  constructor({ gain = 1 }: { gain?: number } = {}) { super(); this.gain = finite(gain, 'gain', 'Identity'); }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    if (shape.length !== 2) throw new RangeError(`Identity: needs a 2-D shape, got ${formatShape(shape)}`);
    const t = this.fill(shape, dtype, () => 0);
    for (let i = 0; i < Math.min(shape[0], shape[1]); i++) t.data[i * shape[1] + i] = this.gain;
    return t;
  }
  getConfig(): InitializerConfig { return { gain: this.gain }; }
}

type InitializerClass = { className: string; new(config?: any): Initializer };
const registry = new NameRegistry<InitializerClass>('initializer');
const table: Array<[InitializerClass, string, string[]]> = [
  [Zeros, 'zeros', []], [Ones, 'ones', []], [Constant, 'constant', []],
  [RandomNormal, 'random_normal', ['normal']], [RandomUniform, 'random_uniform', ['uniform']],
  [TruncatedNormal, 'truncated_normal', []], [VarianceScaling, 'variance_scaling', []],
  [GlorotUniform, 'glorot_uniform', ['xavier_uniform']], [GlorotNormal, 'glorot_normal', ['xavier_normal']],
  [HeNormal, 'he_normal', []], [HeUniform, 'he_uniform', []],
  [LecunNormal, 'lecun_normal', []], [LecunUniform, 'lecun_uniform', []],
  [Orthogonal, 'orthogonal', []], [Identity, 'identity', []],
];
for (const [cls, name, aliases] of table) registry.register(name, cls, [cls.className, ...aliases]);

export const initializerNames = (): string[] => registry.names();

export type InitializerIdentifier = string | Initializer | { className: string; config?: InitializerConfig };

/** Resolves a name, `{ className, config }` or instance to an initializer. */
export function get(identifier: InitializerIdentifier): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') return new (registry.get(identifier))();
  if (identifier && typeof identifier === 'object' && typeof identifier.className === 'string') {
    const config = { ...(identifier.config ?? {}) };
    if (config.seed === null) delete config.seed;
    return new (registry.get(identifier.className))(config);
  }
  throw new TypeError(`initializer: expected a name, a { className, config } object or an Initializer, got ${JSON.stringify(identifier)}`);
}

/** `{ className, config }` for saving; `get(serialize(x))` rebuilds it. */
export function serialize(init: Initializer): { className: string; config: InitializerConfig } {
  return { className: (init.constructor as typeof Initializer).className, config: init.getConfig() };
}
