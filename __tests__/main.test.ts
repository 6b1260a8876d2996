/**
 * run() in-process, with @actions/core mocked and the Lambda client stubbed by aws-sdk-client-mock, for what
 * the emulator cannot produce: AccessDenied from IAM, and the one-failure-path contract. The whole action
 * against the emulator is in __tests__/action/action.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  GetFunctionCommand,
  LambdaClient,
  LambdaServiceException,
  UpdateFunctionConfigurationCommand
} from '@aws-sdk/client-lambda';
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

beforeEach(() => {
  lambda.reset();
  core.getState.mockReturnValue('');
  givenInputs({ 'function-name': 'my-fn', 'aws-region': 'eu-west-1' });
});

afterEach(() => {
  jest.clearAllMocks();
});

describe('run', () => {
  it('fails on a bad input before any AWS call, naming the input, the value and what is allowed', async () => {
    givenInputs({ 'function-name': 'my-fn', 'max-p99-increase': 'ten' });
    await run();
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed.mock.calls[0]![0]).toMatch(/Invalid input "max-p99-increase": got "ten"; allowed: .*%/);
    expect(lambda.calls()).toHaveLength(0);
  });

  it('names the IAM action that was refused, and changes nothing', async () => {
    lambda.on(GetFunctionCommand).rejects(
      new LambdaServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message:
          'User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: lambda:GetFunction on resource: my-fn'
      })
    );
    await run();
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed.mock.calls[0]![0]).toContain('lambda:GetFunction');
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
  });

  it('marks the main step so the post step (same bundle) knows it is the post step', async () => {
    givenInputs({ 'function-name': 'my-fn', invocations: '0' });
    await run();
    expect(core.saveState).toHaveBeenCalledWith('isPost', 'true');
  });

  it('does nothing in the post step when the main step changed no function', async () => {
    core.getState.mockImplementation((name) => (name === 'isPost' ? 'true' : ''));
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(core.info).toHaveBeenCalledWith('Nothing to clean up: the main step changed no function.');
    expect(lambda.calls()).toHaveLength(0);
  });
});
