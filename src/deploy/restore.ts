/**
 * Puts `$LATEST` back as it was before a run: memory, description and code. Only values the run
 * itself wrote are put back; a value someone else set meanwhile is left alone and reported, because
 * undoing another person's deployment would be worse than a warning.
 */
import { LambdaCostGateError } from '../errors.js';
import type { Architecture, FunctionState, LambdaPort } from '../sweep/types.js';
import { ConcurrentChangeError } from './errors.js';

/** What `$LATEST` looked like before the run, and how to tell the run's own writes from others'. */
export interface RestorePlan {
  original: { memorySize: number; description: string; codeSha256: string; architecture: Architecture };
  /** Did the run write this value? Only such values are put back. */
  ours: {
    memorySize: (mb: number) => boolean;
    description: (text: string) => boolean;
    codeSha256: (sha: string) => boolean;
  };
  /** Path of a zip of the original code (its SHA-256 checked), needed only when the code must go back. */
  originalZip: () => Promise<string>;
}

/** Attempts when someone else changes the function while it is being restored. */
const MAX_ATTEMPTS = 3;

/**
 * Restores `$LATEST`, re-reading it before each attempt so that every change carries a fresh RevisionId.
 *
 * @example
 * ```ts
 * await restoreLatest(port, 'my-fn', plan, console.log);
 * ```
 * @returns `$LATEST` as it is afterwards
 * @throws the port's typed errors; {@link LambdaCostGateError} when the result is still not the original
 */
export async function restoreLatest(
  port: LambdaPort,
  name: string,
  plan: RestorePlan,
  log: (line: string) => void
): Promise<FunctionState> {
  const { original, ours } = plan;
  for (let attempt = 1; ; attempt++) {
    const current = await port.getFunction(name);
    const fixCode = current.codeSha256 !== original.codeSha256 && ours.codeSha256(current.codeSha256);
    const fixMemory = current.memorySize !== original.memorySize && ours.memorySize(current.memorySize);
    const fixDescription = current.description !== original.description && ours.description(current.description);
    // The values may look right while Lambda says the last update failed (or has not finished): set them again,
    // so that $LATEST ends as it began, with a successful last update.
    const unsettled = current.lastUpdateStatus === 'Failed' || current.lastUpdateStatus === 'InProgress';
    const settle = unsettled && !fixCode && !fixMemory && !fixDescription;
    warnAboutOthers(current, plan, { fixCode, fixMemory, fixDescription }, name, log);
    try {
      let state = current;
      if (fixCode) {
        log(`Putting the original code back on ${name}`);
        state = await port.updateCode(
          name,
          { kind: 'zip', path: await plan.originalZip() },
          state.revisionId,
          original.architecture
        );
      }
      if (fixMemory || fixDescription) {
        log(`Putting ${name} back to ${original.memorySize} MB and its original description`);
        state = await port.updateConfiguration(
          name,
          {
            ...(fixMemory ? { memorySize: original.memorySize } : {}),
            ...(fixDescription ? { description: original.description } : {})
          },
          state.revisionId
        );
      } else if (settle) {
        log(`The last update of ${name} is ${current.lastUpdateStatus}; setting its memory again to settle it`);
        // The value it has now: whoever set it, nothing changes but the update's outcome.
        state = await port.updateConfiguration(name, { memorySize: current.memorySize }, state.revisionId);
      }
      const wrong = [
        fixCode && state.codeSha256 !== original.codeSha256 ? `code ${state.codeSha256}` : '',
        fixMemory && state.memorySize !== original.memorySize ? `${state.memorySize} MB` : '',
        fixDescription && state.description !== original.description ? `description "${state.description}"` : ''
      ].filter((part) => part !== '');
      if (wrong.length > 0) {
        throw new LambdaCostGateError(`After restoring, function ${name} still has ${wrong.join(', ')}`);
      }
      return state;
    } catch (error) {
      // Someone changed the function between our read and our write: read again and redo what is ours.
      if (error instanceof ConcurrentChangeError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}

function warnAboutOthers(
  current: FunctionState,
  plan: RestorePlan,
  fixing: { fixCode: boolean; fixMemory: boolean; fixDescription: boolean },
  name: string,
  log: (line: string) => void
): void {
  const { original } = plan;
  if (current.codeSha256 !== original.codeSha256 && !fixing.fixCode) {
    log(`Warning: ${name} now has code ${current.codeSha256} that this run did not deploy; left as it is`);
  }
  if (current.memorySize !== original.memorySize && !fixing.fixMemory) {
    log(`Warning: ${name} now has ${current.memorySize} MB, set by someone else; left as it is`);
  }
  if (current.description !== original.description && !fixing.fixDescription) {
    log(`Warning: ${name} now has a description set by someone else; left as it is`);
  }
}
