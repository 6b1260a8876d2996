/**
 * Number and date formatting for the pull-request comment, the job summary and the annotations. Pure.
 *
 * Conventions: relative changes are fractions in and signed percentages out ("+18.2 %", with a real minus
 * sign "−3.0 %" so a negative cell never reads as a list marker); intervals print compactly as
 * "+18.2 % (+12.0…+25.1)"; money prints as a number and "USD", never with "$", because GitHub's math
 * extension turns text between two dollar signs into a formula.
 */
import type { BudgetName, CheckResult, Interval, Verdict } from '../compare/types.js';

const MINUS = '\u2212';

function fixedSigned(value: number, digits: number): string {
  const text = value.toFixed(digits);
  // -0.0 prints without a sign: a change that rounds to nothing is neither up nor down.
  if (Number(text) === 0) return (0).toFixed(digits);
  return text.startsWith('-') ? `${MINUS}${text.slice(1)}` : `+${text}`;
}

/**
 * A fraction as a signed percentage: 0.182 → "+18.2 %".
 *
 * @example
 * ```ts
 * signedPercent(-0.03) // '−3.0 %'
 * ```
 */
export function signedPercent(fraction: number): string {
  return `${fixedSigned(fraction * 100, 1)} %`;
}

/**
 * A relative change with its interval: "+18.2 % (+12.0…+25.1)".
 *
 * @example
 * ```ts
 * percentInterval({ estimate: 0.182, lower: 0.12, upper: 0.251, confidence: 0.95 }) // '+18.2 % (+12.0…+25.1)'
 * ```
 */
export function percentInterval(interval: Interval): string {
  const bound = (v: number): string => fixedSigned(v * 100, 1);
  return `${signedPercent(interval.estimate)} (${bound(interval.lower)}…${bound(interval.upper)})`;
}

/**
 * A share or a limit as a percentage with no needless decimals: 0.1 → "10 %", 0.025 → "2.5 %".
 *
 * @example
 * ```ts
 * plainPercent(0.015) // '1.5 %'
 * ```
 */
export function plainPercent(fraction: number): string {
  return `${trim(fraction * 100, 2)} %`;
}

