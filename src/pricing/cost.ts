/**
 * What an invocation, a million invocations or a month of them costs, from the table in prices.ts.
 *
 * All amounts are in USD unless the user overrode the prices with another currency's (China regions):
 * the arithmetic does not care, and the price table's `source` says which it is.
 */
import { LambdaCostGateError } from '../errors.js';
import {
  ARCHITECTURES,
  type Architecture,
  CNY_REGION_PREFIX,
  DEFAULT_GB_SECOND_USD,
  DEFAULT_REGION,
  DURATION_TIERS,
  EPHEMERAL_STORAGE_GB_SECOND_USD,
  FREE_EPHEMERAL_STORAGE_MB,
  FREE_TIER,
  PRICE_PAGE,
  PRICES_READ_ON,
  REGIONAL_GB_SECOND_USD,
  REGIONS_ABOVE_DEFAULT_UNREAD,
  REQUEST_USD
} from './prices.js';

/** A price or a usage figure that cannot be priced. */
export class PricingError extends LambdaCostGateError {}

/** Prices the user sets instead of the table's: for negotiated rates, a region we lack, or CNY. */
export interface PriceOverrides {
  gbSecondUsd?: number;
  requestUsd?: number;
  storageGbSecondUsd?: number;
}

/** The prices one function is billed at. */
export interface PriceTable {
  /** Per GB-second of duration, first tier. */
  gbSecondUsd: number;
  /** Per request. */
  requestUsd: number;
  /** Per GB-second of ephemeral storage above the free 512 MB. */
  storageGbSecondUsd: number;
  /** Where the numbers came from, for the report: the table and its date, and any overrides. */
  source: string;
}

/** One invocation's (or a batch's) cost, split by what it pays for. */
export interface CostBreakdown {
  computeUsd: number;
  requestUsd: number;
  storageUsd: number;
  totalUsd: number;
}

/** Region codes look like `us-east-1`, `us-gov-west-1`, `cn-northwest-1`. */
const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

const OVERRIDE_KEYS = ['gbSecondUsd', 'requestUsd', 'storageGbSecondUsd'] as const;

/**
 * The prices for a region and architecture, with the user's overrides applied.
 *
 * Regions the table does not list get the us-east-1 rates, as most regions charge them. China regions bill
 * in CNY, so there every price must be overridden.
 *
 * @throws {@link PricingError} on a malformed region, an unknown architecture, an override that is not a
 *   finite number ≥ 0, or a China region without all three overrides
 *
 * @example
 * ```ts
 * priceTable('us-east-1', 'arm64')
 * // { gbSecondUsd: 0.0000133334, requestUsd: 0.0000002, storageGbSecondUsd: 0.0000000309,
 * //   source: 'AWS Lambda on-demand prices for us-east-1 arm64, read 2026-11-25 (https://aws.amazon.com/lambda/pricing/)' }
 * priceTable('cn-north-1', 'x86_64', { gbSecondUsd: 0.000113, requestUsd: 0.0000013, storageGbSecondUsd: 0 })
 * ```
 */
export function priceTable(region: string, architecture: Architecture, overrides: PriceOverrides = {}): PriceTable {
  const code = typeof region === 'string' ? region.trim().toLowerCase() : '';
  if (!REGION_PATTERN.test(code)) {
    throw new PricingError(`Cannot price region ${JSON.stringify(region)}: expected a region code such as us-east-1`);
  }
  requireArchitecture(architecture);
  const given = OVERRIDE_KEYS.filter((key) => overrides[key] !== undefined);
  for (const key of given) requireAmount(`override ${key}`, overrides[key]);

  if (code.startsWith(CNY_REGION_PREFIX)) {
    const missing = OVERRIDE_KEYS.filter((key) => overrides[key] === undefined);
    if (missing.length > 0) {
      throw new PricingError(
        `Region ${code} bills in CNY, which this table does not hold: set the price overrides ` +
          `${OVERRIDE_KEYS.join(', ')} (missing: ${missing.join(', ')}); costs are then in that currency`
      );
    }
    return {
      gbSecondUsd: overrides.gbSecondUsd!,
      requestUsd: overrides.requestUsd!,
      storageGbSecondUsd: overrides.storageGbSecondUsd!,
      source: `price overrides for ${code} ${architecture} (billed in CNY: amounts are in the overrides' currency)`
    };
  }

  const regional = REGIONAL_GB_SECOND_USD[code];
  const notes: string[] = [];
  if (regional === undefined && code !== DEFAULT_REGION) {
    notes.push(
      REGIONS_ABOVE_DEFAULT_UNREAD.includes(code)
        ? `${code} charges more than ${DEFAULT_REGION}, whose rates are used: set overrides for exact figures`
        : `${DEFAULT_REGION} rates`
    );
  }
  if (given.length > 0) notes.push(`overridden: ${given.join(', ')}`);
  return {
    gbSecondUsd: overrides.gbSecondUsd ?? (regional ?? DEFAULT_GB_SECOND_USD)[architecture],
    requestUsd: overrides.requestUsd ?? REQUEST_USD,
    storageGbSecondUsd: overrides.storageGbSecondUsd ?? EPHEMERAL_STORAGE_GB_SECOND_USD,
    source:
      `AWS Lambda on-demand prices for ${code} ${architecture}, read ${PRICES_READ_ON} (${PRICE_PAGE})` +
      notes.map((note) => `; ${note}`).join('')
  };
}

