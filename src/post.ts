/**
 * The action's `post:` step. The runner cancels a job with a signal and kills it soon after; when the main
 * step was killed mid-sweep, a function may still carry a candidate's memory or code, and the run's
 * versions (or its temporary copy) may still exist. The main step records each function as it was before
 * any change (`saveState`); this step looks for what that run left, by its run id, and removes it. After a
 * clean run it finds nothing and changes nothing.
 */
import * as core from '@actions/core';
import { z } from 'zod';
import { findLeftovers, removeLeftovers } from './deploy/leftovers.js';
import { createAwsPorts } from './gate/aws-ports.js';
import { parseAwsInputs } from './inputs/config.js';
import type { FunctionState } from './sweep/types.js';

/** Set by the main step; the post step runs the same bundle and tells itself apart by it. */
export const STATE_IS_POST = 'isPost';
/** What the main step changed, for the post step. */
export const STATE_CLEANUP = 'cleanup';

const entrySchema = z.object({
  functionName: z.string(),
  region: z.string(),
  runId: z.string(),
  description: z.string()
});
type CleanupEntry = z.infer<typeof entrySchema>;

const recorded: CleanupEntry[] = [];

/** Records a function as it was before the run changed it; saved at once, since the step may be killed next. */
export function recordForCleanup(original: FunctionState, runId: string): void {
  recorded.push({ functionName: original.arn, region: original.region, runId, description: original.description });
  core.saveState(STATE_CLEANUP, JSON.stringify(recorded));
}

/**
 * Removes what the main step left. Throws a CleanupError (naming what is left and the command that removes
 * it) when something cannot be removed.
 */
export async function runPost(): Promise<void> {
  const raw = core.getState(STATE_CLEANUP);
  const entries = raw === '' ? [] : z.array(entrySchema).parse(JSON.parse(raw));
  if (entries.length === 0) {
    core.info('Nothing to clean up: the main step changed no function.');
    return;
  }
  const aws = createAwsPorts({ ...parseAwsInputs((name) => core.getInput(name)), log: (line) => core.debug(line) });
  try {
    for (const entry of entries) {
      const { lambda } = aws.portsFor(entry.region);
      const leftovers = await findLeftovers(lambda, entry.functionName, { runId: entry.runId });
      if (!leftovers.interrupted && leftovers.versions.length === 0 && leftovers.copies.length === 0) {
        core.info(`${entry.functionName}: nothing left by run ${entry.runId}.`);
        continue;
      }
      const removed = await removeLeftovers(lambda, leftovers, {
        original: { description: entry.description },
        log: (line) => core.info(line)
      });
      core.warning(
        `${entry.functionName}: the main step stopped early; ${removed.restored ? '$LATEST was put back, ' : ''}` +
          `${removed.removedVersions.length} versions and ${removed.removedCopies.length} temporary copies were removed.`
      );
    }
  } finally {
    aws.close();
  }
}