function trim(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/**
 * Milliseconds with precision that fits the size: "0.85 ms", "45.2 ms", "1,204 ms".
 *
 * @example
 * ```ts
 * formatMs(412.34) // '412 ms'
 * ```
 */
export function formatMs(ms: number): string {
  const digits = Math.abs(ms) >= 100 ? 0 : Math.abs(ms) >= 10 ? 1 : 2;
  return `${grouped(ms, digits)} ms`;
}

/**
 * A milliseconds interval: "412 ms (398…430)".
 *
 * @example
 * ```ts
 * msInterval({ estimate: 412, lower: 398, upper: 430, confidence: 0.95 }) // '412 ms (398…430)'
 * ```
 */
export function msInterval(interval: Interval): string {
  const bare = (v: number): string => formatMs(v).replace(/ ms$/, '');
  return `${formatMs(interval.estimate)} (${bare(interval.lower)}…${bare(interval.upper)})`;
}

function grouped(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * An amount of money without its unit: two decimals from 1 up, three significant digits below, so both a
 * monthly bill and the cost of one million 1 ms invocations read sensibly.
 *
 * @example
 * ```ts
 * money(1234.5) // '1,234.50'
 * money(0.00208) // '0.00208'
 * ```
 */
export function money(usd: number): string {
  const abs = Math.abs(usd);
  if (abs === 0) return '0.00';
  if (abs >= 1) return grouped(usd, 2).replace('-', MINUS);
  // Three significant digits, but never fewer than two decimals: "0.20", "0.208", "0.00123".
  return usd
    .toPrecision(3)
    .replace(/(\.\d\d\d*?)0+$/, '$1')
    .replace('-', MINUS);
}

/**
 * Money with its unit: "1.23 USD".
 *
 * @example
 * ```ts
 * formatUsd(0.208) // '0.208 USD'
 * ```
 */
export function formatUsd(usd: number): string {
  return `${money(usd)} USD`;
}

/**
 * A change of money with its sign: "+2.20 USD", "−0.35 USD".
 *
 * @example
 * ```ts
 * signedUsd(2.2) // '+2.20 USD'
 * ```
 */
export function signedUsd(usd: number): string {
  const text = money(usd);
  return `${usd > 0 && text !== '0.00' ? '+' : ''}${text} USD`;
}

/**
 * How old a measurement is, in words: "2 days old", "5 hours old", "less than a minute old". Undefined when
 * the date cannot be read.
 *
 * @example
 * ```ts
 * formatAge('2026-01-01T00:00:00Z', new Date('2026-01-03T01:00:00Z')) // '2 days old'
 * ```
 */
export function formatAge(measuredAt: string | undefined, now: Date): string | undefined {
  if (measuredAt === undefined) return undefined;
  const then = Date.parse(measuredAt);
  if (Number.isNaN(then)) return undefined;
  const minutes = Math.floor((now.getTime() - then) / 60_000);
  // A baseline from the future means a skewed clock; its age says nothing useful.
  if (minutes < 0) return undefined;
  if (minutes < 1) return 'less than a minute old';
  if (minutes < 60) return `${plural(minutes, 'minute')} old`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${plural(hours, 'hour')} old`;
  return `${plural(Math.floor(hours / 24), 'day')} old`;
}

/**
 * "1 size", "3 sizes".
 *
 * @example
 * ```ts
 * plural(2, 'day') // '2 days'
 * ```
 */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * A commit SHA shortened to 7 characters when it is one; other text is returned as is (the caller escapes it).
 *
 * @example
 * ```ts
 * shortSha('0123456789abcdef0123456789abcdef01234567') // '0123456'
 * ```
 */
export function shortSha(sha: string): string {
  return /^[0-9a-f]{8,64}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

/**
 * "128, 256 and 512 MB".
 *
 * @example
 * ```ts
 * listSizes([512, 1024]) // '512 and 1024 MB'
 * ```
 */
export function listSizes(sizes: number[]): string {
  if (sizes.length <= 1) return `${sizes.join('')} MB`;
  return `${sizes.slice(0, -1).join(', ')} and ${sizes[sizes.length - 1]} MB`;
}

/** The emoji and word of each verdict, as the headline and the table show them. */
export const VERDICT_LABEL: Record<Verdict, { emoji: string; word: string }> = {
  pass: { emoji: '✅', word: 'Pass' },
  fail: { emoji: '❌', word: 'Fail' },
  inconclusive: { emoji: '⚠️', word: 'Inconclusive' },
  skipped: { emoji: '⏭️', word: 'Skipped' }
};

/** What each budget measures, in words. */
export const BUDGET_LABEL: Record<BudgetName, string> = {
  'cost-increase': 'cost increase',
  'p99-increase': 'p99 increase',
  'cost-per-million': 'cost per 1M',
  'p99-ms': 'p99',
  'error-rate': 'error rate',
  'monthly-increase': 'monthly increase'
};

/**
 * A budget's limit in its unit: "+10 %", "1.00 USD", "300 ms", "1 %", "+100.00 USD".
 *
 * @example
 * ```ts
 * formatLimit({ budget: 'p99-increase', limit: 0.1 } as CheckResult) // '+10 %'
 * ```
 */
export function formatLimit(check: Pick<CheckResult, 'budget' | 'limit'>): string {
  switch (check.budget) {
    case 'cost-increase':
    case 'p99-increase':
      return `+${plainPercent(check.limit)}`;
    case 'error-rate':
      return plainPercent(check.limit);
    case 'cost-per-million':
      return formatUsd(check.limit);
    case 'p99-ms':
      return formatMs(check.limit);
    case 'monthly-increase':
      return `+${formatUsd(check.limit)}`;
  }
}

/**
 * What a check observed, in the budget's unit: the estimate alone, or with its interval.
 *
 * @example
 * ```ts
 * formatObserved(check, false) // '+18.2 %'
 * formatObserved(check, true)  // '+18.2 % (+12.0…+25.1)'
 * ```
 */
export function formatObserved(check: Pick<CheckResult, 'budget' | 'observed'>, withInterval: boolean): string {
  const observed = check.observed;
  if (observed === null) return 'n/a';
  const one = (v: number): string => {
    switch (check.budget) {
      case 'cost-increase':
      case 'p99-increase':
        return signedPercent(v);
      case 'error-rate':
        return plainPercent(v);
      case 'cost-per-million':
        return formatUsd(v);
      case 'p99-ms':
        return formatMs(v);
      case 'monthly-increase':
        return signedUsd(v);
    }
  };
  if (!withInterval) return one(observed.estimate);
  if (check.budget === 'cost-increase' || check.budget === 'p99-increase') return percentInterval(observed);
  return `${one(observed.estimate)} (${one(observed.lower)}…${one(observed.upper)})`;
}

/** The longest text we show of one warning or reason; the JSON report keeps it whole. */
export const MAX_TEXT_CHARS = 500;

/**
 * Text cut to `max` characters with an ellipsis, before escaping (so no entity or escape is split).
 *
 * @example
 * ```ts
 * clip('abcdef', 4) // 'abc…'
 * ```
 */
export function clip(text: string, max = MAX_TEXT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
