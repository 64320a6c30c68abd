/**
 * `gf.experiments`: what the chapter's experiment scripts (examples/*.ts) share — their types,
 * the chapter's data splits, timed runs and the result table. The experiments themselves are
 * listed in examples/index.ts and run with `gradflow experiment <id>`.
 */
export type { Experiment, ExperimentOptions, ExperimentResult, RunRecord } from './types.js';
export {
  loadChapterData, standardizeChapterData, seedRun, monitorFor, runCallbacks, timedFit, concatHistories,
  recordRun, testMetrics, formatResultTable, type ChapterData, type StandardizedData,
} from './helpers.js';
