/** The action's outputs: plain numbers a workflow can compare, the worst case over functions and sizes. */
import { describe, expect, it } from '@jest/globals';
import { gateOutputs } from '../../src/gate/decide.js';
import { fnOutcome, outcome, size } from './helpers.js';

describe('gateOutputs', () => {
  it('gives the worst cost, p99 and changes over several functions and sizes', () => {
    const result = gateOutputs(
      outcome([
        fnOutcome('orders-api', [
          size({ memoryMb: 512, costPerMillionUsd: 1.2, p99Ms: 300.04, costChange: -0.1, p99Change: 0.05 }),
          size({ memoryMb: 1024, costPerMillionUsd: 2.5, p99Ms: 150, costChange: 0.02, p99Change: -0.3 })
        ]),
        fnOutcome('billing', [
          size({ memoryMb: 256, costPerMillionUsd: 23.41, p99Ms: 99, costChange: 0.2341, p99Change: 0.01 })
        ])
      ])
    );

    expect(result).toEqual({
      verdict: 'pass',
      recommendedMemory: '512',
      costPerMillion: '23.41',
      p99Ms: '300',
      costChangePercent: '23.4',
      p99ChangePercent: '5'
    });
  });

  it('writes a fall as a plain negative number', () => {
    const result = gateOutputs(
      outcome([fnOutcome('orders-api', [size({ memoryMb: 1024, costChange: -0.042, p99Change: -0.2 })])])
    );
    expect(result.costChangePercent).toBe('-4.2');
    expect(result.p99ChangePercent).toBe('-20');
  });

  it('never writes -0 for a change that rounds to nothing', () => {
    const result = gateOutputs(
      outcome([fnOutcome('orders-api', [size({ memoryMb: 1024, costChange: -0.0004, p99Change: -0.00001 })])])
    );
    expect(result.costChangePercent).toBe('0');
    expect(result.p99ChangePercent).toBe('0');
  });

  it('rounds cost to 4 decimals and p99 to 1, without units or trailing zeros', () => {
    const result = gateOutputs(
      outcome([fnOutcome('orders-api', [size({ memoryMb: 1024, costPerMillionUsd: 1.234567, p99Ms: 412.349 })])])
    );
    expect(result.costPerMillion).toBe('1.2346');
    expect(result.p99Ms).toBe('412.3');
  });

  it('leaves the changes empty without a baseline, and a figure empty when no size has it', () => {
    const result = gateOutputs(
      outcome([fnOutcome('orders-api', [size({ memoryMb: 1024, p99Ms: null, costPerMillionUsd: 2 })])])
    );
    expect(result).toMatchObject({ costPerMillion: '2', p99Ms: '', costChangePercent: '', p99ChangePercent: '' });
  });

  it('uses the figures that exist when one size lacks them', () => {
    const result = gateOutputs(
      outcome([
        fnOutcome('orders-api', [
          size({ memoryMb: 512, p99Ms: null }),
          size({ memoryMb: 1024, p99Ms: 87.25, p99Change: 0.125 })
        ])
      ])
    );
    expect(result.p99Ms).toBe('87.3');
    expect(result.p99ChangePercent).toBe('12.5');
  });

  it('recommends from the first function that has a recommendation', () => {
    const none = fnOutcome('broken', [size({ memoryMb: 128 })]);
    none.report = { ...none.report, recommendation: { ...none.report.recommendation, memoryMb: null } };
    const result = gateOutputs(outcome([none, fnOutcome('orders-api', [size({ memoryMb: 2048 })])]));
    expect(result.recommendedMemory).toBe('2048');
  });

  it('gives the verdict and empty figures for a skipped run', () => {
    expect(gateOutputs(outcome([], { verdict: 'skipped' }))).toEqual({
      verdict: 'skipped',
      recommendedMemory: '',
      costPerMillion: '',
      p99Ms: '',
      costChangePercent: '',
      p99ChangePercent: ''
    });
  });

  it('reports the verdict of the run, not of one function', () => {
    expect(gateOutputs(outcome([fnOutcome('a', [size({ memoryMb: 512 })])], { verdict: 'fail' })).verdict).toBe('fail');
  });
});
