/**
 * Adaptive sampling: the sequential stopping rule the sweep engine calls between batches at a gated size,
 * and the refine step of the recommendation. See sequential.ts for the rule and its contract.
 */
export { decideAtLook, DecisionError } from './sequential.js';
export type * from './types.js';
export { alphaSpent, DEFAULT_SPENDING, type SpendingFunction } from './spending.js';
export { proposeRefinement } from './refine.js';
