/**
 * Turns parsed expressions into closures over a {@link Row}. Field names are resolved once, at
 * compile time, to either a slot (a field the query computed with `fields`/`parse`/`stats`) or a
 * read from the event source, so the per-record work is a few function calls.
 */
import type { Expr } from './parser.js';
import { QuerySyntaxError, type EventSource, type Value } from './types.js';
import { SCALAR_FUNCTIONS, compare, floorTime, toNumber, truthy } from './values.js';

/** A record on its way through the pipeline: an event (source + index) plus computed fields. */
export class Row {
  constructor(
    public source: EventSource | null,
    public index: number,
    public slots: Value[]
  ) {}
}

export type Fn = (row: Row) => Value;

/** A compiled expression and whether its numbers are timestamps (printed as dates). */
export interface Compiled {
  fn: Fn;
  time: boolean;
}

/** Names the query has computed so far, and which of them hold timestamps. */
export class Scope {
  readonly slots = new Map<string, number>();
  readonly time = new Set<string>(['@timestamp', '@ingestionTime']);

  constructor(
    /** False after `stats`: rows no longer have an event behind them. */
    readonly hasSource: boolean
  ) {}

  /** The slot of `name`, allocating one if the query has not computed it before. */
  define(name: string, time: boolean): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(name, slot);
    }
    if (time) this.time.add(name);
    else this.time.delete(name);
    return slot;
  }

  /** A reader of field `name`. */
  field(name: string): Fn {
    const slot = this.slots.get(name);
    if (slot !== undefined) return (row) => row.slots[slot] ?? null;
    if (!this.hasSource) return () => null;
    return (row) => (row.source === null ? null : row.source.field(row.index, name));
  }
}

/** Compiles aggregate calls inside `stats`; anywhere else they are an error. */
export type AggregateHook = (call: Expr & { kind: 'call' }) => Compiled | undefined;

/** Names of the aggregate functions (only valid in `stats`). */
export const AGGREGATES = new Set([
  'count',
  'count_distinct',
  'sum',
  'avg',
  'min',
  'max',
  'pct',
  'percentile',
  'stddev',
  'earliest',
  'latest'
]);

const fail = (expr: Expr, message: string): never => {
  throw new QuerySyntaxError(`${message} at character ${expr.start}`, expr.start, expr.end);
};

/** Compiles an expression in a scope. */
export function compileExpr(expr: Expr, scope: Scope, aggregate?: AggregateHook): Compiled {
  const sub = (e: Expr): Compiled => compileExpr(e, scope, aggregate);
  switch (expr.kind) {
    case 'literal': {
      const value = expr.value;
      return { fn: () => value, time: false };
    }
    case 'duration': {
      const ms = expr.ms;
      return { fn: () => ms, time: false };
    }
    case 'field':
      return { fn: scope.field(expr.name), time: scope.time.has(expr.name) };
    case 'star':
      return fail(expr, `'*' is only allowed in count(*)`);
    case 'regex':
      return fail(expr, 'A regular expression is only allowed after like, =~ or parse');
    case 'unary': {
      const operand = sub(expr.operand).fn;
      if (expr.op === 'not') return { fn: (row) => !truthy(operand(row)), time: false };
      return { fn: (row) => negate(toNumber(operand(row))), time: false };
    }
    case 'in': {
      const operand = sub(expr.operand).fn;
      const items = expr.items.map((item) => sub(item).fn);
      const negated = expr.negated;
      return {
        fn: (row) => {
          const v = operand(row);
          // An absent field matches no comparison, negated ones included (as with !=).
          if (v === null) return false;
          const found = items.some((item) => equals(v, item(row)));
          return negated ? !found : found;
        },
        time: false
      };
    }
    case 'binary':
      return compileBinary(expr as Expr & { kind: 'binary' }, sub);
    case 'call':
      return compileCall(expr as Expr & { kind: 'call' }, scope, sub, aggregate);
  }
}

function negate(n: number | null): Value {
  return n === null ? null : -n;
}

/** `=` between present values; a string literal that is not a number never equals a number. */
export function equals(a: Value, b: Value): boolean {
  if (a === null || b === null) return false;
  if (a === b) return true;
  return compare(a, b) === 0;
}

