/**
 * The check's outcome from the verdicts, and the action's outputs. Pure.
 *
 * - fail: the check fails, unless the pull request carries the override label (the regression is then
 *   acknowledged in the comment and the check passes) or `fail-on-regression` is false (warn only).
 * - inconclusive: the samples could not decide; `on-inconclusive` says whether that warns (default), fails
 *   or passes quietly. Never a silent pass: the comment and summary always say so.
 * - pass / skipped: the check passes.
 */
import type { SizeComparison, Verdict } from '../compare/types.js';
import type { GateOutcome } from './types.js';

export interface DecisionPolicy {
  failOnRegression: boolean;
  onInconclusive: 'warn' | 'fail' | 'pass';
}

export interface Decision {
  /** Whether the step must fail. */
  fail: boolean;
  /** A warning to show when the step passes but something needs attention. */
  warning?: string;
  /** The one sentence the failure (or the warning) gives. */
  message: string;
}

/**
 * @example
 * ```ts
 * decide({ verdict: 'fail', functions: [...], mode: 'compare', notices: [] }, { failOnRegression: true, onInconclusive: 'warn' })
 * // { fail: true, message: 'orders-api: p99 rose 18.2 % … beyond the 10 % budget.' }
 * ```
 */
export function decide(outcome: GateOutcome, policy: DecisionPolicy): Decision {
  const reasons = failedReasons(outcome, 'fail');
  if (outcome.mode === 'baseline') {
    // Recording a baseline on the default branch never blocks it; a broken absolute budget is still shown.
    return outcome.verdict === 'fail'
      ? { fail: false, warning: `Baseline recorded, but a budget is broken: ${reasons}`, message: reasons }
      : { fail: false, message: 'Baseline recorded.' };
  }
  switch (outcome.verdict) {
    case 'fail':
      if (outcome.override) {
        return {
          fail: false,
          warning: `Regression accepted with the label "${outcome.override.label}": ${reasons}`,
          message: reasons
        };
      }
      if (!policy.failOnRegression) {
        return { fail: false, warning: `Budget broken (fail-on-regression is false): ${reasons}`, message: reasons };
      }
      return { fail: true, message: `Budget broken: ${reasons}` };
    case 'inconclusive': {
      const why = failedReasons(outcome, 'inconclusive');
      const message = `Inconclusive: the samples cannot decide. ${why}`;
      if (policy.onInconclusive === 'fail') return { fail: true, message };
      if (policy.onInconclusive === 'warn') return { fail: false, warning: message, message };
      return { fail: false, message };
    }
    default:
      return { fail: false, message: outcome.verdict === 'skipped' ? 'Skipped.' : 'Within budget.' };
  }
}

function failedReasons(outcome: GateOutcome, verdict: 'fail' | 'inconclusive'): string {
  const reasons = outcome.functions.flatMap((fn) =>
    fn.comparison.sizes.flatMap((size) =>
      size.checks
        .filter((check) => check.verdict === verdict)
        .map((check) => `${fn.functionName} at ${size.memoryMb} MB: ${check.reason}`)
    )
  );
  return reasons.length > 0 ? reasons.join(' ') : 'see the report.';
}

/** The action's outputs, as strings: plain numbers without units (their units are in action.yml). */
export interface GateOutputs {
  verdict: Verdict;
  recommendedMemory: string;
  costPerMillion: string;
  p99Ms: string;
  costChangePercent: string;
  p99ChangePercent: string;
}

/**
 * The outputs: with several functions or gated sizes, each holds the worst case (highest cost, p99 and
 * change); the JSON report holds the rest. An output that has no value is ''.
 *
 * @example
 * ```ts
 * gateOutputs(outcome).costChangePercent // '-4.2'
 * ```
 */
export function gateOutputs(outcome: GateOutcome): GateOutputs {
  const sizes: SizeComparison[] = outcome.functions.flatMap((fn) => fn.comparison.sizes);
  const worst = (values: Array<number | undefined>): number | undefined => {
    const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    return present.length === 0 ? undefined : Math.max(...present);
  };
  const recommended = outcome.functions.map((fn) => fn.report.recommendation.memoryMb).find((m) => m !== null);
  return {
    verdict: outcome.verdict,
    recommendedMemory: recommended === undefined ? '' : String(recommended),
    costPerMillion: plain(worst(sizes.map((s) => s.candidate.costPerMillionUsd?.estimate)), 4),
    p99Ms: plain(worst(sizes.map((s) => s.candidate.p99Ms?.estimate)), 1),
    costChangePercent: plain(percent(worst(sizes.map((s) => s.costChange?.estimate))), 1),
    p99ChangePercent: plain(percent(worst(sizes.map((s) => s.p99Change?.estimate))), 1)
  };
}

function percent(fraction: number | undefined): number | undefined {
  return fraction === undefined ? undefined : fraction * 100;
}

/** 23.41, -4.2, 0: no units, no thousands separators, no trailing zeros, no "-0". */
function plain(value: number | undefined, digits: number): string {
  if (value === undefined) return '';
  const rounded = Number(value.toFixed(digits));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}
