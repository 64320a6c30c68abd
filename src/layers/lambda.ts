/**
 * Lambda: wraps a function of one tensor as a layer (Keras' Lambda). Functions cannot be
 * serialized, so a Lambda saves and loads only when its function is registered by name with
 * `registerLambdaFunction(name, fn)` (before loading, too). For anything with weights, write a
 * Layer subclass instead (docs/custom-layers.md).
 */
import type { Tensor } from '../core/tensor.js';
import { registerClass } from '../saving/class-registry.js';
import { NameRegistry } from '../utils/registry.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

export type LambdaFunction = (x: Tensor, options: CallOptions) => Tensor;

const functions = new NameRegistry<LambdaFunction>('Lambda function');

/** Makes Lambda layers using `fn` serializable under `name`. */
export function registerLambdaFunction(name: string, fn: LambdaFunction): void {
  if (typeof fn !== 'function') throw new TypeError(`registerLambdaFunction: expected a function for '${name}', got ${typeof fn}`);
  functions.register(name, fn);
}

export interface LambdaArgs extends LayerArgs {
  /**
   * Output shape per sample (no batch dimension), or a function of the input shape; default:
   * the input shape (the function keeps shapes).
   */
  outputShape?: readonly number[] | ((inputShape: LayerShape) => LayerShape);
}

export class Lambda extends Layer {
  static override className = 'Lambda';
  readonly fn: LambdaFunction;
  private readonly outputShapeSpec: LambdaArgs['outputShape'];

  /** `fn` is a function, or the name of a registered one. */
  constructor(fn: LambdaFunction | string, args: LambdaArgs = {}) {
    super(args);
    this.fn = typeof fn === 'string' ? functions.get(fn) : fn;
    if (typeof this.fn !== 'function') throw new TypeError(`Lambda (${this.name}): expected a function, got ${typeof fn}`);
    this.outputShapeSpec = args.outputShape;
  }

  call(x: Tensor, options: CallOptions): Tensor {
    return this.fn(x, options);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    const spec = this.outputShapeSpec;
    if (spec === undefined) return inputShape;
    return typeof spec === 'function' ? spec(inputShape) : [inputShape[0], ...spec];
  }

  override getConfig(): LayerConfig {
    const name = functions.names().find((n) => functions.get(n) === this.fn);
    if (!name) {
      throw new Error(`Lambda (${this.name}): its function is not registered, so the layer cannot be saved; ` +
        `call gf.layers.registerLambdaFunction('myFn', fn) first`);
    }
    if (typeof this.outputShapeSpec === 'function') {
      throw new Error(`Lambda (${this.name}): an outputShape function cannot be saved; give the per-sample shape as an array`);
    }
    return { ...super.getConfig(), function: name, ...(this.outputShapeSpec ? { outputShape: this.outputShapeSpec.slice() } : {}) };
  }

  static override fromConfig<T extends Layer>(this: new (...args: any[]) => T, config: LayerConfig): T {
    return new this(config.function as string, config);
  }
}

registerClass(Lambda);