function compileBinary(expr: Expr & { kind: 'binary' }, sub: (e: Expr) => Compiled): Compiled {
  const left = sub(expr.left);
  const l = left.fn;
  if (expr.op === 'like' || expr.op === 'not like' || expr.op === '=~') {
    const test = matcher(expr.right);
    const negated = expr.op === 'not like';
    return {
      fn: (row) => {
        const v = l(row);
        if (v === null) return false;
        return test(String(v)) !== negated;
      },
      time: false
    };
  }
  const right = sub(expr.right);
  const r = right.fn;
  switch (expr.op) {
    case 'and':
      return { fn: (row) => truthy(l(row)) && truthy(r(row)), time: false };
    case 'or':
      return { fn: (row) => truthy(l(row)) || truthy(r(row)), time: false };
    case '=':
      return { fn: (row) => equals(l(row), r(row)), time: false };
    case '!=':
      return {
        fn: (row) => {
          const a = l(row);
          const b = r(row);
          return a !== null && b !== null && !equals(a, b);
        },
        time: false
      };
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const op = expr.op;
      return {
        fn: (row) => {
          const a = l(row);
          const b = r(row);
          if (a === null || b === null) return false;
          const c = compare(a, b);
          return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
        },
        time: false
      };
    }
    default: {
      const op = expr.op;
      // time ± duration is still a time; time − time is a plain number of ms.
      const time = (op === '+' || op === '-') && left.time !== right.time && left.time;
      return { fn: (row) => arithmetic(op, toNumber(l(row)), toNumber(r(row))), time };
    }
  }
}

function arithmetic(op: string, a: number | null, b: number | null): Value {
  if (a === null || b === null) return null;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? null : a / b;
    default:
      return b === 0 ? null : a % b;
  }
}

/** `like /re/` and `=~ /re/` test a regex; `like "text"` is a case-sensitive substring test. */
function matcher(pattern: Expr): (text: string) => boolean {
  if (pattern.kind === 'regex') {
    const regex = pattern.regex;
    return (text) => regex.test(text);
  }
  if (pattern.kind === 'literal' && typeof pattern.value === 'string') {
    const needle = pattern.value;
    return (text) => text.includes(needle);
  }
  return fail(pattern, 'Expected /regex/ or "string" after like or =~');
}

function compileCall(
  expr: Expr & { kind: 'call' },
  scope: Scope,
  sub: (e: Expr) => Compiled,
  aggregate?: AggregateHook
): Compiled {
  const name = expr.name;
  if (AGGREGATES.has(name)) {
    const compiled = aggregate?.(expr);
    if (!compiled) return fail(expr, `The aggregate function ${name}() can only be used in stats`);
    return compiled;
  }
  const args = expr.args;
  if (name === 'bin') {
    const period = args[0];
    if (args.length !== 1 || period?.kind !== 'duration' || period.ms <= 0) {
      return fail(expr, 'bin() takes one time period such as bin(5m) or bin(1d)');
    }
    const ms = period.ms;
    const ts = scope.field('@timestamp');
    return { fn: (row) => timeFloor(ts(row), ms), time: true };
  }
  if (name === 'datefloor' || name === 'dateceil') {
    const period = args[1];
    if (args.length !== 2 || period?.kind !== 'duration' || period.ms <= 0) {
      return fail(expr, `${name}() takes a timestamp and a period, e.g. ${name}(@timestamp, 1h)`);
    }
    const ms = period.ms;
    const value = sub(args[0] as Expr).fn;
    const up = name === 'dateceil';
    return { fn: (row) => (up ? timeCeil(value(row), ms) : timeFloor(value(row), ms)), time: true };
  }
  const spec = SCALAR_FUNCTIONS[name];
  if (!spec) return fail(expr, `Unknown function ${name}()`);
  if (args.length < spec.min || args.length > spec.max) {
    return fail(expr, `${name}() takes ${spec.min === spec.max ? spec.min : `${spec.min} to ${spec.max}`} argument(s)`);
  }
  const fns = args.map((a) => sub(a).fn);
  const f = spec.fn;
  return { fn: (row) => f(fns.map((fn) => fn(row))), time: name === 'frommillis' };
}

function timeFloor(v: Value, ms: number): Value {
  const n = toNumber(v);
  return n === null ? null : floorTime(n, ms);
}

function timeCeil(v: Value, ms: number): Value {
  const n = toNumber(v);
  return n === null ? null : Math.ceil(n / ms) * ms;
}
