/**
 * The apply step: only confident recommendations, only allowed functions, within the largest step and
 * above the minimum, only if the function has not changed since it was read, one at a time within the
 * control-plane rate, and a report of what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { applyRecommendations, boundedTarget } from '../../src/fleet/apply.js';
import { RevisionChangedError } from '../../src/fleet/errors.js';
import { Pacer } from '../../src/fleet/pace.js';
import type { MemoryRecommendation } from '../../src/fleet/rules.js';
import { runRightSize, type RightSizeResult } from '../../src/fleet/run.js';
import type { FleetFunction, FleetLambdaPort } from '../../src/fleet/types.js';
import { fakeClock, fleetFunction, settingsFrom, startFleetTestBed, type FleetTestBed } from './helpers.js';

const model = { cpuMs: 1 };
const usage = (name: string, memorySizeMb: number, maxMemoryUsedMb: number) => ({
  name,
  memorySizeMb,
  invocationsPerDay: 30,
  durationMs: 50,
  maxMemoryUsedMb
});

describe('apply on the emulator', () => {
  let bed: FleetTestBed;
  let result: RightSizeResult;

  beforeAll(async () => {
    bed = await startFleetTestBed(
      {
        functions: [
          { name: 'checkout', model, memorySize: 1024 },
          { name: 'resizer', model, memorySize: 512 },
          { name: 'big', model, memorySize: 3008 },
          { name: 'tiny', model, memorySize: 512 },
          { name: 'outsider', model, memorySize: 1024 },
          { name: 'racer', model, memorySize: 1024 },
          { name: 'sneaky', model, memorySize: 1024 }
        ]
      },
      [
        usage('checkout', 1024, 300), // 300 + 100 = 400 → 448 MB
        usage('resizer', 512, 470), // 470 + 100 = 570 → 576 MB (up)
        usage('big', 3008, 400), // 400 + 100 = 500 → 512 MB, but at most 1024 MB down: 1984 MB
        usage('tiny', 512, 20), // 20 + 100 = 120 → 128 MB, but never below apply-min-memory 256 MB
        usage('outsider', 1024, 100), // 256 MB, but not in the allow-list
        usage('racer', 1024, 300), // 448 MB, but redeployed after the analysis
        usage('sneaky', 1024, 300) // 448 MB, but redeployed between the re-read and the update
      ]
    );
    const redeploy = (name: string) =>
      bed.lambdaClient.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: 'redeployed' }));
    // Another deployment lands at the worst moments: just before the re-read, and just before the update.
    const racing: FleetLambdaPort = {
      ...bed.lambda,
      getFunction: async (name) => {
        if (name === 'racer') await redeploy(name);
        return bed.lambda.getFunction(name);
      },
      updateMemory: async (name, memoryMb, revisionId) => {
        if (name === 'sneaky') await redeploy(name);
        return bed.lambda.updateMemory(name, memoryMb, revisionId);
      }
    };
    const settings = settingsFrom({
      'all-functions': 'true',
      apply: 'true',
      'apply-allow': 'checkout, resizer, big, tiny, rac*, sneaky',
      'apply-max-step': '1024',
      'apply-min-memory': '256'
    });
    result = await runRightSize(settings, bed.deps({ lambda: racing }));
  });
  afterAll(async () => {
    await bed.close();
  });

  it('changes the memory of confident, allowed functions within the bounds, and reports each change', () => {
    const byName = Object.fromEntries(result.report.apply.results.map((r) => [r.name, r]));
    expect(byName.checkout).toMatchObject({ fromMb: 1024, toMb: 448, status: 'applied' });
    expect(byName.resizer).toMatchObject({ fromMb: 512, toMb: 576, status: 'applied' });
    expect(byName.big).toMatchObject({
      fromMb: 3008,
      toMb: 1984,
      recommendedMb: 512,
      status: 'applied',
      reason: 'memory updated; moved by apply-max-step 1024 MB only'
    });
    expect(byName.tiny).toMatchObject({ fromMb: 512, toMb: 256, recommendedMb: 128, status: 'applied' });
    expect(byName.outsider).toMatchObject({ status: 'skipped', reason: 'not in apply-allow' });
    expect(result.report.totals.applied).toBe(4);
    expect(result.markdown).toContain('### Applied changes');
    expect(result.markdown).toContain(
      '| `big` | 3008 MB → 1984 MB (recommended 512 MB) | applied | memory updated; moved by apply-max-step 1024 MB only |'
    );
  });

  it('skips a function whose configuration changed since it was read, before or during the update', () => {
    const byName = Object.fromEntries(result.report.apply.results.map((r) => [r.name, r]));
    expect(byName.racer).toMatchObject({
      status: 'skipped',
      reason: 'its configuration changed since it was read (RevisionId): analyse it again'
    });
    expect(byName.sneaky).toMatchObject({
      status: 'skipped',
      reason: 'its configuration changed while it was being updated (RevisionId): analyse it again'
    });
  });

  it('leaves the emulator with exactly the reported sizes', () => {
    const sizes = Object.fromEntries(bed.emulator.state().map((s) => [s.name, s.memorySize]));
    expect(sizes).toEqual({
      big: 1984,
      checkout: 448,
      outsider: 1024,
      racer: 1024,
      resizer: 576,
      sneaky: 1024,
      tiny: 256
    });
  });

  it('refuses an update whose RevisionId is stale with a typed error', async () => {
    const stale = await bed.lambda.getFunction('outsider');
    await bed.lambdaClient.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'outsider', Description: 'x' }));

    await expect(bed.lambda.updateMemory('outsider', 512, stale!.revisionId)).rejects.toBeInstanceOf(
      RevisionChangedError
    );
  });
});

describe('applyRecommendations pacing', () => {
  const rec = (memoryMb: number): MemoryRecommendation => ({
    memoryMb,
    usageFloorMb: memoryMb,
    peakFloorMb: memoryMb,
    rule: 'usage-buffer',
    reason: '',
    confident: true,
    doubts: [],
    flags: [],
    usedShare: 0.3,
    cpu: { source: 'none', elasticity: null, dependent: false, detail: '' },
    sweepOptimumMb: null
  });

  it('makes one change at a time, with control-plane calls at most `rate` a second', async () => {
    const clock = fakeClock(1_000_000);
    const calls: Array<{ at: number; what: string }> = [];
    const functions = ['a', 'b', 'c', 'd', 'e'].map((name) => fleetFunction({ name, memoryMb: 1024 }));
    const port: FleetLambdaPort = {
      listFunctions: async () => ({ functions }),
      listTags: async () => ({}),
      getFunction: async (name) => {
        calls.push({ at: clock.now(), what: `read ${name}` });
        return functions.find((f) => f.name === name);
      },
      updateMemory: async (name, memoryMb): Promise<FleetFunction> => {
        calls.push({ at: clock.now(), what: `update ${name}` });
        // The update takes a while to settle; the next function waits for it.
        await clock.sleep(30);
        calls.push({ at: clock.now(), what: `settled ${name}` });
        return fleetFunction({ name, memoryMb });
      }
    };

    const results = await applyRecommendations(
      functions.map((fn) => ({ fn, rec: rec(512) })),
      { enabled: true, maxStepMb: 1024, minMemoryMb: 128, allow: ['*'] },
      port,
      new Pacer(10, clock)
    );

    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(calls.map((c) => c.what).slice(0, 6)).toEqual([
      'read a',
      'update a',
      'settled a',
      'read b',
      'update b',
      'settled b'
    ]);
    const requests = calls.filter((c) => !c.what.startsWith('settled')).map((c) => c.at);
    expect(requests).toHaveLength(10);
    // 10 a second: every request at least 100 ms after the previous one.
    for (let i = 1; i < requests.length; i++) expect(requests[i]! - requests[i - 1]!).toBeGreaterThanOrEqual(100);
  });

  it('bounds a change by the largest step and the minimum size', () => {
    expect(boundedTarget(3008, 512, { maxStepMb: 1024, minMemoryMb: 128 })).toEqual({
      toMb: 1984,
      notes: ['moved by apply-max-step 1024 MB only']
    });
    expect(boundedTarget(512, 2048, { maxStepMb: 512, minMemoryMb: 128 }).toMb).toBe(1024);
    expect(boundedTarget(256, 128, { maxStepMb: 1024, minMemoryMb: 256 })).toEqual({
      toMb: 256,
      notes: ['raised to apply-min-memory 256 MB']
    });
  });
});
