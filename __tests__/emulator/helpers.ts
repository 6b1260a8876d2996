/**
 * Shared set-up for the emulator's integration tests: a running emulator and real SDK clients
 * pointed at it over HTTP.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '../../src/emulator/emulator.js';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const ROLE = 'arn:aws:iam::123456789012:role/test';

export interface TestEmulator {
  emulator: RunningEmulator;
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  close: () => Promise<void>;
}

/** One attempt per call: the tests assert on the first answer, not on the SDK's retries. */
export async function startTestEmulator(options: StartEmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ config: { updateDelayMs: 0 }, ...options });
  const common = { endpoint: emulator.endpoint, region: emulator.region, credentials: CREDENTIALS, maxAttempts: 1 };
  const lambda = new LambdaClient(common);
  const logs = new CloudWatchLogsClient(common);
  return {
    emulator,
    lambda,
    logs,
    close: async () => {
      lambda.destroy();
      logs.destroy();
      await emulator.close();
    }
  };
}

/** Waits for a rejection and returns it, so a test can check its class and fields. */
export async function rejectionOf<T = Error & Record<string, unknown>>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
