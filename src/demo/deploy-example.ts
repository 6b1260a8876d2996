/**
 * Creates one of the sample functions (examples/functions/*) on a Lambda endpoint and waits until it is
 * Active: how the demo, and the tests that sweep real code on the emulator, get a function to measure.
 */
import { CreateFunctionCommand, type LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { zipDirectory } from '../deploy/zip.js';

/** What {@link deployExample} creates besides the code. */
export interface ExampleFunction {
  functionName: string;
  /** The sample's folder, e.g. resolve('examples/functions/cpu-bound'). */
  directory: string;
  memoryMb: number;
  environment?: Record<string, string>;
  timeoutSeconds?: number;
}

/**
 * @example
 * ```ts
 * await deployExample(client, { functionName: 'checkout', directory: resolve('examples/functions/cpu-bound'), memoryMb: 1024 });
 * ```
 */
export async function deployExample(client: LambdaClient, fn: ExampleFunction): Promise<void> {
  await client.send(
    new CreateFunctionCommand({
      FunctionName: fn.functionName,
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::123456789012:role/demo',
      Handler: 'index.handler',
      Code: { ZipFile: zipDirectory(fn.directory) },
      MemorySize: fn.memoryMb,
      Timeout: fn.timeoutSeconds ?? 30,
      ...(fn.environment ? { Environment: { Variables: fn.environment } } : {})
    })
  );
  await waitUntilFunctionActiveV2({ client, minDelay: 1, maxWaitTime: 30 }, { FunctionName: fn.functionName });
}
