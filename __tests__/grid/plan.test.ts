import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { GridSpecError, parseKnob, planGrid } from '../../src/grid/plan.js';
import type { GridSpec } from '../../src/grid/types.js';

// The most values a knob may have.
const SIXTEEN = Array.from({ length: 16 }, (_, i) => String(i + 1));

describe('parseKnob', () => {
  it.each([
    ['THREADS=1,2,4,8', 'THREADS', ['1', '2', '4', '8']],
    ['  THREADS = 1 , 2,4 ,8  ', 'THREADS', ['1', '2', '4', '8']],
    ['batch_size2=small,large', 'batch_size2', ['small', 'large']],
    ['MODE=a=b,c', 'MODE', ['a=b', 'c']],
    ['NUM=' + SIXTEEN.join(','), 'NUM', SIXTEEN]
  ])('accepts %j', (text, name, values) => {
    expect(parseKnob(text)).toEqual({ name, values });
  });

  it.each([
    ['THREADS', 'a "=" between the name and the values'],
    ['=1,2', 'is not a valid name'],
    ['1THREADS=1,2', '"1THREADS" is not a valid name'],
    ['_THREADS=1,2', '"_THREADS" is not a valid name'],
    ['MY-VAR=1,2', '"MY-VAR" is not a valid name'],
    // Lambda's keys need at least two characters.
    ['W=8', '"W" is not a valid name'],
    ['AWS_REGION=us-east-1,eu-west-1', 'AWS_REGION is reserved by Lambda'],
    ['LAMBDA_TASK_ROOT=/a,/b', 'LAMBDA_TASK_ROOT is reserved by Lambda'],
    ['THREADS=', 'a value is empty'],
    ['THREADS=1,,2', 'a value is empty'],
    ['THREADS=1,2,', 'a value is empty'],
    ['THREADS=1,2,1', 'value "1" is given twice'],
    [`THREADS=${[...SIXTEEN, '17'].join(',')}`, '17 values are given']
  ])('refuses %j, naming grid-env, the value and what is allowed', (text, problem) => {
    let thrown: unknown;
    try {
      parseKnob(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GridSpecError);
    expect(thrown).toBeInstanceOf(InputError);
    const message = (thrown as Error).message;
    expect(message).toContain('Invalid input "grid-env"');
    expect(message).toContain(`got ${JSON.stringify(text)}`);
    expect(message).toContain('allowed: NAME=value,value,…');
    expect(message).toContain('1 to 16 distinct non-empty values');
    expect(message).toContain(problem);
  });
});

const spec = (over: Partial<GridSpec> = {}): GridSpec => ({
  memorySizes: [1024, 512],
  knob: { name: 'THREADS', values: ['1', '4'] },
  architectures: ['x86_64', 'arm64'],
  maxCells: 100,
  ...over
});

describe('planGrid', () => {
  it('orders cells memory ascending, then knob values as given, then architectures as given', () => {
    const plan = planGrid(spec({ knob: { name: 'THREADS', values: ['4', '1'] } }));
    expect(plan.cutNote).toBeUndefined();
    expect(plan.cells).toEqual([
      { memoryMb: 512, knobValue: '4', architecture: 'x86_64' },
      { memoryMb: 512, knobValue: '4', architecture: 'arm64' },
      { memoryMb: 512, knobValue: '1', architecture: 'x86_64' },
      { memoryMb: 512, knobValue: '1', architecture: 'arm64' },
      { memoryMb: 1024, knobValue: '4', architecture: 'x86_64' },
      { memoryMb: 1024, knobValue: '4', architecture: 'arm64' },
      { memoryMb: 1024, knobValue: '1', architecture: 'x86_64' },
      { memoryMb: 1024, knobValue: '1', architecture: 'arm64' }
    ]);
  });

  it('plans memory-only cells without a knob value', () => {
    const plan = planGrid(spec({ knob: undefined, architectures: ['arm64'] }));
    expect(plan.cells).toEqual([
      { memoryMb: 512, architecture: 'arm64' },
      { memoryMb: 1024, architecture: 'arm64' }
    ]);
  });

  it('keeps a grid exactly at the cap whole', () => {
    const plan = planGrid(spec({ maxCells: 8 }));
    expect(plan.cells).toHaveLength(8);
    expect(plan.cutNote).toBeUndefined();
  });

  it('thins memory sizes evenly, keeping the smallest and largest and every knob value and architecture', () => {
    // 8 sizes × 4 values × 1 architecture = 32 cells; cap 20 → ⌊20 / 4⌋ = 5 sizes, indices round(i · 7 / 4) = 0, 2, 4, 5, 7.
    const plan = planGrid({
      memorySizes: [128, 256, 512, 1024, 1536, 2048, 3008, 4096],
      knob: { name: 'THREADS', values: ['1', '2', '4', '8'] },
      architectures: ['x86_64'],
      maxCells: 20
    });
    expect(plan.cells).toHaveLength(20);
    expect([...new Set(plan.cells.map((cell) => cell.memoryMb))]).toEqual([128, 512, 1536, 2048, 4096]);
    expect(new Set(plan.cells.map((cell) => cell.knobValue))).toEqual(new Set(['1', '2', '4', '8']));
    expect(plan.cutNote).toBe(
      'The grid has 32 cells, more than the cap of 20: 20 cells are swept (5 of 8 memory sizes, 4 of 4 THREADS values, ' +
        '1 of 1 architectures); dropped 256, 1024, 3008 MB.'
    );
  });

  it('thins knob values (first and last kept) when one memory size with every value is above the cap', () => {
    // 3 sizes × 5 values × 2 architectures = 30; cap 6 → ⌊6 / 2⌋ = 3 values (indices 0, 2, 4), then 1 size.
    const plan = planGrid({
      memorySizes: [2048, 512, 1024],
      knob: { name: 'THREADS', values: ['1', '2', '4', '8', '16'] },
      architectures: ['arm64', 'x86_64'],
      maxCells: 6
    });
    expect(plan.cells.map((cell) => `${cell.memoryMb}/${cell.knobValue}/${cell.architecture}`)).toEqual([
      '512/1/arm64',
      '512/1/x86_64',
      '512/4/arm64',
      '512/4/x86_64',
      '512/16/arm64',
      '512/16/x86_64'
    ]);
    expect(plan.cutNote).toContain('The grid has 30 cells, more than the cap of 6');
    expect(plan.cutNote).toContain('dropped 1024, 2048 MB; THREADS=2,8.');
  });

  it('thins a memory-only grid without mentioning a knob', () => {
    // 5 sizes × 2 architectures = 10; cap 6 → 3 sizes, indices round(i · 4 / 2) = 0, 2, 4.
    const plan = planGrid({
      memorySizes: [128, 256, 512, 1024, 2048],
      architectures: ['x86_64', 'arm64'],
      maxCells: 6
    });
    expect([...new Set(plan.cells.map((cell) => cell.memoryMb))]).toEqual([128, 512, 2048]);
    expect(plan.cells.every((cell) => cell.knobValue === undefined)).toBe(true);
    expect(plan.cutNote).toBe(
      'The grid has 10 cells, more than the cap of 6: 6 cells are swept (3 of 5 memory sizes, 2 of 2 architectures); ' +
        'dropped 256, 1024 MB.'
    );
  });

  it('keeps the first architecture only when the cap is 1', () => {
    const plan = planGrid(spec({ maxCells: 1 }));
    expect(plan.cells).toEqual([{ memoryMb: 512, knobValue: '1', architecture: 'x86_64' }]);
    expect(plan.cutNote).toContain('dropped 1024 MB; THREADS=4; arm64.');
  });

  it.each<[string, Partial<GridSpec>, string]>([
    ['a cap of 0', { maxCells: 0 }, 'Invalid input "grid-max-cells": got "0"; allowed: a whole number ≥ 1'],
    ['a fractional cap', { maxCells: 2.5 }, 'Invalid input "grid-max-cells": got "2.5"'],
    ['no memory size', { memorySizes: [] }, 'Invalid input "memory-sizes": got ""'],
    ['a size below 128 MB', { memorySizes: [64, 512] }, 'here 64 is not'],
    ['a size above 10240 MB', { memorySizes: [10241] }, 'here 10241 is not'],
    ['a fractional size', { memorySizes: [512.5] }, 'here 512.5 is not'],
    ['a repeated size', { memorySizes: [512, 512] }, 'here a size is repeated'],
    ['no architecture', { architectures: [] }, 'Invalid input "architectures"'],
    ['a repeated architecture', { architectures: ['arm64', 'arm64'] }, 'got "arm64,arm64"; allowed: one or both'],
    ['an unknown architecture', { architectures: ['x86' as 'x86_64'] }, 'got "x86"'],
    ['an invalid knob', { knob: { name: 'AWS_X', values: ['1'] } }, 'AWS_X is reserved by Lambda']
  ])('refuses %s', (_, over, message) => {
    expect(() => planGrid(spec(over))).toThrow(GridSpecError);
    expect(() => planGrid(spec(over))).toThrow(message);
  });
});
