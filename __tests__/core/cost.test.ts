import { describe, expect, it } from '@jest/globals';
import {
  PricingError,
  costPerMillion,
  invocationCost,
  monthlyCost,
  priceTable,
  type PriceTable
} from '../../src/pricing/cost.js';
import {
  DEFAULT_GB_SECOND_USD,
  DURATION_TIERS,
  PRICES_READ_ON,
  REGIONAL_GB_SECOND_USD
} from '../../src/pricing/prices.js';
import { LambdaCostGateError } from '../../src/errors.js';

const X86 = priceTable('us-east-1', 'x86_64');
const ARM = priceTable('us-east-1', 'arm64');

describe('the price data', () => {
  it('is dated and consistent', () => {
    expect(PRICES_READ_ON).toMatch(/^2026-\d{2}-\d{2}$/);
    for (const rates of [DEFAULT_GB_SECOND_USD, ...Object.values(REGIONAL_GB_SECOND_USD)]) {
      // arm64 is about 20 % cheaper than x86 everywhere.
      expect(rates.arm64 / rates.x86_64).toBeCloseTo(0.8, 2);
    }
    for (const rates of Object.values(REGIONAL_GB_SECOND_USD)) {
      expect(rates.x86_64).toBeGreaterThan(DEFAULT_GB_SECOND_USD.x86_64);
    }
  });

  it('has tiers that start at the base rate and step down by 10 % and 20 %', () => {
    for (const architecture of ['x86_64', 'arm64'] as const) {
      const tiers = DURATION_TIERS[architecture];
      expect(tiers[0]!.usd).toBe(DEFAULT_GB_SECOND_USD[architecture]);
      expect(tiers[1]!.usd / tiers[0]!.usd).toBeCloseTo(0.9, 4);
      expect(tiers[2]!.usd / tiers[0]!.usd).toBeCloseTo(0.8, 4);
      expect(tiers[2]!.upToGbSeconds).toBe(Number.POSITIVE_INFINITY);
    }
    expect(DURATION_TIERS.x86_64.map((tier) => tier.upToGbSeconds).slice(0, 2)).toEqual([6e9, 15e9]);
    expect(DURATION_TIERS.arm64.map((tier) => tier.upToGbSeconds).slice(0, 2)).toEqual([7.5e9, 18.75e9]);
  });
});

describe('priceTable', () => {
  it('gives the us-east-1 prices and says where they come from', () => {
    expect(X86).toEqual({
      gbSecondUsd: 0.0000166667,
      requestUsd: 0.0000002,
      storageGbSecondUsd: 0.0000000309,
      source: `AWS Lambda on-demand prices for us-east-1 x86_64, read ${PRICES_READ_ON} (https://aws.amazon.com/lambda/pricing/)`
    });
    expect(ARM.gbSecondUsd).toBe(0.0000133334);
  });

  it('uses the regional rate where a region charges more', () => {
    expect(priceTable('af-south-1', 'x86_64').gbSecondUsd).toBe(0.0000221);
    expect(priceTable('ap-east-1', 'arm64').gbSecondUsd).toBe(0.0000183);
    expect(priceTable('eu-south-1', 'x86_64').gbSecondUsd).toBe(0.0000195172);
    expect(priceTable('me-central-1', 'arm64').gbSecondUsd).toBe(0.0000165334);
    expect(priceTable('me-south-1', 'x86_64').source).not.toMatch(/us-east-1 rates/);
  });

  it('uses the us-east-1 rate elsewhere, and says so', () => {
    const table = priceTable(' EU-WEST-1 ', 'arm64');
    expect(table.gbSecondUsd).toBe(0.0000133334);
    expect(table.source).toMatch(/prices for eu-west-1 arm64, .*; us-east-1 rates$/);
    expect(priceTable('us-gov-west-1', 'x86_64').gbSecondUsd).toBe(0.0000166667);
  });

  it('warns about a region known to charge more whose rate the table lacks', () => {
    expect(priceTable('ap-northeast-3', 'x86_64').source).toMatch(/ap-northeast-3 charges more .* set overrides/);
  });

  it('applies overrides and lists them in the source', () => {
    const table = priceTable('us-east-1', 'x86_64', { gbSecondUsd: 0.00001, storageGbSecondUsd: 0 });
    expect(table).toMatchObject({ gbSecondUsd: 0.00001, requestUsd: 0.0000002, storageGbSecondUsd: 0 });
    expect(table.source).toMatch(/; overridden: gbSecondUsd, storageGbSecondUsd$/);
    expect(priceTable('us-east-1', 'arm64', { requestUsd: 0 }).requestUsd).toBe(0);
  });

  it('refuses a China region without overrides, naming what is missing', () => {
    expect(() => priceTable('cn-north-1', 'x86_64')).toThrow(PricingError);
    expect(() => priceTable('cn-northwest-1', 'arm64', { gbSecondUsd: 0.0001 })).toThrow(
      /cn-northwest-1 bills in CNY.*missing: requestUsd, storageGbSecondUsd/
    );
  });

  it('prices a China region from overrides', () => {
    const overrides = { gbSecondUsd: 0.000113, requestUsd: 0.0000013, storageGbSecondUsd: 0.0000002 };
    expect(priceTable('cn-north-1', 'x86_64', overrides)).toEqual({
      ...overrides,
      source: "price overrides for cn-north-1 x86_64 (billed in CNY: amounts are in the overrides' currency)"
    });
  });

  it.each([
    ['an empty region', '', 'x86_64', {}, /region "": expected a region code/],
    ['a malformed region', 'us_east_1', 'x86_64', {}, /region "us_east_1"/],
    ['a region that is not a string', undefined, 'x86_64', {}, /region undefined/],
    ['an unknown architecture', 'us-east-1', 'x86', {}, /architecture "x86": expected x86_64 or arm64/],
    ['a negative override', 'us-east-1', 'x86_64', { requestUsd: -1 }, /override requestUsd -1/],
    ['a NaN override', 'cn-north-1', 'arm64', { gbSecondUsd: Number.NaN, requestUsd: 1, storageGbSecondUsd: 1 }, /NaN/],
    ['an override that is not a number', 'us-east-1', 'arm64', { gbSecondUsd: '1' }, /override gbSecondUsd 1/]
  ])('throws on %s', (_name, region, architecture, overrides, message) => {
    const call = (): PriceTable => priceTable(region as string, architecture as 'x86_64', overrides as object);
    expect(call).toThrow(PricingError);
    expect(call).toThrow(LambdaCostGateError);
    expect(call).toThrow(message);
  });
});

