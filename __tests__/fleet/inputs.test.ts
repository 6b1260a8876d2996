/**
 * The right-size inputs as a workflow or the CLI gives them: defaults, the accepted forms, and an
 * error naming the input, the value and what it accepts for anything else.
 */
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { parseRightSizeInputs } from '../../src/inputs/right-size-inputs.js';
import { RightSizeInputs } from '../../src/inputs/right-size-names.js';

const parse = (inputs: Record<string, string>) => parseRightSizeInputs((name) => inputs[name] ?? '');
const failure = (inputs: Record<string, string>): InputError => {
  try {
    parse(inputs);
  } catch (error) {
    return error as InputError;
  }
  throw new Error('expected an InputError');
};

describe('parseRightSizeInputs', () => {
  it('fills every default when only the selection is given', () => {
    expect(parse({ 'all-functions': 'true' })).toEqual({
      selection: { kind: 'filter', tags: [] },
      lookbackDays: 14,
      buffer: { kind: 'mb', mb: 100 },
      peakMargin: { kind: 'mb', mb: 32 },
      memoryStepMb: 64,
      minInvocations: 50,
      minDays: 7,
      maxConcurrentQueries: 10,
      queryTimeoutSeconds: 900,
      sweepReportPaths: [],
      priceOverrides: {},
      apply: { enabled: false, maxStepMb: 1024, minMemoryMb: 128, allow: [] },
      controlPlaneRate: 10
    });
  });

  it('reads lists from commas or line breaks, tags with or without a value, and margins in MB or %', () => {
    const settings = parse({
      'function-prefix': 'orders-',
      'function-tags': 'team=payments\n env = prod , critical',
      'memory-buffer': '20%',
      'peak-margin': '16 MB',
      'sweep-reports': 'reports/a.json\nreports/b c.json',
      'price-per-gb-second': '0.00002'
    });

    expect(settings.selection).toEqual({
      kind: 'filter',
      prefix: 'orders-',
      tags: [{ key: 'team', value: 'payments' }, { key: 'env', value: 'prod' }, { key: 'critical' }]
    });
    expect(settings.buffer).toEqual({ kind: 'percent', percent: 20 });
    expect(settings.peakMargin).toEqual({ kind: 'mb', mb: 16 });
    expect(settings.sweepReportPaths).toEqual(['reports/a.json', 'reports/b c.json']);
    expect(settings.priceOverrides).toEqual({ gbSecondUsd: 0.00002 });
  });

  it('caps min-days at the look-back window', () => {
    expect(parse({ functions: 'a', 'lookback-days': '3' }).minDays).toBe(3);
  });

  it('refuses a run that selects nothing, or both names and filters', () => {
    expect(failure({}).message).toBe(
      'Invalid input "all-functions": got ""; allowed: true, or select functions with functions, function-prefix or function-tags'
    );
    expect(failure({ functions: 'a,b', 'function-prefix': 'x' }).input).toBe(RightSizeInputs.Functions);
  });

  it('requires an allow-list to apply', () => {
    const error = failure({ 'all-functions': 'true', apply: 'true' });

    expect(error.input).toBe('apply-allow');
    expect(error.allowed).toContain('* for every selected function');
  });

  it.each([
    ['lookback-days', '91', 'a whole number from 1 to 90'],
    [
      'memory-buffer',
      'lots',
      'a number of MB from 0 to 10240 (e.g. 100 or 100 MB), or a percentage from 0 to 1000 (e.g. 20%)'
    ],
    ['control-plane-rate', '20', 'a number of requests per second above 0 and at most 15 (Lambda control-plane limit)'],
    ['max-concurrent-queries', '0', 'a whole number from 1 to 100'],
    [
      'functions',
      'orders:prod',
      'function names or ARNs (without a version or alias), separated by commas or line breaks'
    ]
  ])('names %s when it is %j', (input, value, allowed) => {
    const error = failure({ 'all-functions': input === 'functions' ? '' : 'true', [input]: value });

    expect(error).toBeInstanceOf(InputError);
    expect({ input: error.input, value: error.value, allowed: error.allowed }).toEqual({ input, value, allowed });
  });
});