/**
 * The cost of one invocation: duration (GB = MB / 1024, GB-s = GB × billed ms / 1000), the request, and
 * ephemeral storage configured above the free 512 MB for the same billed time. Billed duration already
 * includes INIT where Lambda bills it, so pass the REPORT's `billedDurationMs` as is.
 *
 * @throws {@link PricingError} when a figure is not a finite number ≥ 0, or memory is 0
 *
 * @example
 * ```ts
 * // 128 MB for 100 ms in us-east-1 on x86: 0.125 GB × 0.1 s × $0.0000166667 + $0.0000002
 * invocationCost({ billedDurationMs: 100, memoryMb: 128 }, priceTable('us-east-1', 'x86_64'))
 * // { computeUsd: 2.0833375e-7, requestUsd: 2e-7, storageUsd: 0, totalUsd: 4.0833375e-7 }
 * ```
 */
export function invocationCost(
  input: { billedDurationMs: number; memoryMb: number; ephemeralStorageMb?: number },
  prices: PriceTable
): CostBreakdown {
  const { billedDurationMs, memoryMb, ephemeralStorageMb = FREE_EPHEMERAL_STORAGE_MB } = input;
  checkInvocation(billedDurationMs, memoryMb, ephemeralStorageMb);
  const seconds = billedDurationMs / 1000;
  const computeUsd = (memoryMb / 1024) * seconds * prices.gbSecondUsd;
  const storageUsd = storageGb(ephemeralStorageMb) * seconds * prices.storageGbSecondUsd;
  return {
    computeUsd,
    requestUsd: prices.requestUsd,
    storageUsd,
    totalUsd: computeUsd + prices.requestUsd + storageUsd
  };
}

/**
 * `invocationCost(…).totalUsd` without the breakdown object: the same arithmetic, in the same order, so the
 * same number to the last bit. For summing millions of invocations without allocating one object each.
 *
 * @throws {@link PricingError} as {@link invocationCost}
 *
 * @example
 * ```ts
 * invocationTotalUsd(100, 128, undefined, priceTable('us-east-1', 'x86_64')) // 4.0833375e-7
 * ```
 */
export function invocationTotalUsd(
  billedDurationMs: number,
  memoryMb: number,
  ephemeralStorageMb: number | undefined,
  prices: PriceTable
): number {
  // As the default of invocationCost's destructuring: only undefined means "not given".
  const storageMb = ephemeralStorageMb === undefined ? FREE_EPHEMERAL_STORAGE_MB : ephemeralStorageMb;
  checkInvocation(billedDurationMs, memoryMb, storageMb);
  const seconds = billedDurationMs / 1000;
  const computeUsd = (memoryMb / 1024) * seconds * prices.gbSecondUsd;
  const storageUsd = storageGb(storageMb) * seconds * prices.storageGbSecondUsd;
  return computeUsd + prices.requestUsd + storageUsd;
}

function checkInvocation(billedDurationMs: number, memoryMb: number, ephemeralStorageMb: number): void {
  requireAmount('billedDurationMs', billedDurationMs);
  requireAmount('memoryMb', memoryMb);
  if (memoryMb === 0) throw new PricingError('Cannot price an invocation with memoryMb 0');
  requireAmount('ephemeralStorageMb', ephemeralStorageMb);
}

/** Ephemeral storage billed: what is configured above the free 512 MB, in GB. */
function storageGb(ephemeralStorageMb: number): number {
  return Math.max(0, ephemeralStorageMb - FREE_EPHEMERAL_STORAGE_MB) / 1024;
}

