/**
 * Two short parts of a function's comment: how the gated sizes were sampled (invocations used against the
 * cap, their cost, why sampling stopped), and the recommendation fitted between the sampled sizes. Pure.
 */
import type { FunctionOutcome } from '../gate/types.js';
import type { FittedRecommendationSummary, SizeSampling } from './run-report-extras.js';
import { clip, formatMs, formatUsd } from './comment-format.js';
import { escapeMarkdown } from './markdown.js';

const STOPPED: Record<SizeSampling['stoppedBecause'], string> = {
  decided: 'decided',
  cap: 'cap reached',
  undecidable: 'no sample up to the cap could decide',
  continue: 'run stopped'
};

const WHERE: Record<NonNullable<FittedRecommendationSummary['cost']>['position'], string> = {
  sampled: '',
  between: ', between sampled sizes',
  below: ', extrapolated below the sampled sizes',
  above: ', extrapolated above the sampled sizes'
};

/**
 * One line per gated size: "Sampling at 1024 MB: 50 of 300 invocations (1 look, 0.00123 USD), decided."
 *
 * @example
 * ```ts
 * renderSampling(fn) // ['**Sampling** at 1024 MB: 50 of up to 300 invocations, 1 look (adaptive), 0.0021 USD: decided.']
 * ```
 */
export function renderSampling(fn: FunctionOutcome): string[] {
  const sampling = fn.report.sampling ?? [];
  const lines = sampling.map((s) => {
    const looks = s.mode === 'adaptive' ? `${s.looks} look${s.looks === 1 ? '' : 's'} (adaptive)` : 'in one go';
    const saved =
      s.mode === 'adaptive' && s.invocations < s.cap
        ? `; ${Math.round((1 - s.invocations / s.cap) * 100)} % of the cap not needed`
        : '';
    return `**Sampling** at ${s.memoryMb} MB: ${s.invocations} of up to ${s.cap} invocations, ${looks}, ${formatUsd(s.costUsd)}: ${STOPPED[s.stoppedBecause]}${saved}.`;
  });
  return lines.length > 1 ? lines.map((line) => `- ${line}`) : lines;
}

/**
 * The fitted optimum of each strategy, with its predicted cost and p99, and the memory floor.
 *
 * @example
 * ```ts
 * renderFitted(fn)
 * // ['**Fitted between sampled sizes**: cost 480 MB (0.83 USD per 1M, p99 212 ms); speed 1769 MB (…); …']
 * ```
 */
export function renderFitted(fn: FunctionOutcome): string[] {
  const fitted: FittedRecommendationSummary | undefined = fn.report.fittedRecommendation;
  if (!fitted) return [];
  if (!fitted.fitted) return [`<sub>No fitted curve: ${escapeMarkdown(clip(fitted.reason))}</sub>`];
  const point = (label: string, p: FittedRecommendationSummary['cost']) =>
    p
      ? `${label} **${p.memoryMb} MB** (${formatUsd(p.predictedCostPerMillionUsd)} per 1M invocations, p99 ${formatMs(p.predictedP99Ms)}${WHERE[p.position]})`
      : undefined;
  const picks = [point('cost', fitted.cost), point('speed', fitted.speed), point('balanced', fitted.balanced)].filter(
    (text): text is string => text !== undefined
  );
  const floor = fitted.floor
    ? ` Memory floor ${fitted.floor.memoryMb} MB: ${escapeMarkdown(clip(fitted.floor.reason)).replace(/([^.])$/, '$1.')}`
    : '';
  const r2 = fitted.model ? ` (fit R² ${fitted.model.r2.toFixed(2)}${fitted.p99Estimated ? '' : '; p99 rough'})` : '';
  return [`**Fitted between sampled sizes**${r2}: ${picks.join('; ')}.${floor}`];
}
