/**
 * Learning-rate schedules (`gf.schedules`): pure functions of the optimizer step
 * (`optimizer.iterations`, 0 at the first update), serializable as `{ className, config }`.
 * An optimizer's learningRate may be a number, one of these, or any `(step) => lr` function
 * (which works but cannot be saved).
 *
 * `get(identifier)` accepts an instance, a function, or `{ className, config }` with any
 * spelling of the name ('ExponentialDecay', 'exponential_decay', 'exponentialDecay'). Every
 * schedule is also registered with the saving class registry, so an optimizer config holding
 * a schedule is rebuilt by `optimizers.get` / `loadModel`.
 */
import { getClass, registerClass } from '../saving/class-registry.js';
import { NameRegistry } from '../utils/registry.js';
import { CosineDecay } from './cosine-decay.js';
import { ExponentialDecay } from './exponential-decay.js';
import { InverseTimeDecay } from './inverse-time-decay.js';
import { OneCycle } from './one-cycle.js';
import { PiecewiseConstantDecay } from './piecewise-constant-decay.js';
import { PolynomialDecay } from './polynomial-decay.js';
import { LearningRateSchedule } from './schedule.js';

export { LearningRateSchedule, type LearningRate } from './schedule.js';
export { StepDecay, type StepDecayOptions } from './step-decay.js';
export { InverseTimeDecay } from './inverse-time-decay.js';
export { ExponentialDecay } from './exponential-decay.js';
export { PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from './piecewise-constant-decay.js';
export { PolynomialDecay, type PolynomialDecayOptions } from './polynomial-decay.js';
export { CosineDecay, type CosineDecayOptions } from './cosine-decay.js';
export { OneCycle, type OneCycleOptions, type OneCycleAnneal } from './one-cycle.js';

export type ScheduleConfig = Record<string, unknown>;
export type StepFunction = (step: number) => number;
export type ScheduleIdentifier = LearningRateSchedule | StepFunction | { className: string; config?: ScheduleConfig };

interface ScheduleClass {
  className: string;
  fromConfig(config: ScheduleConfig): LearningRateSchedule;
}

const registry = new NameRegistry<ScheduleClass>('learning-rate schedule');
const table: Array<[ScheduleClass, string, string[]]> = [
  [InverseTimeDecay, 'inverse_time_decay', []],
  [ExponentialDecay, 'exponential_decay', []],
  [PiecewiseConstantDecay, 'piecewise_constant_decay', []],
  [PolynomialDecay, 'polynomial_decay', []],
  [CosineDecay, 'cosine_decay', []],
  [OneCycle, 'one_cycle', ['1cycle', 'OneCycleLR']],
];
for (const [cls, name, aliases] of table) {
  registry.register(name, cls, [cls.className, ...aliases]);
  registerClass(cls);
}

/** The registered (Keras-style) names. */
export const scheduleNames = (): string[] => registry.names();

/** The class registered under any spelling of `name`. */
export function scheduleClass(name: string): ScheduleClass {
  return registry.get(name);
}

function isScheduleInstance(x: unknown): x is LearningRateSchedule {
  return x instanceof LearningRateSchedule || (typeof x === 'object' && x !== null &&
    typeof (x as LearningRateSchedule).call === 'function' && typeof (x as LearningRateSchedule).getConfig === 'function');
}

/** Resolves an instance, a `(step) => lr` function or `{ className, config }` to a schedule. */
export function get(identifier: ScheduleIdentifier): LearningRateSchedule | StepFunction {
  if (typeof identifier === 'function' || isScheduleInstance(identifier)) return identifier;
  if (typeof identifier === 'string') {
    const cls = registry.get(identifier); // an unknown name fails here, listing the known ones
    throw new TypeError(`learning-rate schedule '${identifier}' needs its arguments: pass { className: '${cls.className}', config: { … } } ` +
      `or an instance such as new gf.schedules.${cls.className}(…)`);
  }
  if (identifier && typeof identifier === 'object' && typeof identifier.className === 'string') {
    return deserialize(identifier);
  }
  throw new TypeError(`learning-rate schedule: expected a LearningRateSchedule, a (step) => lr function or a ` +
    `{ className, config } object, got ${JSON.stringify(identifier) ?? typeof identifier}`);
}

/** `{ className, config }` → schedule; custom schedules registered with gf.registerClass resolve too. */
export function deserialize(spec: { className: string; config?: ScheduleConfig }): LearningRateSchedule {
  const config = spec.config ?? {};
  if (registry.has(spec.className)) return registry.get(spec.className).fromConfig(config);
  let schedule: unknown;
  try {
    schedule = getClass<unknown>(spec.className).fromConfig(config);
  } catch {
    registry.get(spec.className); // throws the registry's "unknown … expected one of" error
  }
  if (!isScheduleInstance(schedule)) throw new TypeError(`'${spec.className}' is not a learning-rate schedule`);
  return schedule;
}

/** `{ className, config }` for saving; `get(serialize(s))` rebuilds it. Plain functions cannot be saved. */
export function serialize(schedule: LearningRateSchedule | StepFunction): { className: string; config: ScheduleConfig } {
  if (typeof schedule === 'function') {
    throw new TypeError('learning-rate schedule: a plain (step) => lr function cannot be serialized; ' +
      'use a LearningRateSchedule subclass with a static className and getConfig');
  }
  const className = (schedule.constructor as typeof LearningRateSchedule).className;
  if (typeof className !== 'string' || !className) {
    throw new TypeError(`learning-rate schedule: ${schedule.constructor.name} needs a static className to be serialized`);
  }
  return { className, config: schedule.getConfig() };
}