describe('invocationCost', () => {
  it('prices 128 MB for 100 ms on x86 in us-east-1 (worked by hand)', () => {
    // 0.125 GB × 0.1 s = 0.0125 GB-s; × $0.0000166667 = $2.0833375e-7; plus $2e-7 for the request.
    const cost = invocationCost({ billedDurationMs: 100, memoryMb: 128 }, X86);
    expect(cost.computeUsd).toBeCloseTo(2.0833375e-7, 18);
    expect(cost.requestUsd).toBe(2e-7);
    expect(cost.storageUsd).toBe(0);
    expect(cost.totalUsd).toBeCloseTo(4.0833375e-7, 18);
  });

  it('prices 1,024 MB for one second at exactly the GB-second rate, arm64 20 % below x86', () => {
    expect(invocationCost({ billedDurationMs: 1000, memoryMb: 1024 }, X86).computeUsd).toBe(0.0000166667);
    expect(invocationCost({ billedDurationMs: 1000, memoryMb: 1024 }, ARM).computeUsd).toBe(0.0000133334);
  });

  it('charges ephemeral storage only above the free 512 MB', () => {
    // 10,240 MB configured: (10,240 − 512) / 1024 = 9.5 GB × 2 s × $0.0000000309 = $5.871e-7.
    const cost = invocationCost({ billedDurationMs: 2000, memoryMb: 512, ephemeralStorageMb: 10240 }, X86);
    expect(cost.storageUsd).toBeCloseTo(5.871e-7, 18);
    expect(cost.totalUsd).toBeCloseTo(cost.computeUsd + cost.requestUsd + cost.storageUsd, 20);
    expect(invocationCost({ billedDurationMs: 2000, memoryMb: 512, ephemeralStorageMb: 512 }, X86).storageUsd).toBe(0);
    // Below the minimum Lambda allows; still nothing to pay for storage.
    expect(invocationCost({ billedDurationMs: 2000, memoryMb: 512, ephemeralStorageMb: 100 }, X86).storageUsd).toBe(0);
  });

  it('charges the request even for a zero billed duration', () => {
    expect(invocationCost({ billedDurationMs: 0, memoryMb: 128 }, X86).totalUsd).toBe(2e-7);
  });

  it.each([
    ['a negative duration', { billedDurationMs: -1, memoryMb: 128 }, /billedDurationMs -1/],
    ['a NaN duration', { billedDurationMs: Number.NaN, memoryMb: 128 }, /billedDurationMs NaN/],
    ['an infinite memory', { billedDurationMs: 1, memoryMb: Number.POSITIVE_INFINITY }, /memoryMb Infinity/],
    ['zero memory', { billedDurationMs: 1, memoryMb: 0 }, /memoryMb 0/],
    ['negative storage', { billedDurationMs: 1, memoryMb: 128, ephemeralStorageMb: -512 }, /ephemeralStorageMb -512/]
  ])('throws on %s', (_name, input, message) => {
    expect(() => invocationCost(input, X86)).toThrow(PricingError);
    expect(() => invocationCost(input, X86)).toThrow(message);
  });
});

