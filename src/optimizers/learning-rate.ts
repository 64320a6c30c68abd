/**
 * The optimizer's learning rate: a number, a LearningRateSchedule (pure function of the step,
 * serializable), or a plain `(step) => lr` function (not serializable). Serialized schedules
 * are `{ className, config }`, rebuilt through the class registry (saving/class-registry: the
 * schedule classes register there with their static className and fromConfig, as layers do;
 * custom schedules with gf.registerClass).
 */
// schedules register their classes on load: a saved optimizer config may name one
import '../schedules/index.js';
import { getClass } from '../saving/class-registry.js';
import { LearningRateSchedule, type LearningRate } from '../schedules/schedule.js';

export type ScheduleLike = LearningRateSchedule | ((step: number) => number);
export type SerializedSchedule = { className: string; config?: Record<string, unknown> };
/** What optimizer constructors accept: a learning rate, or a schedule as saved in a config. */
export type LearningRateArg = LearningRate | SerializedSchedule;

function isSchedule(value: unknown): value is LearningRateSchedule {
  return value instanceof LearningRateSchedule ||
    (typeof value === 'object' && value !== null && typeof (value as LearningRateSchedule).call === 'function' &&
      typeof (value as LearningRateSchedule).getConfig === 'function');
}

/** Validates a learning rate; deserializes `{ className, config }` schedules. */
export function resolveLearningRate(value: unknown, where: string): number | ScheduleLike {
  if (typeof value === 'number') {
    if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${where}: learningRate must be a finite number ≥ 0, got ${value}`);
    return value;
  }
  if (typeof value === 'function') return value as (step: number) => number;
  if (isSchedule(value)) return value;
  if (typeof value === 'object' && value !== null && typeof (value as SerializedSchedule).className === 'string') {
    return deserializeSchedule(value as SerializedSchedule, where);
  }
  throw new TypeError(`${where}: learningRate must be a number, a LearningRateSchedule, a (step) => number function ` +
    `or a serialized schedule { className, config }, got ${describe(value)}`);
}

/** The config form: the number, or `{ className, config }`; a plain function cannot be saved. */
export function serializeLearningRate(value: number | ScheduleLike, where: string): number | SerializedSchedule {
  if (typeof value === 'number') return value;
  if (typeof value === 'function') {
    throw new Error(`${where}.getConfig: a learning-rate function cannot be serialized; use a LearningRateSchedule ` +
      `(gf.schedules, or a subclass with getConfig registered with the schedules registry) to save this optimizer`);
  }
  const className = (value.constructor as typeof LearningRateSchedule).className;
  if (typeof className !== 'string' || !className) {
    throw new Error(`${where}.getConfig: the learning-rate schedule ${value.constructor.name} needs a static className to be serialized`);
  }
  return { className, config: value.getConfig() };
}

function deserializeSchedule(spec: SerializedSchedule, where: string): LearningRateSchedule {
  let schedule: unknown;
  try {
    schedule = getClass<unknown>(spec.className).fromConfig(spec.config ?? {});
  } catch (e) {
    throw new Error(`${where}: cannot rebuild the learning-rate schedule '${spec.className}': ${(e as Error).message}`);
  }
  if (!isSchedule(schedule)) throw new TypeError(`${where}: '${spec.className}' is not a LearningRateSchedule`);
  return schedule;
}

/** A short description for error messages. */
export function describeLearningRate(value: ScheduleLike): string {
  if (typeof value === 'function') return 'function';
  return (value.constructor as typeof LearningRateSchedule).className ?? value.constructor.name;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}
