/**
 * AWS Lambda on-demand prices, in one table, with the day they were read.
 *
 * Prices change: update this file (and PRICES_READ_ON) rather than scattering numbers through the code,
 * and let users override them (see `priceTable` in cost.ts). The source of truth is the AWS Price List
 * API, service `AWSLambda`, usage types `Lambda-GB-Second`, `Lambda-GB-Second-ARM`, `Request`,
 * `Request-ARM`; the public page is {@link PRICE_PAGE}.
 *
 * Sources ([doc]: AWS says so; [3p]: a third party says so; all read on PRICES_READ_ON):
 * - [doc] https://aws.amazon.com/lambda/pricing/ — us-east-1 duration and request prices, free tier,
 *   tier breakpoints and discounts.
 * - [doc] https://aws.amazon.com/about-aws/whats-new/2022/08/aws-lambda-tiered-pricing/ — tiers apply per
 *   account, region and architecture, per month, to on-demand duration only.
 * - [3p] third-party price compilations (e.g. the region table of AWS Lambda Power Tuning) — the regions
 *   that charge more per GB-second, the exact per-tier prices, the ephemeral storage price.
 */

/** The day these numbers were read. Shown next to every cost so that stale prices are visible. */
export const PRICES_READ_ON = '2026-11-25';

/** Where a user checks the numbers. */
export const PRICE_PAGE = 'https://aws.amazon.com/lambda/pricing/';

export type Architecture = 'x86_64' | 'arm64';

export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

/** The region whose prices apply where the table has no entry of its own. */
export const DEFAULT_REGION = 'us-east-1';

/** USD per GB-second of duration, first tier. [doc] us-east-1 */
export const DEFAULT_GB_SECOND_USD: Readonly<Record<Architecture, number>> = {
  x86_64: 0.0000166667,
  arm64: 0.0000133334
};

/**
 * Regions that charge more per GB-second than us-east-1, first tier. [3p] Every commercial region not listed
 * here charges the us-east-1 rate.
 */
export const REGIONAL_GB_SECOND_USD: Readonly<Record<string, Readonly<Record<Architecture, number>>>> = {
  'af-south-1': { x86_64: 0.0000221, arm64: 0.00001768 },
  'ap-east-1': { x86_64: 0.00002292, arm64: 0.0000183 },
  'eu-south-1': { x86_64: 0.0000195172, arm64: 0.0000156138 },
  'me-south-1': { x86_64: 0.0000206667, arm64: 0.0000165334 },
  'me-central-1': { x86_64: 0.0000206667, arm64: 0.0000165334 }
};

/**
 * Regions known to charge more than us-east-1 whose rate we have not read from a source. They are priced at
 * the us-east-1 rate (an underestimate) and the price table says so, so the user can set overrides.
 */
export const REGIONS_ABOVE_DEFAULT_UNREAD: readonly string[] = ['ap-northeast-3'];

/** Regions that bill in CNY (prefix `cn-`): no USD price applies, overrides are required. */
export const CNY_REGION_PREFIX = 'cn-';

/**
 * USD per request, both architectures: $0.20 per million. [doc] us-east-1. Used for every region: the
 * regions above that charge more per GB-second may charge more per request too, which our sources do not
 * say; `requestUsd` can be overridden.
 */
export const REQUEST_USD = 0.0000002;

/** USD per GB-second of ephemeral storage configured above the free amount. [3p] us-east-1 */
export const EPHEMERAL_STORAGE_GB_SECOND_USD = 0.0000000309;

/** Every function gets this much ephemeral storage (/tmp) at no charge. [doc] */
export const FREE_EPHEMERAL_STORAGE_MB = 512;

/**
 * The monthly free tier. [doc] It is per account (shared by every region and architecture) and does not
 * cover provisioned concurrency.
 */
export const FREE_TIER = { requests: 1_000_000, gbSeconds: 400_000 } as const;

/** One duration tier: usage up to `upToGbSeconds` in the month (cumulative) is billed at `usd`. */
export interface DurationTier {
  upToGbSeconds: number;
  /** USD per GB-second in us-east-1. */
  usd: number;
}

/**
 * Monthly duration tiers, per account, region and architecture. [doc] breakpoints and discounts (-10 %,
 * -20 %); [3p] the exact per-tier prices. Other regions and overrides are scaled by the same ratios.
 */
export const DURATION_TIERS: Readonly<Record<Architecture, readonly DurationTier[]>> = {
  x86_64: [
    { upToGbSeconds: 6e9, usd: 0.0000166667 },
    { upToGbSeconds: 15e9, usd: 0.000015 },
    { upToGbSeconds: Number.POSITIVE_INFINITY, usd: 0.0000133334 }
  ],
  arm64: [
    { upToGbSeconds: 7.5e9, usd: 0.0000133334 },
    { upToGbSeconds: 18.75e9, usd: 0.0000120001 },
    { upToGbSeconds: Number.POSITIVE_INFINITY, usd: 0.0000106667 }
  ]
};
