/**
 * The memory recommendation of one function from its production figures. Pure.
 *
 * The rules, in order:
 * 1. Usage floor: the mean over the days of each day's largest Max Memory Used, plus the buffer
 *    (default 100 MB, or a percentage of that mean). Peak floor: the largest single peak of the window
 *    plus a smaller margin. The memory floor is the larger of the two: never below a peak seen.
 * 2. The floor is rounded up to the memory step (default 64 MB) and held within Lambda's 128–10,240 MB.
 * 3. Where duration depends on CPU (see cpu-evidence.ts): with a sweep report, the larger of that
 *    rounded floor and the sweep's cost/speed optimum; with production evidence only, no less than the
 *    current size (less memory would be less CPU; a sweep tells how much that costs).
 * Flags: out-of-memory kills, or a peak above 90 % of the size, are at risk; a peak under 60 % of the
 * size is over-provisioned. A recommendation is confident, and may be applied, only with enough
 * traffic and days, no out-of-memory kill, no timeout when memory would go down, and not held for CPU.
 */
import type { RunReport } from '../report/run-report-schema.js';
import { cpuEvidence, type CpuEvidence } from './cpu-evidence.js';
import type { FleetFunction, FunctionUsage, Margin, RightSizeSettings } from './types.js';

export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;
/** A peak above this share of the size is at risk. */
export const AT_RISK_SHARE = 0.9;
/** A peak below this share of the size is over-provisioned. */
export const OVER_PROVISIONED_SHARE = 0.6;

export type Flag =
  | 'at-risk'
  | 'over-provisioned'
  | 'oom-kills'
  | 'timeouts'
  | 'cpu-bound'
  | 'insufficient-data'
  | 'no-data'
  | 'query-failed';

/** Which rule set the recommended size. */
export type DecidingRule = 'usage-buffer' | 'peak-margin' | 'minimum-size' | 'sweep-optimum' | 'cpu-hold' | 'no-data';

export interface MemoryRecommendation {
  /** The recommended size, in MB; null without data. */
  memoryMb: number | null;
  /** Mean daily peak + buffer, in MB. */
  usageFloorMb: number | null;
  /** Largest peak + margin, in MB. */
  peakFloorMb: number | null;
  rule: DecidingRule;
  reason: string;
  confident: boolean;
  /** Why it is not confident. */
  doubts: string[];
  flags: Flag[];
  /** Largest Max Memory Used / current size. */
  usedShare: number | null;
  cpu: CpuEvidence;
  /** The sweep report's recommendation, when one was given for the function. */
  sweepOptimumMb: number | null;
}

export type RuleSettings = Pick<
  RightSizeSettings,
  'buffer' | 'peakMargin' | 'memoryStepMb' | 'minInvocations' | 'minDays'
>;

const mb = (x: number): string => `${Math.round(x * 10) / 10} MB`;
const plus = (m: Margin, of: number): number => (m.kind === 'mb' ? m.mb : (of * m.percent) / 100);
const describeMargin = (m: Margin): string => (m.kind === 'mb' ? mb(m.mb) : `${m.percent} %`);

/**
 * @example
 * ```ts
 * recommendMemory(fn, usage, { buffer: { kind: 'mb', mb: 100 }, peakMargin: { kind: 'mb', mb: 32 },
 *   memoryStepMb: 64, minInvocations: 50, minDays: 7 }, undefined)
 * // { memoryMb: 448, rule: 'usage-buffer', flags: ['over-provisioned'], confident: true, … }
 * ```
 */
