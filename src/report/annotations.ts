/**
 * Workflow annotations for the checks that did not pass: one per failed check (an error) and one per
 * inconclusive check (a warning), each naming the function, the size and the budget. Pure; the caller
 * passes them to `core.error` / `core.warning`.
 *
 * Annotations are plain text, not markdown, so nothing is escaped; control characters and line breaks are
 * removed from names, because a title is one line.
 */
import type { GateOutcome } from '../gate/types.js';
import { BUDGET_LABEL, formatLimit, formatObserved } from './comment-format.js';

/** One annotation. */
export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
}

/**
 * The annotations of a gate run. Baseline mode judges nothing and has none. When the override label
 * accepted the failures, they are warnings that say so, since the job will not fail on them.
 *
 * @example
 * ```ts
 * for (const a of annotationsFor(outcome)) (a.level === 'error' ? core.error : core.warning)(a.message, { title: a.title });
 * // error  "my-fn: p99 increase over budget at 1024 MB"
 * //        "p99 rose 18 % (95 % CI +12 % to +25 %), beyond the 10 % budget. Observed +18.2 % (+12.0…+25.1); budget +10 %."
 * ```
 */
export function annotationsFor(outcome: GateOutcome): Annotation[] {
  if (outcome.mode === 'baseline' || outcome.verdict === 'skipped') return [];
  const override = outcome.override;
  return outcome.functions.flatMap((fn) =>
    fn.comparison.sizes.flatMap((size) =>
      size.checks
        .filter((check) => check.verdict !== 'pass')
        .map((check): Annotation => {
          const name = oneLine(fn.functionName);
          const budget = BUDGET_LABEL[check.budget];
          const figures = `Observed ${formatObserved(check, true)}; budget ${formatLimit(check)}.`;
          if (check.verdict === 'inconclusive') {
            return {
              level: 'warning',
              title: `${name}: ${budget} inconclusive at ${size.memoryMb} MB`,
              message: `${oneLine(check.reason)} ${figures}`
            };
          }
          const accepted = override === undefined ? '' : ` Accepted with the label "${oneLine(override.label)}".`;
          return {
            level: override === undefined ? 'error' : 'warning',
            title: `${name}: ${budget} over budget at ${size.memoryMb} MB`,
            message: `${oneLine(check.reason)} ${figures}${accepted}`
          };
        })
    )
  );
}

function oneLine(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
