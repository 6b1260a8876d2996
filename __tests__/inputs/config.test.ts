import { describe, expect, it } from '@jest/globals';
import { DEFAULT_MAX_ATTEMPTS } from '../../src/aws/clients.js';
import { InputError } from '../../src/errors.js';
import { parseConfig } from '../../src/inputs/config.js';
import { Inputs } from '../../src/inputs/names.js';

/** An input reader over a named map; unset inputs read as '' like in a real run. */
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('parseConfig', () => {
  it('applies the defaults when only function-name is set', () => {
    expect(parseConfig(reader({ [Inputs.FunctionName]: 'my-fn' }))).toEqual({
      functionName: 'my-fn',
      endpointUrl: undefined,
      region: undefined,
      maxAttempts: DEFAULT_MAX_ATTEMPTS
    });
  });

  it('reads every input, trimming spaces', () => {
    const config = parseConfig(
      reader({
        [Inputs.FunctionName]: ' arn:aws:lambda:us-east-1:123456789012:function:my-fn:live ',
        [Inputs.EndpointUrl]: 'http://127.0.0.1:9001',
        [Inputs.AwsRegion]: 'us-gov-west-1',
        [Inputs.MaxAttempts]: '10'
      })
    );

    expect(config).toEqual({
      functionName: 'arn:aws:lambda:us-east-1:123456789012:function:my-fn:live',
      endpointUrl: 'http://127.0.0.1:9001',
      region: 'us-gov-west-1',
      maxAttempts: 10
    });
  });

  it.each([
    [Inputs.FunctionName, ''],
    [Inputs.FunctionName, 'has spaces'],
    [Inputs.FunctionName, 'x'.repeat(171)],
    [Inputs.EndpointUrl, 'ftp://example.test'],
    [Inputs.EndpointUrl, 'not a url'],
    [Inputs.AwsRegion, 'US-EAST-1'],
    [Inputs.MaxAttempts, '0'],
    [Inputs.MaxAttempts, '11'],
    [Inputs.MaxAttempts, '2.5'],
    [Inputs.MaxAttempts, '-1']
  ])('rejects %s = %j with an InputError naming it', (input, value) => {
    const inputs = { [Inputs.FunctionName]: 'my-fn', [input]: value };

    let thrown: unknown;
    try {
      parseConfig(reader(inputs));
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(InputError);
    expect(thrown).toMatchObject({ input, value: value.trim() });
  });
});
