/**
 * Puts `$LATEST` back as it was before a run: memory, description, environment, architecture and code.
 * Only values the run itself wrote are put back; a value someone else set meanwhile is left alone and
 * reported, because undoing another person's deployment would be worse than a warning.
 *
 * Environment values may be secrets: log lines and errors say that the environment differs, never what
 * it holds.
 */
import { LambdaCostGateError } from '../errors.js';
import type { Architecture, FunctionState, LambdaPort } from '../sweep/types.js';
import { sameEnvironment } from './cells.js';
import { ConcurrentChangeError } from './errors.js';

/** What `$LATEST` looked like before the run, and how to tell the run's own writes from others'. */
export interface RestorePlan {
  original: {
    memorySize: number;
    description: string;
    codeSha256: string;
    architecture: Architecture;
    /** Absent: the run never changes the environment, so it is not looked at. */
    environment?: Record<string, string>;
  };
  /** Did the run write this value? Only such values are put back. An absent test means "never". */
  ours: {
    memorySize: (mb: number) => boolean;
    description: (text: string) => boolean;
    codeSha256: (sha: string) => boolean;
    architecture?: (architecture: Architecture) => boolean;
    environment?: (environment: Record<string, string>) => boolean;
  };
  /** Path of a zip of the original code (its SHA-256 checked), needed only when code or architecture go back. */
  originalZip: () => Promise<string>;
}

/** Attempts when someone else changes the function while it is being restored. */
const MAX_ATTEMPTS = 3;

/** What a restore attempt puts back. */
interface Fixes {
  code: boolean;
  architecture: boolean;
  memory: boolean;
  description: boolean;
  environment: boolean;
}

function fixesFor(current: FunctionState, plan: RestorePlan): Fixes {
  const { original, ours } = plan;
  const code = current.codeSha256 !== original.codeSha256 && ours.codeSha256(current.codeSha256);
  return {
    code,
    // The architecture changes only with an upload: when other code is there that is not ours, it stays.
    architecture:
      current.architecture !== original.architecture &&
      (ours.architecture?.(current.architecture) ?? false) &&
      (code || current.codeSha256 === original.codeSha256),
    memory: current.memorySize !== original.memorySize && ours.memorySize(current.memorySize),
    description: current.description !== original.description && ours.description(current.description),
    environment:
      original.environment !== undefined &&
      !sameEnvironment(current.environment, original.environment) &&
      (ours.environment?.(current.environment) ?? false)
  };
}

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
  const { original } = plan;
  for (let attempt = 1; ; attempt++) {
    const current = await port.getFunction(name);
    const fix = fixesFor(current, plan);
    const anything = Object.values(fix).some((value) => value);
    // The values may look right while Lambda says the last update failed (or has not finished): set them again,
    // so that $LATEST ends as it began, with a successful last update.
    const unsettled = current.lastUpdateStatus === 'Failed' || current.lastUpdateStatus === 'InProgress';
    warnAboutOthers(current, plan, fix, name, log);
    try {
      let state = current;
      if (fix.code || fix.architecture) {
        log(
          `Putting the original code${fix.architecture ? ` and architecture (${original.architecture})` : ''} back on ${name}`
        );
        state = await port.updateCode(
          name,
          { kind: 'zip', path: await plan.originalZip() },
          state.revisionId,
          original.architecture
        );
      }
      if (fix.memory || fix.description || fix.environment) {
        const what = [`${original.memorySize} MB`, 'its original description', 'its original environment'];
        log(
          `Putting ${name} back to ${what.filter((_, i) => [fix.memory, fix.description, fix.environment][i]).join(', ')}`
        );
        state = await port.updateConfiguration(
          name,
          {
            ...(fix.memory ? { memorySize: original.memorySize } : {}),
            ...(fix.description ? { description: original.description } : {}),
            ...(fix.environment && original.environment ? { environment: original.environment } : {})
          },
          state.revisionId
        );
      } else if (unsettled && !anything) {
        log(`The last update of ${name} is ${current.lastUpdateStatus}; setting its memory again to settle it`);
        // The value it has now: whoever set it, nothing changes but the update's outcome.
        state = await port.updateConfiguration(name, { memorySize: current.memorySize }, state.revisionId);
      }
      const wrong = [
        fix.code && state.codeSha256 !== original.codeSha256 ? `code ${state.codeSha256}` : '',
        fix.architecture && state.architecture !== original.architecture ? `architecture ${state.architecture}` : '',
        fix.memory && state.memorySize !== original.memorySize ? `${state.memorySize} MB` : '',
        fix.description && state.description !== original.description ? `description "${state.description}"` : '',
        fix.environment && original.environment && !sameEnvironment(state.environment, original.environment)
          ? 'an environment other than its original one'
          : ''
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
  fixing: Fixes,
  name: string,
  log: (line: string) => void
): void {
  const { original } = plan;
  if (current.codeSha256 !== original.codeSha256 && !fixing.code) {
    log(`Warning: ${name} now has code ${current.codeSha256} that this run did not deploy; left as it is`);
  }
  if (current.architecture !== original.architecture && !fixing.architecture) {
    log(`Warning: ${name} now runs on ${current.architecture}, not set by this run; left as it is`);
  }
  if (current.memorySize !== original.memorySize && !fixing.memory) {
    log(`Warning: ${name} now has ${current.memorySize} MB, set by someone else; left as it is`);
  }
  if (current.description !== original.description && !fixing.description) {
    log(`Warning: ${name} now has a description set by someone else; left as it is`);
  }
  if (original.environment && !sameEnvironment(current.environment, original.environment) && !fixing.environment) {
    // Names and values stay out of the log: either may be a secret.
    log(`Warning: ${name} now has environment variables set by someone else; left as they are`);
  }
}
