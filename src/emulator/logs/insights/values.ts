/**
 * Value semantics of the evaluator: coercion, comparison, truthiness, the scalar functions, and how
 * values are printed in GetQueryResults.
 */
import type { Value } from './types.js';

/** A number, a numeric string as a number, `true`/`false` as 1/0; otherwise null. */
export function toNumber(v: Value): number | null {
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

/** Whether a filter keeps a row: true, a non-zero number, a non-empty string. */
export function truthy(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  return typeof v === 'string' && v !== '';
}

/**
 * Orders two present values: numerically when both read as numbers (a JSON field may hold "128"),
 * otherwise as strings. Absent values never compare (the caller treats null as "no match").
 */
export function compare(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== null && y !== null && typeof a !== 'boolean' && typeof b !== 'boolean') return x - y;
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

/** Sort order for `sort`: absent values last in either direction. */
export function sortCompare(a: Value, b: Value, desc: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const c = compare(a, b);
  return desc ? -c : c;
}

const num = (v: Value): number | null => toNumber(v);
const str = (v: Value): string | null => (v === null ? null : String(v));
const math =
  (f: (n: number) => number) =>
  (args: Value[]): Value => {
    const n = num(args[0] ?? null);
    return n === null ? null : f(n);
  };

/** Scalar functions by lower-case name, with their allowed argument counts. */
export const SCALAR_FUNCTIONS: Record<string, { min: number; max: number; fn: (args: Value[]) => Value }> = {
  abs: { min: 1, max: 1, fn: math(Math.abs) },
  ceil: { min: 1, max: 1, fn: math(Math.ceil) },
  floor: { min: 1, max: 1, fn: math(Math.floor) },
  round: { min: 1, max: 1, fn: math(Math.round) },
  sqrt: { min: 1, max: 1, fn: math(Math.sqrt) },
  log: { min: 1, max: 1, fn: math(Math.log) },
  exp: { min: 1, max: 1, fn: math(Math.exp) },
  pow: { min: 2, max: 2, fn: ([a, b]) => numPair(a, b, Math.pow) },
  greatest: { min: 1, max: 100, fn: (args) => extreme(args, 1) },
  least: { min: 1, max: 100, fn: (args) => extreme(args, -1) },
  strlen: { min: 1, max: 1, fn: ([s]) => (s === null || s === undefined ? null : String(s).length) },
  toupper: { min: 1, max: 1, fn: ([s]) => str(s ?? null)?.toUpperCase() ?? null },
  tolower: { min: 1, max: 1, fn: ([s]) => str(s ?? null)?.toLowerCase() ?? null },
  trim: { min: 1, max: 1, fn: ([s]) => str(s ?? null)?.trim() ?? null },
  ltrim: { min: 1, max: 1, fn: ([s]) => str(s ?? null)?.trimStart() ?? null },
  rtrim: { min: 1, max: 1, fn: ([s]) => str(s ?? null)?.trimEnd() ?? null },
  concat: { min: 1, max: 100, fn: (args) => args.map((a) => (a === null ? '' : String(a))).join('') },
  // Insights' substr is 0-based: substr(@log, 25) drops "123456789012:/aws/lambda/".
  substr: {
    min: 2,
    max: 3,
    fn: ([s, start, length]) => {
      const text = str(s ?? null);
      const from = num(start ?? null);
      if (text === null || from === null) return null;
      const len = length === undefined ? undefined : num(length);
      return len === null ? null : text.slice(from, len === undefined ? undefined : from + len);
    }
  },
  replace: {
    min: 3,
    max: 3,
    fn: ([s, search, replacement]) =>
      str(s ?? null)
        ?.split(String(search))
        .join(String(replacement)) ?? null
  },
  // 1/0 rather than true/false, so that sum(strcontains(...)) counts, as in AWS's sample queries.
  strcontains: {
    min: 2,
    max: 2,
    fn: ([s, search]) => (s === null || s === undefined ? 0 : String(s).includes(String(search)) ? 1 : 0)
  },
  ispresent: { min: 1, max: 1, fn: ([v]) => v !== null && v !== undefined },
  isempty: { min: 1, max: 1, fn: ([v]) => v === null || v === undefined || v === '' },
  isblank: { min: 1, max: 1, fn: ([v]) => v === null || v === undefined || String(v).trim() === '' },
  coalesce: { min: 1, max: 100, fn: (args) => args.find((a) => a !== null && a !== undefined) ?? null },
  tomillis: { min: 1, max: 1, fn: math((n) => n) },
  frommillis: { min: 1, max: 1, fn: math((n) => n) }
};

function numPair(a: Value | undefined, b: Value | undefined, f: (x: number, y: number) => number): Value {
  const x = num(a ?? null);
  const y = num(b ?? null);
  return x === null || y === null ? null : f(x, y);
}

function extreme(args: Value[], sign: 1 | -1): Value {
  let best: number | null = null;
  for (const a of args) {
    const n = num(a);
    if (n !== null && (best === null || (n - best) * sign > 0)) best = n;
  }
  return best;
}

/** Floors a time to a multiple of `periodMs` since the epoch (UTC), as `bin()` does. */
export function floorTime(ms: number, periodMs: number): number {
  return Math.floor(ms / periodMs) * periodMs;
}

/** `2024-01-15 10:30:45.123`: how Insights prints timestamps (UTC). */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * How numbers are printed: integers in full, others with at most 15 significant digits so that
 * float noise (0.1 + 0.2) does not show. Insights' exact printing is not documented.
 */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(15)));
}

/** A result cell as GetQueryResults returns it. */
export function formatValue(v: Value, isTime: boolean): string {
  if (typeof v === 'number') {
    if (isTime && Number.isFinite(v)) return formatTime(v);
    return formatNumber(v);
  }
  return String(v);
}
