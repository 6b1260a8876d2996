import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { SweepInputs as Inputs } from '../../src/inputs/names.js';
import { parseSweepInputs } from '../../src/inputs/sweep-inputs.js';
import { DEFAULT_MEMORY_SIZES } from '../../src/sweep/plan.js';

const files: Record<string, string> = {
  'payload.json': '{"orderId":42}',
  'bad.json': '{"secret":"hunter2",',
  'weighted.json': JSON.stringify([
    { payload: { kind: 'small' }, weight: 3 },
    { payload: { kind: 'large' }, weight: 1 }
  ]),
  'weighted-bad.json': JSON.stringify([{ payload: {}, weight: -1 }])
};
const context = {
  readFile: (path: string) => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT: ${path}`);
    return text;
  },
  newRunId: () => 'run-1'
};
const parse = (inputs: Record<string, string>) => parseSweepInputs((name) => inputs[name] ?? '', 'my-fn', context);

/** The InputError a parse throws, so a test can read every part of its message. */
const failure = (inputs: Record<string, string>): InputError => {
  try {
    parse(inputs);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
};

describe('parseSweepInputs', () => {
  it('fills every default when nothing but the function is given', () => {
    expect(parse({})).toEqual({
      options: {
        functionName: 'my-fn',
        memorySizes: DEFAULT_MEMORY_SIZES,
        invocations: 50,
        warmup: 2,
        concurrency: 5,
        payloads: [{ json: '{}', weight: 1 }],
        mode: 'in-place',
        strategy: 'balanced',
        balancedWeight: 0.5,
        runId: 'run-1'
      },
      confidence: 0.95,
      includePayloads: false,
      priceOverrides: {}
    });
  });

  it('reads every input', () => {
    const settings = parse({
      [Inputs.MemorySizes]: '1024, 128,512',
      [Inputs.Invocations]: '200',
      [Inputs.Warmup]: '0',
      [Inputs.Concurrency]: '20',
      [Inputs.PayloadsFile]: 'weighted.json',
      [Inputs.DeployMode]: 'temporary-copy',
      [Inputs.Strategy]: 'cost',
      [Inputs.BalancedWeight]: '0.8',
      [Inputs.Confidence]: '0.99',
      [Inputs.IncludePayloads]: 'true',
      [Inputs.RunId]: 'pr-12_run-3',
      [Inputs.Code]: 'build/function.zip',
      [Inputs.JobsPerInvocation]: '$.processed',
      [Inputs.PricePerGbSecond]: '0.0000133334',
      [Inputs.PricePerRequest]: '2e-7'
    });
    expect(settings.options).toMatchObject({
      memorySizes: [128, 512, 1024],
      invocations: 200,
      warmup: 0,
      concurrency: 20,
      payloads: [
        { json: '{"kind":"small"}', weight: 3 },
        { json: '{"kind":"large"}', weight: 1 }
      ],
      mode: 'temporary-copy',
      strategy: 'cost',
      balancedWeight: 0.8,
      runId: 'pr-12_run-3',
      code: { kind: 'zip', path: 'build/function.zip' },
      jobsPerInvocation: { kind: 'response-path', path: '$.processed' }
    });
    expect(settings).toMatchObject({
      confidence: 0.99,
      includePayloads: true,
      priceOverrides: { gbSecondUsd: 0.0000133334, requestUsd: 2e-7 }
    });
  });

  it('takes a folder, an S3 object, a payload file and a fixed job count', () => {
    expect(parse({ [Inputs.Code]: 'dist/fn' }).options.code).toEqual({ kind: 'directory', path: 'dist/fn' });
    const s3 = parse({ [Inputs.S3Bucket]: 'builds', [Inputs.S3Key]: 'fn.zip', [Inputs.S3ObjectVersion]: 'v7' });
    expect(s3.options.code).toEqual({ kind: 's3', bucket: 'builds', key: 'fn.zip', objectVersion: 'v7' });
    expect(parse({ [Inputs.PayloadFile]: 'payload.json' }).options.payloads).toEqual([
      { json: '{"orderId":42}', weight: 1 }
    ]);
    expect(parse({ [Inputs.JobsPerInvocation]: '25' }).options.jobsPerInvocation).toEqual({ kind: 'fixed', count: 25 });
  });

  it.each([
    [Inputs.MemorySizes, '', undefined],
    [Inputs.MemorySizes, '64,128', 'distinct whole numbers of MB from 128 to 10240'],
    [Inputs.MemorySizes, '128,10241', 'from 128 to 10240'],
    [Inputs.MemorySizes, '128,128', 'distinct'],
    [Inputs.MemorySizes, '128.5', 'whole numbers'],
    [Inputs.MemorySizes, ',', 'separated by commas'],
    [Inputs.Invocations, '0', 'a whole number from 1 to 10000'],
    [Inputs.Invocations, '10001', 'a whole number from 1 to 10000'],
    [Inputs.Invocations, 'many', 'a whole number from 1 to 10000'],
    [Inputs.Concurrency, '201', 'a whole number from 1 to 200'],
    [Inputs.Concurrency, '-1', 'a whole number from 1 to 200'],
    [Inputs.Warmup, '101', 'a whole number from 0 to 100'],
    [Inputs.Strategy, 'cheapest', 'cost, speed or balanced'],
    [Inputs.DeployMode, 'copy', 'in-place or temporary-copy'],
    [Inputs.BalancedWeight, '1.5', 'a number from 0 (speed only) to 1 (cost only)'],
    [Inputs.Confidence, '0.3', 'a number from 0.5 to 0.999'],
    [Inputs.IncludePayloads, 'yes', 'true or false'],
    [Inputs.RunId, 'has spaces', 'up to 40 letters'],
    [Inputs.PricePerGbSecond, '-0.1', 'a positive number of USD'],
    [Inputs.PricePerRequest, 'free', 'a positive number of USD'],
    [Inputs.JobsPerInvocation, '0', 'a JSON path'],
    [Inputs.JobsPerInvocation, 'jobs', 'a JSON path'],
    [Inputs.JobsPerInvocation, '$.a..b', 'a JSON path'],
    [Inputs.PayloadFile, 'missing.json', 'a readable file'],
    [Inputs.PayloadsFile, 'payload.json', 'a JSON array'],
    [Inputs.PayloadsFile, 'bad.json', 'a JSON file holding'],
    [Inputs.PayloadsFile, 'weighted-bad.json', 'a JSON array']
  ])('refuses %s = %j, naming the input, the value and what is allowed', (input, value, allowed) => {
    if (allowed === undefined) {
      expect(() => parse({ [input]: value })).not.toThrow();
      return;
    }
    const error = failure({ [input]: value });
    expect(error.input).toBe(input);
    expect(error.value).toBe(value);
    expect(error.message).toContain(`Invalid input "${input}"`);
    expect(error.message).toContain(allowed);
  });

  it('never quotes payload contents in an error', () => {
    const inline = failure({ [Inputs.Payload]: '{"password":"hunter2"' });
    expect(inline.message).toContain('inline payload of 21 bytes');
    expect(inline.message).not.toContain('hunter2');
    const fromFile = failure({ [Inputs.PayloadFile]: 'bad.json' });
    expect(fromFile.message).toBe('Invalid input "payload-file": got "bad.json"; allowed: valid JSON');
  });

  it('refuses payloads over Lambda’s 6 MB limit', () => {
    const big = JSON.stringify({ blob: 'x'.repeat(6 * 1024 * 1024) });
    expect(failure({ [Inputs.Payload]: big }).message).toContain('at most 6291456 bytes');
  });

  it('refuses two sources of code or of payloads, and half an S3 location', () => {
    expect(failure({ [Inputs.Code]: 'fn.zip', [Inputs.S3Bucket]: 'b', [Inputs.S3Key]: 'k' }).input).toBe(Inputs.Code);
    expect(failure({ [Inputs.S3Key]: 'k' }).input).toBe(Inputs.S3Bucket);
    expect(failure({ [Inputs.S3Bucket]: 'b' }).input).toBe(Inputs.S3Key);
    expect(failure({ [Inputs.Payload]: '{}', [Inputs.PayloadFile]: 'payload.json' }).message).toContain(
      'only one of payload, payload-file and payloads-file'
    );
  });
});
