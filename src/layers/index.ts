/** Layers, as `gf.layers.Dense(...)` etc. */
export { Layer, type LayerArgs, type CallOptions, type LayerShape, type LayerConfig, type AddWeightOptions } from './layer.js';
export { Variable, type Regularizer, type Constraint } from './variable.js';
export { Dense, type DenseArgs } from './dense.js';
export { Flatten } from './flatten.js';
export { Activation } from './activation.js';
export { Dropout } from './dropout.js';
export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export { InputLayer, input, type InputArgs } from './input-layer.js';
export { Concatenate, Add } from './merge.js';
export { SymbolicTensor } from './symbolic.js';
export { Lambda, registerLambdaFunction, type LambdaArgs, type LambdaFunction } from './lambda.js';

import { registerClass } from '../saving/class-registry.js';
import { Dense } from './dense.js';
import { Flatten } from './flatten.js';
import { Activation } from './activation.js';
import { Dropout } from './dropout.js';
for (const cls of [Dense, Flatten, Activation, Dropout]) registerClass(cls);

export { ReLU, type ReLUArgs } from './relu.js';
export { LeakyReLU, type LeakyReLUArgs } from './leaky-relu.js';
export { PReLU, type PReLUArgs } from './prelu.js';
export { ELU, type ELUArgs } from './elu.js';
export { Softmax, type SoftmaxArgs } from './softmax.js';
export { RReLU, type RReLUArgs } from './rrelu.js';
export { Reshape } from './reshape.js';
export { GaussianNoise } from './gaussian-noise.js';
export { GaussianDropout } from './gaussian-dropout.js';
export { AlphaDropout, ALPHA_PRIME, alphaDropoutAffine } from './alpha-dropout.js';
export { MCDropout } from './mc-dropout.js';
export { MCAlphaDropout } from './mc-alpha-dropout.js';

import { ReLU } from './relu.js';
import { LeakyReLU } from './leaky-relu.js';
import { PReLU } from './prelu.js';
import { ELU } from './elu.js';
import { Softmax } from './softmax.js';
import { RReLU } from './rrelu.js';
import { Reshape } from './reshape.js';
import { GaussianNoise } from './gaussian-noise.js';
import { GaussianDropout } from './gaussian-dropout.js';
import { AlphaDropout } from './alpha-dropout.js';
import { MCDropout } from './mc-dropout.js';
import { MCAlphaDropout } from './mc-alpha-dropout.js';
for (const cls of [ReLU, LeakyReLU, PReLU, ELU, Softmax, RReLU, Reshape, GaussianNoise, GaussianDropout,
  AlphaDropout, MCDropout, MCAlphaDropout]) registerClass(cls);
