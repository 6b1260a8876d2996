/**
 * The frame every sweep runs in: prepare the versions, measure, and always clean up, also when measuring
 * fails. Shared by the memory sweep (engine.ts) and the grid sweep (grid-sweep.ts).
 */
import { Deployment, type DeploymentSettings, type PreparedDeployment } from '../deploy/deployer.js';
import { FunctionDeletedError } from '../deploy/fault-errors.js';
import { AwsCallError, LambdaCostGateError, errorMessage } from '../errors.js';
import type { SweepDependencies } from './engine.js';
import type { LambdaPort } from './types.js';

/**
 * The sweep failed, and cleaning up after it failed too: both are in the message, each with its causes. The
 * two errors are kept apart rather than as a `cause`, which errorMessage would print a second time.
 */
export class SweepFailedError extends LambdaCostGateError {
  constructor(
    readonly sweepError: unknown,
    readonly cleanupError: unknown
  ) {
    super(`${errorMessage(sweepError)}. Cleaning up afterwards also failed: ${errorMessage(cleanupError)}`);
  }
}

/** What {@link withDeployment} returns: the versions, the code they hold, and what was measured. */
export interface Deployed<T> {
  prepared: PreparedDeployment;
  codeSha256: string;
  measured: T;
}

/**
 * Prepares a deployment, measures it, and cleans up whatever happens.
 *
 * @throws the measuring error (after cleaning up), a {@link SweepFailedError} when cleaning up failed too, or a
 *   {@link FunctionDeletedError} when the function vanished mid-run
 *
 * @example
 * ```ts
 * const { prepared, measured } = await withDeployment(deps, options.functionName, options, (p) => measure(p));
 * ```
 */
export async function withDeployment<T>(
  deps: SweepDependencies,
  functionName: string,
  settings: DeploymentSettings,
  measure: (prepared: PreparedDeployment) => Promise<T>
): Promise<Deployed<T>> {
  const deployment = new Deployment(deps.lambda, functionName, settings, {
    log: deps.log ?? (() => undefined),
    ...(deps.onProgress ? { progress: deps.onProgress } : {}),
    ...(deps.onOriginal ? { onOriginal: deps.onOriginal } : {})
  });
  let result: Deployed<T>;
  try {
    const prepared = await deployment.prepare();
    const codeSha256 = await measuredCode(deps.lambda, prepared);
    result = { prepared, codeSha256, measured: await measure(prepared) };
  } catch (error) {
    await deployment.cleanup().catch((cleanupError: unknown) => {
      // The function is gone: that is why the sweep failed, and nothing is left to clean up. The sweep's
      // error says when it was first noticed.
      if (cleanupError instanceof FunctionDeletedError) {
        const doing = error instanceof AwsCallError ? error.doing : cleanupError.doing;
        throw new FunctionDeletedError(cleanupError.functionName, doing, error);
      }
      throw new SweepFailedError(error, cleanupError);
    });
    throw error;
  }
  await deployment.cleanup();
  return result;
}

/** The versions hold the code measured (the candidate, when one was deployed); `$LATEST` may not. */
async function measuredCode(lambda: LambdaPort, prepared: PreparedDeployment): Promise<string> {
  const first = prepared.versions[0];
  if (!first) return prepared.target.codeSha256;
  return (await lambda.getFunction(prepared.target.name, first.version)).codeSha256;
}
