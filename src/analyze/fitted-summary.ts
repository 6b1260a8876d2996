/**
 * The fitted recommendation as the run report carries it: the model, the floor and each strategy's optimum,
 * without the per-MB grid the search walked. Pure.
 */
import type { FittedRecommendationSummary } from '../report/run-report-extras.js';
import type { RunReport } from '../report/run-report-schema.js';
import { type FittedPoint, fitRecommendationFromReport } from './fitted-recommendation.js';

/**
 * Fits the report's sizes and summarises the result for the report.
 *
 * @example
 * ```ts
 * fittedSummary(report).cost // { memoryMb: 480, predictedCostPerMillionUsd: 0.83, position: 'between', … }
 * ```
 */
export function fittedSummary(report: RunReport): FittedRecommendationSummary {
  const fit = fitRecommendationFromReport(report);
  if (!fit.fitted) return { fitted: false, reason: fit.reason, ...(fit.floor ? { floor: fit.floor } : {}) };
  const { fixedMs, cpuMs, kneeMb, r2, kneeIdentified } = fit.model;
  return {
    fitted: true,
    reason: fit.reason,
    floor: fit.floor,
    model: { fixedMs, cpuMs, kneeMb, r2, kneeIdentified },
    p99Estimated: fit.p99Estimated,
    cost: point(fit.cheapest),
    speed: point(fit.fastest),
    balanced: point(fit.balanced)
  };
}

function point(p: FittedPoint): NonNullable<FittedRecommendationSummary['cost']> {
  return {
    memoryMb: p.memoryMb,
    predictedMeanMs: p.predictedMeanMs,
    predictedP99Ms: p.predictedP99Ms,
    predictedCostPerMillionUsd: p.predictedCostPerMillionUsd,
    position: p.position
  };
}
