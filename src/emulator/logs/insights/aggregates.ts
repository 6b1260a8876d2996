/**
 * The `stats` command: aggregate functions, grouping with `by`, and expressions over aggregates
 * such as `sum(x) / count(*) * 100`. Everything is exact (Insights approximates `pct` and
 * `count_distinct` over large inputs; here the emulator keeps every value).
 */
import { compileExpr, Row, Scope, type Compiled, type Fn } from './compile.js';
import type { Expr, NamedExpr } from './parser.js';
import { QuerySyntaxError, type Value } from './types.js';
import { compare, toNumber } from './values.js';

/** One aggregate's running state for one group. */
interface Accumulator {
  add(row: Row): void;
  result(): Value;
}

type Factory = () => Accumulator;

/** A compiled `stats` command. */
export interface StatsPlan {
  /** Output columns: the `by` names, then the item names. */
  columns: string[];
  /** Which output columns hold timestamps. */
  time: boolean[];
  aggregate(): Aggregator;
}

/** Compiles `stats items by keys` against the scope of the rows it consumes. */
export function compileStats(items: NamedExpr[], by: NamedExpr[], scope: Scope): StatsPlan {
  const factories: Factory[] = [];
  const slotScope = new Scope(false);
  const outputs: Compiled[] = items.map((item) => {
    let found = false;
    const compiled = compileExpr(item.expr, slotScope, (call) => {
      found = true;
      const slot = factories.length;
      const { factory, time } = compileAggregate(call, scope);
      factories.push(factory);
      return { fn: (row) => row.slots[slot] ?? null, time };
    });
    if (!found)
      fail(item.expr, `stats needs an aggregate function such as count(*) or avg(field) in '${item.expr.text}'`);
    return compiled;
  });
  const keys = by.map((b) => compileExpr(b.expr, scope));
  const columns = [...by.map((b) => b.name), ...items.map((i) => i.name)];
  const time = [...keys.map((k) => k.time), ...outputs.map((o) => o.time)];
  return {
    columns,
    time,
    aggregate: () =>
      new Aggregator(
        keys.map((k) => k.fn),
        factories,
        outputs.map((o) => o.fn)
      )
  };
}

/** Groups rows and feeds each group's accumulators. */
export class Aggregator {
  private readonly groups = new Map<unknown, { keys: Value[]; accumulators: Accumulator[] }>();

  constructor(
    private readonly keys: Fn[],
    private readonly factories: Factory[],
    private readonly outputs: Fn[]
  ) {}

  add(row: Row): void {
    const keys = this.keys;
    let mapKey: unknown;
    let values: Value[] | undefined;
    if (keys.length === 1) mapKey = (keys[0] as Fn)(row);
    else if (keys.length > 1) {
      values = keys.map((k) => k(row));
      mapKey = values.map((v) => (typeof v === 'string' ? `s${v}` : `${typeof v}${String(v)}`)).join('\u0001');
    }
    let group = this.groups.get(mapKey);
    if (!group) {
      group = {
        keys: values ?? (keys.length === 1 ? [mapKey as Value] : []),
        accumulators: this.factories.map((f) => f())
      };
      this.groups.set(mapKey, group);
    }
    const accumulators = group.accumulators;
    for (let k = 0; k < accumulators.length; k++) (accumulators[k] as Accumulator).add(row);
  }

  /** One row per group, ordered by the `by` values ascending (so `bin()` groups come oldest first). */
  rows(): Row[] {
    const groups = [...this.groups.values()];
    if (groups.length === 0 && this.keys.length === 0) {
      groups.push({ keys: [], accumulators: this.factories.map((f) => f()) });
    }
    groups.sort((a, b) => {
      for (let k = 0; k < a.keys.length; k++) {
        const x = a.keys[k] ?? null;
        const y = b.keys[k] ?? null;
        if (x === null || y === null) {
          if (x !== y) return x === null ? 1 : -1;
          continue;
        }
        const c = compare(x, y);
        if (c !== 0) return c;
      }
      return 0;
    });
    return groups.map((g) => {
      const aggregates = new Row(
        null,
        0,
        g.accumulators.map((a) => a.result())
      );
      return new Row(null, 0, [...g.keys, ...this.outputs.map((o) => o(aggregates))]);
    });
  }
}

function fail(expr: Expr, message: string): never {
  throw new QuerySyntaxError(`${message} at character ${expr.start}`, expr.start, expr.end);
}

