/**
 * The grid's pure pieces a user meets: the description each cell's version carries (and that leftovers are
 * recognised by), which environment a restore takes for the run's own, and the checks made before the
 * function is even read.
 */
import { describe, expect, it } from '@jest/globals';
import { writtenByRun } from '../../src/deploy/cells.js';
import { Deployment } from '../../src/deploy/deployer.js';
import { cellDescription, runIdOf } from '../../src/deploy/naming.js';
import type { GridCell } from '../../src/grid/types.js';
import { interceptingPort, rejectionOf } from './helpers.js';

describe('cell descriptions', () => {
  it('name the cell, and keep the run id readable whatever the knob value holds', () => {
    const plain = cellDescription('42-1', { memoryMb: 512, architecture: 'arm64', knobValue: '4' }, 'THREADS');
    const odd = cellDescription('42-1', { memoryMb: 512, architecture: 'arm64', knobValue: 'a: b' }, 'MODE');
    expect(plain).toBe('lambda-cost-gate run 42-1: 512 MB arm64 THREADS=4');
    expect(odd).toMatch(/^lambda-cost-gate run 42-1: 512 MB arm64 MODE=#[0-9a-f]{8}$/);
    expect(runIdOf(odd)).toBe('42-1');
  });

  it('refuses knob values without a usable variable name, before reading the function', async () => {
    const port = interceptingPort({} as never, {});
    const cells: GridCell[] = [{ memoryMb: 512, knobValue: '2', architecture: 'x86_64' }];
    const noName = new Deployment(port, 'f', { mode: 'in-place', memorySizes: [], runId: 'x', cells });
    const reserved = new Deployment(port, 'f', {
      mode: 'in-place',
      memorySizes: [],
      runId: 'x',
      cells,
      knobName: 'AWS_REGION'
    });
    expect((await rejectionOf(noName.prepare())).message).toContain('no knob name');
    expect((await rejectionOf(reserved.prepare())).message).toContain('"AWS_REGION" cannot be set');
  });
});

describe('which environment a restore puts back', () => {
  const original = { STAGE: 'prod', DB_PASSWORD: 'x' };
  const written = new Set(['1', '4']);

  it("takes the run's knob values for its own, and nothing else", () => {
    expect(writtenByRun(original, { ...original, THREADS: '4' }, 'THREADS', written)).toBe(true);
    // A value the run never wrote, another variable changed too, or another variable alone: someone else's.
    expect(writtenByRun(original, { ...original, THREADS: '16' }, 'THREADS', written)).toBe(false);
    expect(writtenByRun(original, { ...original, THREADS: '4', STAGE: 'dev' }, 'THREADS', written)).toBe(false);
    expect(writtenByRun(original, { ...original, STAGE: 'dev' }, 'THREADS', written)).toBe(false);
    expect(writtenByRun(original, { ...original, THREADS: '4' }, undefined, written)).toBe(false);
  });
});
