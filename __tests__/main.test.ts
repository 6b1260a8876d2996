/**
 * run() end to end with @actions/core mocked and the Lambda client's `send` stubbed by
 * aws-sdk-client-mock. Inputs come from a named map, not from an ordered chain of return values.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { GetFunctionConfigurationCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import * as core from '../__fixtures__/core.js';

// The mock must be installed before main.js is imported, hence the dynamic import below.
jest.unstable_mockModule('@actions/core', () => core);
const { run } = await import('../src/main.js');

const lambda = mockClient(LambdaClient);

/** Sets the inputs run() will read; anything not named reads as '' like an unset action input. */
function givenInputs(inputs: Record<string, string>): void {
  core.getInput.mockImplementation((name) => inputs[name] ?? '');
}

/** The client run() built, as the stub saw it. */
function usedClient(): LambdaClient {
  return lambda.call(0).thisValue as LambdaClient;
}

beforeEach(() => {
  lambda.reset();
  givenInputs({ 'function-name': 'my-fn' });
});

afterEach(() => {
  jest.resetAllMocks();
});

describe('run', () => {
  it('reports memory size and architecture of the function', async () => {
    // Prepare
    lambda.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: 'my-fn',
      MemorySize: 1024,
      Architectures: ['arm64'],
      Runtime: 'nodejs22.x'
    });

    // Act
    await run();

    // Assess
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0]?.args[0].input).toEqual({
      FunctionName: 'my-fn'
    });
    expect(core.setOutput).toHaveBeenCalledWith('memory-size', '1024');
    expect(core.setOutput).toHaveBeenCalledWith('architecture', 'arm64');
    expect(core.notice).toHaveBeenCalledWith('Function my-fn: 1024 MB, arm64, runtime nodejs22.x');
  });

  it('assumes x86_64 when Lambda lists no architecture, and names image functions', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ MemorySize: 128, PackageType: 'Image' });

    await run();

    expect(core.setFailed).not.toHaveBeenCalled();
    expect(core.setOutput).toHaveBeenCalledWith('architecture', 'x86_64');
    expect(core.notice).toHaveBeenCalledWith('Function my-fn: 128 MB, x86_64, runtime container image');
  });

  it('passes endpoint-url, aws-region and max-attempts to the client', async () => {
    givenInputs({
      'function-name': 'my-fn',
      'endpoint-url': 'http://127.0.0.1:9001',
      'aws-region': 'eu-west-1',
      'max-attempts': '5'
    });
    lambda.on(GetFunctionConfigurationCommand).resolves({ MemorySize: 512, Architectures: ['x86_64'] });

    await run();

    expect(core.setFailed).not.toHaveBeenCalled();
    const config = usedClient().config;
    expect(await config.region()).toBe('eu-west-1');
    expect(await config.maxAttempts()).toBe(5);
    const endpoint = await config.endpoint?.();
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe('http://127.0.0.1:9001');
  });

  it('fails with context when the function does not exist', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(
      new ResourceNotFoundException({
        message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing-fn',
        $metadata: { httpStatusCode: 404 }
      })
    );
    givenInputs({ 'function-name': 'missing-fn' });

    await run();

    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed).toHaveBeenCalledWith(
      'Could not read the configuration of function missing-fn: ' +
        'Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing-fn'
    );
    expect(core.setOutput).not.toHaveBeenCalled();
  });

  it('fails when Lambda returns no memory size rather than guessing one', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ FunctionName: 'my-fn' });

    await run();

    expect(core.setFailed).toHaveBeenCalledWith(
      'Could not read the configuration of function my-fn: the response has no MemorySize'
    );
    expect(core.setOutput).not.toHaveBeenCalled();
  });

  it('fails on a missing function-name without calling AWS', async () => {
    givenInputs({});

    await run();

    expect(core.setFailed).toHaveBeenCalledWith(
      'Invalid input "function-name": got ""; allowed: a Lambda function name, ARN or partial ARN (1-170 characters)'
    );
    expect(lambda.calls()).toHaveLength(0);
  });

  it('fails on an invalid max-attempts', async () => {
    givenInputs({ 'function-name': 'my-fn', 'max-attempts': 'many' });

    await run();

    expect(core.setFailed).toHaveBeenCalledWith(
      'Invalid input "max-attempts": got "many"; allowed: a whole number from 1 to 10'
    );
    expect(lambda.calls()).toHaveLength(0);
  });
});