describe('costPerMillion', () => {
  it('is a million times one invocation', () => {
    // 128 MB × 100 ms: $0.20833375 duration + $0.20 requests per million.
    expect(costPerMillion({ billedDurationMs: 100, memoryMb: 128 }, X86)).toBeCloseTo(0.40833375, 12);
    expect(costPerMillion({ billedDurationMs: 0, memoryMb: 128 }, ARM)).toBeCloseTo(0.2, 12);
  });
});

describe('monthlyCost', () => {
  it('prices usage at the base rate by default', () => {
    const cost = monthlyCost(1_000_000, 10_000_000, 'x86_64', X86);
    expect(cost.computeUsd).toBeCloseTo(16.6667, 9);
    expect(cost.requestUsd).toBeCloseTo(2, 12);
    expect(cost.totalUsd).toBeCloseTo(18.6667, 9);
    expect(cost).toMatchObject({ billableGbSeconds: 1_000_000, billableRequests: 10_000_000 });
  });

  it('subtracts the free tier when asked', () => {
    // 600,000 GB-s × $0.0000166667 = $10.00002; 9 M requests × $2e-7 = $1.80.
    const cost = monthlyCost(1_000_000, 10_000_000, 'x86_64', X86, { applyFreeTier: true });
    expect(cost.computeUsd).toBeCloseTo(10.00002, 9);
    expect(cost.requestUsd).toBeCloseTo(1.8, 12);
    expect(cost).toMatchObject({ billableGbSeconds: 600_000, billableRequests: 9_000_000 });
    expect(monthlyCost(100_000, 500_000, 'arm64', ARM, { applyFreeTier: true })).toEqual({
      computeUsd: 0,
      requestUsd: 0,
      totalUsd: 0,
      billableGbSeconds: 0,
      billableRequests: 0
    });
  });

  it('prices x86 usage across the three tiers', () => {
    // 20 B GB-s: 6 B × 0.0000166667 + 9 B × 0.000015 + 5 B × 0.0000133334 = 100,000.2 + 135,000 + 66,667
    const cost = monthlyCost(20e9, 0, 'x86_64', X86, { applyTiers: true });
    expect(cost.computeUsd).toBeCloseTo(301_667.2, 3);
    expect(monthlyCost(20e9, 0, 'x86_64', X86).computeUsd).toBeCloseTo(333_334, 3);
  });

  it('prices arm64 usage across its own breakpoints', () => {
    // 10 B GB-s: 7.5 B × 0.0000133334 + 2.5 B × 0.0000120001 = 100,000.5 + 30,000.25
    expect(monthlyCost(10e9, 0, 'arm64', ARM, { applyTiers: true }).computeUsd).toBeCloseTo(130_000.75, 3);
    // Within the first tier, tiers change nothing.
    expect(monthlyCost(1e6, 0, 'arm64', ARM, { applyTiers: true }).computeUsd).toBeCloseTo(13.3334, 9);
  });

  it('takes the free tier off the base rate when tiers apply too', () => {
    const both = monthlyCost(7e9, 2_000_000, 'x86_64', X86, { applyTiers: true, applyFreeTier: true });
    // (6 B − 400,000) × 0.0000166667 + 1 B × 0.000015
    expect(both.computeUsd).toBeCloseTo((6e9 - 400_000) * 0.0000166667 + 1e9 * 0.000015, 3);
    expect(both.requestUsd).toBeCloseTo(0.2, 12);
  });

  it('scales the tiers for regional rates and overrides', () => {
    const prices = priceTable('us-east-1', 'x86_64', { gbSecondUsd: 0.00001 });
    expect(monthlyCost(16e9, 0, 'x86_64', prices, { applyTiers: true }).computeUsd).toBeCloseTo(
      6e9 * 0.00001 + 9e9 * 0.000009 + 1e9 * 0.000008,
      -1
    );
  });

  it.each([
    ['negative GB-seconds', -1, 0, 'x86_64', /gbSeconds -1/],
    ['NaN requests', 0, Number.NaN, 'x86_64', /requests NaN/],
    ['an unknown architecture', 0, 0, 'toString', /architecture "toString"/]
  ])('throws on %s', (_name, gbSeconds, requests, architecture, message) => {
    expect(() => monthlyCost(gbSeconds, requests, architecture as 'arm64', X86)).toThrow(PricingError);
    expect(() => monthlyCost(gbSeconds, requests, architecture as 'arm64', X86)).toThrow(message);
  });
});
