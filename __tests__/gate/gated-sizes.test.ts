/** Which sizes a gate sweeps, which it judges, and which are measured more often. */
import { describe, expect, it } from '@jest/globals';
import { planGate } from '../../src/gate/gated-sizes.js';

describe('planGate', () => {
  it('gates the current size and adds it to the sweep when memory-sizes leaves it out', () => {
    expect(planGate({ kind: 'current' }, 1024, [128, 512], 50, 300)).toEqual({
      memorySizes: [128, 512, 1024],
      gatedSizes: [1024],
      sizeInvocations: [{ memoryMb: 1024, invocations: 300 }]
    });
  });

  it('puts an added size in order among the swept ones', () => {
    expect(planGate({ kind: 'current' }, 300, [128, 512, 2048], 10, 20).memorySizes).toEqual([128, 300, 512, 2048]);
  });

  it('does not sweep the current size twice when memory-sizes already has it', () => {
    expect(planGate({ kind: 'current' }, 512, [128, 512, 1024], 50, 300)).toEqual({
      memorySizes: [128, 512, 1024],
      gatedSizes: [512],
      sizeInvocations: [{ memoryMb: 512, invocations: 300 }]
    });
  });

  it('gates a list of sizes, adding the missing ones, whatever the current size', () => {
    expect(planGate({ kind: 'sizes', sizes: [2048, 256] }, 1024, [256, 512], 50, 300)).toEqual({
      memorySizes: [256, 512, 2048],
      gatedSizes: [256, 2048],
      sizeInvocations: [
        { memoryMb: 256, invocations: 300 },
        { memoryMb: 2048, invocations: 300 }
      ]
    });
  });

  it('sweeps and gates a size once when it is listed twice', () => {
    expect(planGate({ kind: 'sizes', sizes: [512, 512] }, 1024, [128, 512], 50, 300)).toEqual({
      memorySizes: [128, 512],
      gatedSizes: [512],
      sizeInvocations: [{ memoryMb: 512, invocations: 300 }]
    });
  });

  it('sorts sizes given out of order', () => {
    expect(planGate({ kind: 'sizes', sizes: [1024, 256] }, 512, [2048, 128], 10, 20)).toMatchObject({
      memorySizes: [128, 256, 1024, 2048],
      gatedSizes: [256, 1024]
    });
  });

  it('gates every swept size with all, and not the current one when it is not swept', () => {
    expect(planGate({ kind: 'all' }, 1024, [128, 512], 50, 300)).toEqual({
      memorySizes: [128, 512],
      gatedSizes: [128, 512],
      sizeInvocations: [
        { memoryMb: 128, invocations: 300 },
        { memoryMb: 512, invocations: 300 }
      ]
    });
  });

  it('measures nothing extra when gate-invocations equals invocations', () => {
    expect(planGate({ kind: 'current' }, 1024, [512], 300, 300).sizeInvocations).toEqual([]);
  });

  it('measures nothing extra when gate-invocations is below invocations', () => {
    const plan = planGate({ kind: 'all' }, 1024, [512, 1024], 400, 300);
    expect(plan.sizeInvocations).toEqual([]);
    expect(plan.gatedSizes).toEqual([512, 1024]);
  });

  it('does not change the memory-sizes list it was given', () => {
    const sizes = [512, 128];
    planGate({ kind: 'current' }, 1024, sizes, 50, 300);
    expect(sizes).toEqual([512, 128]);
  });
});
