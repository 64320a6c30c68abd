/**
 * Learning-rate schedules: pure functions of the optimizer step (`optimizer.iterations`, 0 at
 * the first update), serializable with getConfig / fromConfig (Keras' LearningRateSchedule).
 * An optimizer's `learningRate` may be a number, a schedule, or any `(step) => lr` function.
 */
export abstract class LearningRateSchedule {
  static className: string;
  /** The learning rate at optimizer step `step` (0-based). */
  abstract call(step: number): number;
  abstract getConfig(): Record<string, unknown>;
}

/** What an optimizer accepts as its learning rate. */
export type LearningRate = number | LearningRateSchedule | ((step: number) => number);
