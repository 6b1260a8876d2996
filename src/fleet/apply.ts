/**
 * The optional apply step: sets the memory of functions whose recommendation is confident, within the
 * user's bounds, one function at a time, within the control-plane rate. Dry run unless enabled.
 *
 * For each function whose recommendation differs from its size, in the order given (largest savings
 * first):
 * - the new size is the recommendation, raised to `apply-min-memory` and moved at most
 *   `apply-max-step` MB from the current size (the rest waits for a later run, with fresh logs);
 * - it is skipped when not confident, not in `apply-allow`, or when nothing is left to change;
 * - before the change its configuration is read again: another RevisionId means somebody changed it
 *   since the analysis, so it is skipped; the update itself carries the RevisionId, so a change in
 *   between is refused by Lambda (412) and skipped too;
 * - the update is waited for before the next one starts.
 */
import { errorMessage } from '../errors.js';
import { RevisionChangedError } from './errors.js';
import type { Pacer } from './pace.js';
import type { MemoryRecommendation } from './rules.js';
import { isAllowed } from './select.js';
import type { ApplySettings, FleetFunction, FleetLambdaPort } from './types.js';

export type ApplyStatus = 'applied' | 'would-apply' | 'skipped' | 'failed';

export interface ApplyResult {
  name: string;
  fromMb: number;
  /** The size set (or that a dry run would set). */
  toMb: number;
  /** The recommendation, which `toMb` may stop short of. */
  recommendedMb: number;
  status: ApplyStatus;
  /** Why it was skipped or failed, or what bounded the change. */
  reason: string;
}

/**
 * The size the bounds allow, and which bounds cut the change short.
 *
 * @example
 * ```ts
 * boundedTarget(3008, 512, { maxStepMb: 1024, minMemoryMb: 128 }) // { toMb: 1984, notes: ['moved by apply-max-step 1024 MB only'] }
 * ```
 */
export function boundedTarget(
  currentMb: number,
  recommendedMb: number,
  settings: Pick<ApplySettings, 'maxStepMb' | 'minMemoryMb'>
): { toMb: number; notes: string[] } {
  const notes: string[] = [];
  let toMb = recommendedMb;
  if (toMb < settings.minMemoryMb) {
    toMb = settings.minMemoryMb;
    notes.push(`raised to apply-min-memory ${settings.minMemoryMb} MB`);
  }
  if (Math.abs(toMb - currentMb) > settings.maxStepMb) {
    toMb = currentMb + Math.sign(toMb - currentMb) * settings.maxStepMb;
    notes.push(`moved by apply-max-step ${settings.maxStepMb} MB only`);
  }
  return { toMb, notes };
}

/**
 * @example
 * ```ts
 * await applyRecommendations([{ fn, rec }], { enabled: false, maxStepMb: 1024, minMemoryMb: 128, allow: ['*'] }, lambda, pacer)
 * // [{ name: 'orders', fromMb: 1024, toMb: 448, recommendedMb: 448, status: 'would-apply', reason: 'dry run' }]
 * ```
 */
export async function applyRecommendations(
  entries: ReadonlyArray<{ fn: FleetFunction; rec: MemoryRecommendation }>,
  settings: ApplySettings,
  lambda: FleetLambdaPort,
  pacer: Pacer,
  signal?: AbortSignal,
  log: (line: string) => void = () => undefined
): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  // apply-allow is required to apply; a dry run without one previews every confident change.
  const allow = settings.enabled || settings.allow.length > 0 ? settings.allow : ['*'];
  for (const { fn, rec } of entries) {
    if (rec.memoryMb === null || rec.memoryMb === fn.memoryMb) continue;
    const { toMb, notes } = boundedTarget(fn.memoryMb, rec.memoryMb, settings);
    const result = (status: ApplyStatus, reason: string): void => {
      results.push({ name: fn.name, fromMb: fn.memoryMb, toMb, recommendedMb: rec.memoryMb as number, status, reason });
    };
    if (!rec.confident) result('skipped', `not confident: ${rec.doubts.join('; ')}`);
    else if (!isAllowed(fn.name, allow)) result('skipped', 'not in apply-allow');
    else if (toMb === fn.memoryMb) result('skipped', notes.join('; '));
    else if (!settings.enabled) result('would-apply', ['dry run', ...notes].join('; '));
    else if (signal?.aborted) result('skipped', 'the run was cancelled before this change');
    else result(...(await change(fn, toMb, lambda, pacer, log, notes)));
  }
  return results;
}

async function change(
  fn: FleetFunction,
  toMb: number,
  lambda: FleetLambdaPort,
  pacer: Pacer,
  log: (line: string) => void,
  notes: string[]
): Promise<[ApplyStatus, string]> {
  try {
    await pacer.take();
    const now = await lambda.getFunction(fn.name);
    if (!now) return ['skipped', 'the function no longer exists'];
    if (now.revisionId !== fn.revisionId) {
      return ['skipped', 'its configuration changed since it was read (RevisionId): analyse it again'];
    }
    await pacer.take();
    log(`Setting the memory of ${fn.name} from ${fn.memoryMb} MB to ${toMb} MB`);
    const after = await lambda.updateMemory(fn.name, toMb, fn.revisionId);
    if (after.memoryMb !== toMb) return ['failed', `Lambda reports ${after.memoryMb} MB after the update`];
    return ['applied', ['memory updated', ...notes].join('; ')];
  } catch (error) {
    if (error instanceof RevisionChangedError) {
      return ['skipped', 'its configuration changed while it was being updated (RevisionId): analyse it again'];
    }
    return ['failed', errorMessage(error)];
  }
}
