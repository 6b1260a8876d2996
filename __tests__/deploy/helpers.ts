/**
 * Shared set-up for the deploy tests: an emulator, a real SDK client built by the project's one client
 * factory, the port under test, and helpers to create functions and look at the emulator's state.
 */
import { CreateFunctionCommand, type LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { createLambdaClient } from '../../src/aws/clients.js';
import { createLambdaPort, type LambdaPortOptions } from '../../src/deploy/lambda-adapter.js';
import type { FunctionSnapshot } from '../../src/emulator/admin.js';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '../../src/emulator/emulator.js';
import { zipModel } from '../../src/emulator/lambda/code.js';
import type { LambdaPort } from '../../src/sweep/types.js';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const ROLE = 'arn:aws:iam::123456789012:role/test';
/** Two attempts, so that a fault with `count` ≥ 2 outlasts the SDK's own retries. */
export const MAX_ATTEMPTS = 2;

export interface DeployTestBed {
  emulator: RunningEmulator;
  client: LambdaClient;
  port: LambdaPort;
  /** A port with other options on the same client. */
  portWith: (options: LambdaPortOptions) => LambdaPort;
  close: () => Promise<void>;
}

/** Fast waits and a short 409 budget, so failing paths fail within a test's time. */
export const PORT_OPTIONS: LambdaPortOptions = {
  waitMaxSeconds: 10,
  conflictRetry: { baseMs: 50, capMs: 200, maxTotalMs: 8_000 }
};

export async function startDeployTestBed(options: StartEmulatorOptions = {}): Promise<DeployTestBed> {
  const emulator = await startEmulator({ config: { updateDelayMs: 0 }, ...options });
  const client = createLambdaClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: CREDENTIALS,
    maxAttempts: MAX_ATTEMPTS
  });
  const portWith = (extra: LambdaPortOptions) => createLambdaPort(client, { ...PORT_OPTIONS, ...extra });
  return {
    emulator,
    client,
    port: portWith({}),
    portWith,
    close: async () => {
      client.destroy();
      await emulator.close();
    }
  };
}

/** A modelled function's code: a zip whose content (and so CodeSha256) depends on `cpuMs`. */
export const modelCode = (cpuMs: number, extra: Record<string, unknown> = {}): Buffer =>
  zipModel({ cpuMs, noiseSigma: 0, ...extra });

/** Creates an Active function with a recognisable configuration. */
export async function createFunction(
  client: LambdaClient,
  name: string,
  extra: { code?: Buffer; memorySize?: number; description?: string; environment?: Record<string, string> } = {}
): Promise<void> {
  await client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: extra.code ?? modelCode(100) },
      MemorySize: extra.memorySize ?? 1024,
      Description: extra.description ?? 'checkout API',
      Timeout: 30,
      Environment: { Variables: extra.environment ?? { STAGE: 'prod' } }
    })
  );
  await waitUntilFunctionActiveV2({ client, minDelay: 1, maxDelay: 1, maxWaitTime: 10 }, { FunctionName: name });
}

/** The emulator's snapshot of one function, or undefined when it does not exist. */
export function snapshot(emulator: RunningEmulator, name: string): FunctionSnapshot | undefined {
  return emulator.state().find((fn) => fn.name === name);
}

/** What a run must leave as it found it on `$LATEST`. */
export function latestOf(emulator: RunningEmulator, name: string) {
  const fn = snapshot(emulator, name);
  if (!fn) throw new Error(`function ${name} does not exist`);
  const { memorySize, description, codeSha256, environment, architecture, lastUpdateStatus } = fn;
  return { memorySize, description, codeSha256, environment, architecture, lastUpdateStatus };
}

/** Version numbers of a function, as the emulator holds them. */
export function versionsOf(emulator: RunningEmulator, name: string): string[] {
  return (snapshot(emulator, name)?.versions ?? []).map((v) => v.version);
}

/** Waits for a rejection and returns it. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * A port whose calls can be intercepted: `before[method]` runs before the real call with its arguments
 * and the number of the call (1-based), e.g. to install a fault or change the function "as someone else".
 */
export function interceptingPort(
  port: LambdaPort,
  before: Partial<Record<keyof LambdaPort, (call: number, args: unknown[]) => Promise<void> | void>>
): LambdaPort {
  const counts = new Map<string, number>();
  return new Proxy(port, {
    get(target, property: keyof LambdaPort) {
      const real = target[property] as (...args: unknown[]) => Promise<unknown>;
      const hook = before[property];
      if (typeof real !== 'function' || !hook) return real;
      return async (...args: unknown[]) => {
        const call = (counts.get(property) ?? 0) + 1;
        counts.set(property, call);
        await hook(call, args);
        return real.apply(target, args);
      };
    }
  });
}
