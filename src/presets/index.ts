/**
 * `gf.presets`: the chapter's practical guidelines as model factories (Hands-On ML, 3rd ed.,
 * ch. 11, "Summary and Practical Guidelines"). Each returns `{ model, callbacks, fitDefaults,
 * config }`: a compiled Sequential model, the callbacks to give fit (early stopping, the
 * learning-rate schedule's callback), fit's epochs and batch size, and every choice made.
 *
 *   const { model, callbacks, fitDefaults } = gf.presets.defaultDNN({ inputShape: [28, 28], numClasses: 10 });
 *   await model.fit(x, y, { ...fitDefaults, callbacks, validationData: [xv, yv] });
 *
 * - defaultDNN: He init, Swish/ELU, batch norm when deep, Nesterov or AdamW, early stopping +
 *   ℓ2 (or weight decay), performance scheduling or 1cycle.
 * - selfNormalizing: LeCun normal, SELU, optional AlphaDropout, no BN or ℓ2; standardize the inputs.
 * See docs/presets.md for the reasoning behind each choice.
 */
export { defaultDNN, DNN_ACTIVATIONS, DEEP_FROM_LAYERS, type DefaultDNNOptions, type DnnActivation, type Preset } from './default-dnn.js';
export { selfNormalizing, type SelfNormalizingOptions } from './self-normalizing.js';
export type { CommonPresetOptions, PresetTask, PresetOptimizer, PresetSchedule, ResolvedPresetConfig } from './options.js';
export { PERFORMANCE_FACTOR, PERFORMANCE_PATIENCE, EARLY_STOPPING_PATIENCE, DEFAULT_MAX_EPOCHS } from './training.js';
