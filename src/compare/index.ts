/** The comparison core: compare two run reports and judge the budgets. See compare.ts for the rules. */
export { CompareError, compareRuns, DEFAULT_RESAMPLES } from './compare.js';
export { errorRateVerdict, judge, worstCheckVerdict, worstVerdict } from './verdict.js';
export {
  formatChange,
  formatConfidence,
  formatCount,
  formatInterval,
  formatMs,
  formatMsNumber,
  formatShare,
  formatUsd
} from './format.js';
export { clopperPearson } from './binomial.js';
export { STORED_BASELINE_RUN_VARIATION, widenForRunVariation } from './run-variation.js';
export type * from './types.js';