export function recommendMemory(
  fn: FleetFunction,
  usage: FunctionUsage,
  settings: RuleSettings,
  sweep: RunReport | undefined
): MemoryRecommendation {
  const cpu = cpuEvidence(usage.days, sweep);
  const sweepOptimumMb = sweep?.recommendation.memoryMb ?? null;
  const none = (flag: Flag, reason: string): MemoryRecommendation => ({
    memoryMb: null,
    usageFloorMb: null,
    peakFloorMb: null,
    rule: 'no-data',
    reason,
    confident: false,
    doubts: [reason],
    flags: [flag],
    usedShare: null,
    cpu,
    sweepOptimumMb
  });
  if (usage.status === 'query-failed') return none('query-failed', `Could not read its logs: ${usage.problem}.`);
  if (usage.meanDailyPeakMb === null || usage.peakMb === null) {
    return none(
      'no-data',
      usage.status === 'no-log-group'
        ? `Its log group ${fn.logGroup} does not exist: no invocation was ever logged.`
        : 'No REPORT record in the window.'
    );
  }
  const mean = usage.meanDailyPeakMb;
  const peak = usage.peakMb;
  const usageFloorMb = mean + plus(settings.buffer, mean);
  const peakFloorMb = peak + plus(settings.peakMargin, peak);
  const floor = Math.max(usageFloorMb, peakFloorMb);
  const rounded = Math.min(
    MAX_MEMORY_MB,
    Math.max(MIN_MEMORY_MB, Math.ceil(floor / settings.memoryStepMb) * settings.memoryStepMb)
  );
  const usedShare = peak / fn.memoryMb;

  const flags: Flag[] = [];
  if (usage.oomKills > 0 || usedShare > AT_RISK_SHARE) flags.push('at-risk');
  if (usedShare < OVER_PROVISIONED_SHARE) flags.push('over-provisioned');
  if (usage.oomKills > 0) flags.push('oom-kills');
  if (usage.timeouts > 0) flags.push('timeouts');
  if (cpu.dependent) flags.push('cpu-bound');

  let rule: DecidingRule =
    floor < MIN_MEMORY_MB ? 'minimum-size' : usageFloorMb >= peakFloorMb ? 'usage-buffer' : 'peak-margin';
  const floorText =
    `mean daily peak ${mb(mean)} + ${describeMargin(settings.buffer)} = ${mb(usageFloorMb)}; ` +
    `largest peak ${mb(peak)} + ${describeMargin(settings.peakMargin)} = ${mb(peakFloorMb)}; ` +
    `the larger, rounded up to ${settings.memoryStepMb} MB: ${rounded} MB`;
  let memoryMb = rounded;
  let reason = `${ruleName(rule)} decided: ${floorText}.`;
  if (cpu.dependent && cpu.source === 'sweep' && sweepOptimumMb !== null) {
    if (sweepOptimumMb > rounded) {
      memoryMb = sweepOptimumMb;
      rule = 'sweep-optimum';
      reason = `The sweep's optimum decided: ${sweepOptimumMb} MB, above the memory floor (${floorText}); ${cpu.detail}.`;
    } else {
      reason = `${reason} The sweep's optimum ${sweepOptimumMb} MB is below that floor; ${cpu.detail}.`;
    }
  } else if (cpu.dependent) {
    if (rounded < fn.memoryMb) {
      memoryMb = fn.memoryMb;
      rule = 'cpu-hold';
      reason =
        `Kept at ${fn.memoryMb} MB because duration depends on CPU (${cpu.detail}): the memory floor ` +
        `(${floorText}) would slow it down; sweep it to find the cost/speed optimum.`;
    } else reason = `${reason} Duration depends on CPU (${cpu.detail}).`;
  } else if (cpu.source === 'sweep') {
    reason = `${reason} The sweep shows no CPU dependence (${cpu.detail}).`;
  }

  const doubts: string[] = [];
  if (usage.invocations < settings.minInvocations) {
    doubts.push(`only ${usage.invocations} invocations in the window (fewer than ${settings.minInvocations})`);
  }
  if (usage.daysWithData < settings.minDays) {
    doubts.push(`invoked on ${usage.daysWithData} days only (fewer than ${settings.minDays})`);
  }
  if (doubts.length > 0) flags.push('insufficient-data');
  if (usage.oomKills > 0) {
    doubts.push(`${usage.oomKills} out-of-memory kills: the real need is above what the logs show`);
  }
  if (usage.timeouts > 0 && memoryMb < fn.memoryMb) {
    doubts.push(`${usage.timeouts} timeouts: less memory also means less CPU`);
  }
  if (rule === 'cpu-hold') doubts.push('duration depends on CPU: sweep it before changing its memory');
  return {
    memoryMb,
    usageFloorMb,
    peakFloorMb,
    rule,
    reason,
    confident: doubts.length === 0,
    doubts,
    flags,
    usedShare,
    cpu,
    sweepOptimumMb
  };
}

/**
 * The rule's name as the report prints it.
 *
 * @example
 * ```ts
 * ruleName('peak-margin') // 'Largest peak + margin'
 * ```
 */
export function ruleName(rule: DecidingRule): string {
  switch (rule) {
    case 'usage-buffer':
      return 'Mean daily peak + buffer';
    case 'peak-margin':
      return 'Largest peak + margin';
    case 'minimum-size':
      return "Lambda's minimum size";
    case 'sweep-optimum':
      return "The sweep's optimum";
    case 'cpu-hold':
      return 'CPU dependence';
    default:
      return 'No data';
  }
}
