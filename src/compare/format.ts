/**
 * How the comparison writes its figures in words: changes, shares, money, durations and intervals. The check
 * reasons use these, and the renderers may too, so that a pull-request comment and a log line print a figure
 * the same way. Negative numbers use the minus sign (−), as the reasons are read, not parsed.
 */
import type { Interval } from './types.js';

const MINUS = '−';

/**
 * A relative change as a signed percentage with one decimal.
 *
 * @example
 * ```ts
 * formatChange(0.182)   // '+18.2 %'
 * formatChange(-0.05)   // '−5.0 %'
 * formatChange(0)       // '+0.0 %'
 * ```
 */
export function formatChange(fraction: number): string {
  const text = (Math.abs(fraction) * 100).toFixed(1);
  // A change that rounds to zero is written +0.0 %, whatever its sign.
  return `${fraction < 0 && Number(text) !== 0 ? MINUS : '+'}${text} %`;
}

/**
 * A share (a budget, an error rate) as a percentage without a sign: up to two decimals below 10 %, one above,
 * trailing zeros dropped.
 *
 * @example
 * ```ts
 * formatShare(0.1)        // '10 %'
 * formatShare(0.0033333)  // '0.33 %'
 * formatShare(0.125)      // '12.5 %'
 * ```
 */
export function formatShare(fraction: number): string {
  const percent = fraction * 100;
  return `${trimZeros(percent.toFixed(Math.abs(percent) < 10 ? 2 : 1))} %`;
}

/**
 * An amount of money: cents from a dollar up, three significant digits below, so a cost per job of
 * $0.000416 does not print as $0.00.
 *
 * @example
 * ```ts
 * formatUsd(2.0833)    // '$2.08'
 * formatUsd(1234.5)    // '$1,234.50'
 * formatUsd(0.0004163) // '$0.000416'
 * formatUsd(-12.4)     // '−$12.40'
 * ```
 */
export function formatUsd(amount: number): string {
  const size = Math.abs(amount);
  const digits = size >= 1 || size === 0 ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : undefined;
  const text =
    digits !== undefined
      ? size.toLocaleString('en-US', digits)
      : size.toLocaleString('en-US', { maximumSignificantDigits: 3 });
  return `${amount < 0 && text !== '0.00' ? MINUS : ''}$${text}`;
}

/**
 * A duration with three significant digits (trailing zeros dropped), never fewer than whole milliseconds.
 *
 * @example
 * ```ts
 * formatMs(812.44) // '812 ms'
 * formatMs(8.1234) // '8.12 ms'
 * formatMs(1234.5) // '1,235 ms'
 * formatMs(50)     // '50 ms'
 * ```
 */
export function formatMs(ms: number): string {
  return `${formatMsNumber(ms)} ms`;
}

/**
 * The confidence of an interval, e.g. '95 %'.
 *
 * @example
 * ```ts
 * formatConfidence(0.95) // '95 %'
 * formatConfidence(0.9)  // '90 %'
 * ```
 */
export function formatConfidence(confidence: number): string {
  return `${Number((confidence * 100).toFixed(4))} %`;
}

/**
 * A whole count with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(1000000) // '1,000,000'
 * ```
 */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/**
 * An interval in parentheses, in the unit of `format`: ranges of amounts with an en dash, ranges of signed
 * changes with "to" (an en dash between two signed numbers reads as a subtraction).
 *
 * @example
 * ```ts
 * formatInterval({ estimate: 2.08, lower: 2.05, upper: 2.11, confidence: 0.95 }, formatUsd) // '(95 % CI $2.05–$2.11)'
 * formatInterval({ estimate: 0.18, lower: 0.12, upper: 0.25, confidence: 0.95 }, formatChange, ' to ')
 * // '(95 % CI +12.0 % to +25.0 %)'
 * ```
 */
export function formatInterval(interval: Interval, format: (value: number) => string, separator = '–'): string {
  return `(${formatConfidence(interval.confidence)} CI ${format(interval.lower)}${separator}${format(interval.upper)})`;
}

/** A millisecond figure without its unit, for ranges such as "790–845 ms". */
export function formatMsNumber(ms: number): string {
  const size = Math.abs(ms);
  const decimals = size >= 100 || size === 0 ? 0 : size >= 10 ? 1 : 2;
  // Trailing zeros say nothing: a 50 ms budget reads "50 ms", not "50.0 ms".
  return ms.toLocaleString('en-US', { maximumFractionDigits: decimals });
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
