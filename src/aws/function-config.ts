/**
 * Reads a function's configuration: the facts a sweep starts from.
 */
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { AwsCallError, LambdaCostGateError } from '../errors.js';

/** What the action reports about a function. */
export interface FunctionSummary {
  /** The function's name as Lambda returns it. */
  name: string;
  /** Configured memory in MB. */
  memorySize: number;
  /** `x86_64` or `arm64`. */
  architecture: string;
  /** Runtime identifier such as `nodejs22.x`, or `container image` for image functions (no runtime). */
  runtime: string;
}

/**
 * Calls GetFunctionConfiguration and keeps what the action needs.
 *
 * @example
 * ```ts
 * const fn = await readFunctionSummary(createLambdaClient(), 'my-fn');
 * fn.memorySize // 1024
 * ```
 * @throws {@link AwsCallError} when the call fails (the SDK error is the cause)
 */
export async function readFunctionSummary(client: LambdaClient, functionName: string): Promise<FunctionSummary> {
  const doing = `read the configuration of function ${functionName}`;
  let response;
  try {
    response = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  } catch (error) {
    throw new AwsCallError(doing, error);
  }
  // Lambda always returns MemorySize; a reply without it is a broken endpoint, and guessing 128 MB
  // would price the wrong thing.
  if (response.MemorySize === undefined) {
    throw new AwsCallError(doing, new LambdaCostGateError('the response has no MemorySize'));
  }
  return {
    name: response.FunctionName ?? functionName,
    memorySize: response.MemorySize,
    // Lambda leaves Architectures out for functions created before arm64 existed: they run on x86_64.
    architecture: response.Architectures?.[0] ?? 'x86_64',
    runtime: response.Runtime ?? (response.PackageType === 'Image' ? 'container image' : 'unknown')
  };
}