/** Builds one aggregate function call's accumulator factory. */
function compileAggregate(call: Expr & { kind: 'call' }, scope: Scope): { factory: Factory; time: boolean } {
  const args = call.args;
  const name = call.name;
  const isStar = args.length === 0 || args[0]?.kind === 'star';
  if (name === 'count' && isStar) {
    return { factory: () => new Count(null), time: false };
  }
  if (isStar) fail(call, `${name}() needs a field, not *`);
  const wanted = name === 'pct' || name === 'percentile' ? 2 : 1;
  if (args.length !== wanted) fail(call, `${name}() takes ${wanted} argument(s)`);
  const arg = compileExpr(args[0] as Expr, scope);
  const fn = arg.fn;
  switch (name) {
    case 'count':
      return { factory: () => new Count(fn), time: false };
    case 'count_distinct':
      return { factory: () => new CountDistinct(fn), time: false };
    case 'sum':
      return { factory: () => new Moments(fn, 'sum'), time: false };
    case 'avg':
      return { factory: () => new Moments(fn, 'avg'), time: false };
    case 'stddev':
      return { factory: () => new Moments(fn, 'stddev'), time: false };
    case 'min':
    case 'max':
      return { factory: () => new Extreme(fn, name === 'max' ? 1 : -1), time: arg.time };
    case 'earliest':
    case 'latest': {
      const ts = scope.field('@timestamp');
      return { factory: () => new ByTime(fn, ts, name === 'latest'), time: arg.time };
    }
    default: {
      const p = args[1];
      if (p?.kind !== 'literal' || typeof p.value !== 'number' || p.value < 0 || p.value > 100) {
        return fail(call, `The percentile in ${name}() must be a number from 0 to 100`);
      }
      const percent = p.value;
      return { factory: () => new Percentile(fn, percent), time: arg.time };
    }
  }
}

class Count implements Accumulator {
  private n = 0;
  constructor(private readonly fn: Fn | null) {}
  add(row: Row): void {
    if (this.fn === null || this.fn(row) !== null) this.n++;
  }
  result(): Value {
    return this.n;
  }
}

class CountDistinct implements Accumulator {
  private readonly seen = new Set<Value>();
  constructor(private readonly fn: Fn) {}
  add(row: Row): void {
    const v = this.fn(row);
    if (v !== null) this.seen.add(v);
  }
  result(): Value {
    return this.seen.size;
  }
}

/** sum, avg and stddev (sample standard deviation, n − 1; 0 for a single value), via Welford. */
class Moments implements Accumulator {
  private n = 0;
  private sum = 0;
  private mean = 0;
  private m2 = 0;
  constructor(
    private readonly fn: Fn,
    private readonly kind: 'sum' | 'avg' | 'stddev'
  ) {}
  add(row: Row): void {
    const x = toNumber(this.fn(row));
    if (x === null) return;
    this.n++;
    this.sum += x;
    const delta = x - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (x - this.mean);
  }
  result(): Value {
    if (this.n === 0) return null;
    if (this.kind === 'sum') return this.sum;
    if (this.kind === 'avg') return this.sum / this.n;
    return this.n < 2 ? 0 : Math.sqrt(this.m2 / (this.n - 1));
  }
}

class Extreme implements Accumulator {
  private best: Value = null;
  constructor(
    private readonly fn: Fn,
    private readonly sign: 1 | -1
  ) {}
  add(row: Row): void {
    const v = this.fn(row);
    if (v !== null && (this.best === null || compare(v, this.best) * this.sign > 0)) this.best = v;
  }
  result(): Value {
    return this.best;
  }
}

/** earliest()/latest(): the value from the event with the smallest/largest @timestamp. */
class ByTime implements Accumulator {
  private at = NaN;
  private value: Value = null;
  constructor(
    private readonly fn: Fn,
    private readonly ts: Fn,
    private readonly latest: boolean
  ) {}
  add(row: Row): void {
    const v = this.fn(row);
    if (v === null) return;
    const t = toNumber(this.ts(row)) ?? 0;
    if (Number.isNaN(this.at) || (this.latest ? t >= this.at : t < this.at)) {
      this.at = t;
      this.value = v;
    }
  }
  result(): Value {
    return this.value;
  }
}

/**
 * pct(field, p) by the nearest-rank method: the smallest value such that at least p% of the values
 * are less than or equal to it, i.e. sorted[ceil(p/100 × n) − 1] (p = 0 gives the minimum). It
 * always returns an observed value and never interpolates.
 */
class Percentile implements Accumulator {
  private values = new Float64Array(16);
  private n = 0;
  constructor(
    private readonly fn: Fn,
    private readonly percent: number
  ) {}
  add(row: Row): void {
    const x = toNumber(this.fn(row));
    if (x === null) return;
    if (this.n === this.values.length) {
      const next = new Float64Array(this.n * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.n++] = x;
  }
  result(): Value {
    return nearestRank(this.values.subarray(0, this.n), this.percent);
  }
}

/** The nearest-rank percentile of `values` (sorted in place); null when there are none. */
export function nearestRank(values: Float64Array, percent: number): number | null {
  const n = values.length;
  if (n === 0) return null;
  values.sort();
  // percent × n first: (95 / 100) × 20 is 19.000000000000004 in floating point, 95 × 20 / 100 is 19.
  const rank = Math.max(1, Math.ceil((percent * n) / 100));
  return values[Math.min(n, rank) - 1] ?? null;
}
