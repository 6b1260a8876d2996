/**
 * `mode: right-size` through the bundled action, as the runner runs it: 14 days of seeded REPORT records in the
 * emulator, the markdown report as the job summary, the JSON report at report-path, the totals as outputs, and
 * no function changed (a dry run by default).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { bulkLoadReports } from '../../src/emulator/logs/bulk-load.js';
import { runAction } from '../support/run-action.js';

describe('the action in right-size mode', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({
      config: {
        updateDelayMs: 0,
        functions: [
          { name: 'big-api', model: { cpuMs: 5 }, memorySize: 3008 },
          { name: 'tight-worker', model: { cpuMs: 5 }, memorySize: 512 }
        ]
      }
    });
    bulkLoadReports(emulator.logs, {
      days: 14,
      endAt: Date.now(),
      functions: [
        // Uses 200 MB of 3008: over-provisioned; the floor is about 200 + 100 MB.
        { name: 'big-api', memorySizeMb: 3008, invocationsPerDay: 500, durationMs: 40, maxMemoryUsedMb: 200 },
        // Uses 490 MB of 512: at risk.
        { name: 'tight-worker', memorySizeMb: 512, invocationsPerDay: 100, durationMs: 300, maxMemoryUsedMb: 490 }
      ]
    });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('recommends from the records, flags both functions, and changes nothing', async () => {
    const before = emulator.state();
    const result = await runAction({
      inputs: { mode: 'right-size', 'all-functions': 'true', 'endpoint-url': emulator.endpoint },
      env: { GITHUB_EVENT_NAME: 'schedule' }
    });
    expect(result.code).toBe(0);
    expect(result.outputs['functions-analysed']).toBe('2');
    expect(result.outputs['at-risk-count']).toBe('1');
    expect(result.outputs['over-provisioned-count']).toBe('1');
    expect(Number(result.outputs['monthly-savings'])).toBeGreaterThan(0);
    expect(result.outputs['applied-count']).toBe('0');
    expect(result.summary).toContain('big-api');
    expect(result.summary).toContain('tight-worker');
    const report = JSON.parse(readFileSync(result.outputs['report-path']!, 'utf8')) as { functions: unknown[] };
    expect(report.functions).toHaveLength(2);
    expect(emulator.state()).toEqual(before);
  });
});