/**
 * The total cost of a million invocations like this one: a figure people can compare at a glance, where
 * one invocation's 4e-7 USD is not.
 *
 * @example
 * ```ts
 * costPerMillion({ billedDurationMs: 100, memoryMb: 128 }, priceTable('us-east-1', 'x86_64')) // ≈ 0.40833
 * ```
 */
export function costPerMillion(
  input: { billedDurationMs: number; memoryMb: number; ephemeralStorageMb?: number },
  prices: PriceTable
): number {
  return invocationCost(input, prices).totalUsd * 1_000_000;
}

/** Options of {@link monthlyCost}. */
export interface MonthlyCostOptions {
  /**
   * Subtract the free tier (1 M requests, 400,000 GB-s). Off by default: it is shared by every function
   * in the account, so crediting it all to one function understates what that function adds to the bill.
   */
  applyFreeTier?: boolean;
  /**
   * Price duration by the monthly tiers. Off by default: tiers count the whole account's usage in the
   * region and architecture, which one function's figures do not show.
   */
  applyTiers?: boolean;
}

/** What {@link monthlyCost} returns. */
export interface MonthlyCost {
  computeUsd: number;
  requestUsd: number;
  totalUsd: number;
  /** GB-seconds and requests left after the free tier. */
  billableGbSeconds: number;
  billableRequests: number;
}

/**
 * A month's duration and request cost for the given usage. Ephemeral storage is not included: add
 * `invocationCost(…).storageUsd × requests` for functions with more than 512 MB of /tmp.
 *
 * The free tier's GB-seconds are the first ones of the month, so with tiers they come off the base rate.
 * Tier prices for other regions and for overrides keep the us-east-1 ratios between tiers (-10 %, -20 %).
 *
 * @throws {@link PricingError} when gbSeconds or requests is not a finite number ≥ 0, or the architecture
 *   is unknown
 *
 * @example
 * ```ts
 * const prices = priceTable('us-east-1', 'x86_64')
 * monthlyCost(1_000_000, 10_000_000, 'x86_64', prices)
 * // { computeUsd: 16.6667, requestUsd: 2, totalUsd: 18.6667, billableGbSeconds: 1e6, billableRequests: 1e7 }
 * monthlyCost(1_000_000, 10_000_000, 'x86_64', prices, { applyFreeTier: true })
 * // { computeUsd: 10.00002, requestUsd: 1.8, totalUsd: 11.80002, billableGbSeconds: 6e5, billableRequests: 9e6 }
 * ```
 */
export function monthlyCost(
  gbSeconds: number,
  requests: number,
  architecture: Architecture,
  prices: PriceTable,
  options: MonthlyCostOptions = {}
): MonthlyCost {
  requireAmount('gbSeconds', gbSeconds);
  requireAmount('requests', requests);
  requireArchitecture(architecture);
  const tiers = DURATION_TIERS[architecture];
  const freeGbSeconds = options.applyFreeTier === true ? Math.min(gbSeconds, FREE_TIER.gbSeconds) : 0;
  const freeRequests = options.applyFreeTier === true ? Math.min(requests, FREE_TIER.requests) : 0;
  const billableGbSeconds = gbSeconds - freeGbSeconds;
  const billableRequests = requests - freeRequests;

  let computeUsd = billableGbSeconds * prices.gbSecondUsd;
  if (options.applyTiers === true) {
    computeUsd = 0;
    let lower = 0;
    for (const tier of tiers) {
      // The part of [free, total] that falls in this tier.
      const inTier = Math.min(gbSeconds, tier.upToGbSeconds) - Math.max(freeGbSeconds, lower);
      if (inTier > 0) computeUsd += inTier * prices.gbSecondUsd * (tier.usd / tiers[0]!.usd);
      lower = tier.upToGbSeconds;
    }
  }
  const requestUsd = billableRequests * prices.requestUsd;
  return { computeUsd, requestUsd, totalUsd: computeUsd + requestUsd, billableGbSeconds, billableRequests };
}

/** Checked at run time too: callers in plain JavaScript or from parsed input may pass `x86` or `undefined`. */
function requireArchitecture(architecture: unknown): asserts architecture is Architecture {
  if (!ARCHITECTURES.includes(architecture as Architecture)) {
    throw new PricingError(
      `Cannot price architecture ${JSON.stringify(architecture)}: expected ${ARCHITECTURES.join(' or ')}`
    );
  }
}

/** Usage and prices are amounts: a negative, NaN or infinite one is a bug upstream, not a cost. */
function requireAmount(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new PricingError(`Cannot price ${name} ${String(value)}: expected a finite number ≥ 0`);
  }
}
