/**
 * Selecting the functions to analyse on the emulator: by names (missing ones reported), by prefix over
 * every ListFunctions page, by tags (with or without a value), and each function's configuration as
 * Lambda reports it (memory, architecture, timeout, log group and format from LoggingConfig).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { Pacer, realClock } from '../../src/fleet/pace.js';
import { isAllowed, selectFunctions } from '../../src/fleet/select.js';
import { startFleetTestBed, type FleetTestBed } from './helpers.js';

const model = { cpuMs: 1 };

describe('selectFunctions', () => {
  let bed: FleetTestBed;
  // Pacing is tested in apply.test.ts; here it only counts.
  const pacer = () => new Pacer(1000, realClock);
  const names = (fns: Array<{ name: string }>) => fns.map((f) => f.name);

  beforeAll(async () => {
    bed = await startFleetTestBed(
      {
        functions: [
          // 60 functions: ListFunctions needs two pages of 50.
          ...Array.from({ length: 57 }, (_, i) => ({ name: `svc-${String(i).padStart(2, '0')}`, model })),
          { name: 'orders-api', model, memorySize: 1769, timeout: 30, tags: { team: 'payments', env: 'prod' } },
          {
            name: 'orders-worker',
            model,
            architecture: 'arm64' as const,
            logFormat: 'JSON' as const,
            tags: { team: 'payments' }
          },
          { name: 'search', model, tags: { team: 'search', env: 'prod' } }
        ]
      },
      []
    );
    await bed.lambdaClient.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'orders-worker',
        LoggingConfig: { LogGroup: '/apps/orders' }
      })
    );
  });
  afterAll(async () => {
    await bed.close();
  });

  it('reads the named functions and reports the names that do not exist', async () => {
    const selected = await selectFunctions(
      { kind: 'names', names: ['orders-api', 'ghost', 'orders-api'] },
      bed.lambda,
      pacer()
    );

    expect(names(selected.functions)).toEqual(['orders-api']);
    expect(selected.missing).toEqual(['ghost']);
    expect(selected.functions[0]).toMatchObject({
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-api',
      memoryMb: 1769,
      timeoutSec: 30,
      architecture: 'x86_64',
      logGroup: '/aws/lambda/orders-api',
      logFormat: 'Text'
    });
  });

  it('filters every page of ListFunctions by prefix, with the log group and format of LoggingConfig', async () => {
    const counted = pacer();
    const selected = await selectFunctions({ kind: 'filter', prefix: 'orders-', tags: [] }, bed.lambda, counted);

    expect(names(selected.functions)).toEqual(['orders-api', 'orders-worker']);
    expect(selected.functions[1]).toMatchObject({ architecture: 'arm64', logFormat: 'JSON', logGroup: '/apps/orders' });
    expect(counted.requests).toBe(2);
  });

  it('keeps the functions whose tags match, a key alone matching any value', async () => {
    const prod = await selectFunctions({ kind: 'filter', tags: [{ key: 'env', value: 'prod' }] }, bed.lambda, pacer());
    const payments = await selectFunctions(
      { kind: 'filter', prefix: 'orders-', tags: [{ key: 'team' }] },
      bed.lambda,
      pacer()
    );

    expect(names(prod.functions)).toEqual(['orders-api', 'search']);
    expect(names(payments.functions)).toEqual(['orders-api', 'orders-worker']);
  });

  it('selects every function of the region with no filter', async () => {
    const all = await selectFunctions({ kind: 'filter', tags: [] }, bed.lambda, pacer());

    expect(all.functions).toHaveLength(60);
  });

  it('matches the apply allow-list by name or wildcard', () => {
    expect(isAllowed('orders-api', ['orders-*'])).toBe(true);
    expect(isAllowed('orders-api', ['orders-ap?'])).toBe(true);
    expect(isAllowed('orders-api', ['orders'])).toBe(false);
    expect(isAllowed('x.y', ['x?y'])).toBe(true);
  });
});
