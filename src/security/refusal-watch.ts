/**
 * The SDK's waiters treat every error as "not yet" and poll until they time out, so a poll that AWS
 * refuses (a policy without lambda:GetFunctionConfiguration) would wait minutes for nothing. Waiters
 * only ever call `send()`: a stand-in client that notices the first AccessDenied and aborts the waiter
 * ends the wait at once, and says which call was refused.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { isAccessDenied } from '../errors.js';

/** What the watch saw refused: the SDK error and the operation (GetFunctionConfiguration, …). */
export interface Refusal {
  error: unknown;
  operation: string;
}

/**
 * Wraps a client for one wait.
 *
 * @example
 * ```ts
 * const watch = watchForRefusal(client);
 * await waitUntilPublishedVersionActive({ ...waiter, client: watch.client, abortSignal: watch.signal }, input).catch(() => {});
 * if (watch.refused()) throw new AwsCallError('wait for version 3', watch.refused()!.error);
 * ```
 */
export function watchForRefusal(client: LambdaClient): {
  client: LambdaClient;
  signal: AbortSignal;
  refused: () => Refusal | undefined;
} {
  const controller = new AbortController();
  let refusal: Refusal | undefined;
  const stand = {
    send: (command: Parameters<LambdaClient['send']>[0]) =>
      client.send(command).catch((error: unknown) => {
        if (isAccessDenied(error) && !refusal) {
          refusal = { error, operation: command.constructor.name.replace(/Command$/, '') };
          controller.abort();
        }
        throw error;
      })
  };
  return { client: stand as unknown as LambdaClient, signal: controller.signal, refused: () => refusal };
}
